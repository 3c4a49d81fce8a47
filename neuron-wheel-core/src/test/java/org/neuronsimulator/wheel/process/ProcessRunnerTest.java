package org.neuronsimulator.wheel.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessRunnerTest {

    @Test
    void streamsMergedOutputAndKeepsTheTail() throws IOException {
        List<String> seen = new ArrayList<>();
        ProcessResult result = ProcessRunner.of("sh", "-c", "for i in 1 2 3 4 5; do echo out$i; done; echo err >&2; exit 3")
                .tailLines(2)
                .onOutput(seen::add)
                .run();
        assertEquals(3, result.exitCode());
        assertFalse(result.succeeded());
        assertEquals(6, seen.size());
        assertTrue(seen.contains("err"));
        assertEquals(2, result.tail().size());
        assertEquals("err", result.tail().get(1));
    }

    @Test
    void timeoutKillsTheWholeProcessTree() throws IOException, InterruptedException {
        ProcessResult result = ProcessRunner.of("sh", "-c", "sleep 60 & echo $!; wait; echo never")
                .timeout(Duration.ofSeconds(2))
                .run();
        assertTrue(result.timedOut());
        assertFalse(result.succeeded());
        assertFalse(result.tail().contains("never"));
        long childPid = Long.parseLong(result.tail().get(0).trim());
        // The background child must be gone too, not left running after its parent was killed.
        for (int i = 0; i < 100 && ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(100);
        }
        assertFalse(ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false),
                "background child " + childPid + " still runs");
    }

    @Test
    void environmentIsPassedAndRemoved() throws IOException {
        ProcessResult result = ProcessRunner.of("sh", "-c", "echo \"$NW_A-${HOME:-none}\"")
                .environment("NW_A", "set")
                .removeEnvironment("HOME")
                .run();
        assertEquals(List.of("set-none"), result.tail());
    }
}
