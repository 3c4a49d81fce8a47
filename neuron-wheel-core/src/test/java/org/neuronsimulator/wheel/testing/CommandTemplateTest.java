package org.neuronsimulator.wheel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

class CommandTemplateTest {

    @Test
    void placeholdersAreFilledAndQuotedOnlyWhenTheShellWouldSplitThem() {
        Map<String, String> values = Map.of("python", "/work/env/bin/python", "wheel", "/tmp/my wheels/a-1.0-py3-none-any.whl");
        assertEquals("/work/env/bin/python -m pip show x", CommandTemplate.fill("{python} -m pip show x", values, Map.of()));
        assertEquals("ls '/tmp/my wheels/a-1.0-py3-none-any.whl'", CommandTemplate.fill("ls {wheel}", values, Map.of()));
        // unknown braces stay: they belong to the shell or to Python
        assertEquals("{python3} ${HOME} {}", CommandTemplate.fill("{python3} ${HOME} {}", values, Map.of()));
        assertEquals("mpiexec -n 2 /work/env/bin/python x.py",
                CommandTemplate.fill("{launcher} {python} x.py", values, Map.of("launcher", "mpiexec -n 2")));
    }

    @Test
    void aQuotedValueReachesTheProgramUnchanged() throws IOException {
        String awkward = "it's a \"path\" with $HOME and `ticks`";
        String line = CommandTemplate.fill("printf '%s\\n' {wheel}", Map.of("wheel", awkward), Map.of());
        ProcessResult result = ProcessRunner.of("/bin/sh", "-c", line).timeout(Duration.ofSeconds(30)).run();
        assertEquals(0, result.exitCode());
        assertEquals(List.of(awkward), result.tail());
    }
}
