package org.neuronsimulator.wheel.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.Reporter;

/** Real interpreters from the machine: discovery, selection and a build command run per Python. */
class HostWheelBuilderTest {

    private static PythonDiscovery discovery;
    private static List<PythonInterpreter> all;

    @BeforeAll
    static void findPythons() throws IOException {
        discovery = PythonDiscovery.ofSystem();
        all = discovery.select(PythonSelector.parse("3*"));
    }

    @Test
    void defaultIsPython3OnThePathAndItsTagsAreKnown() throws IOException {
        List<PythonInterpreter> chosen = discovery.select(PythonSelector.parse(""));
        assertEquals(1, chosen.size());
        PythonInterpreter python = chosen.get(0);
        assertEquals(3, python.major());
        assertEquals("cpython", python.implementation());
        assertTrue(python.supportedTags().stream().anyMatch(t -> t.startsWith(python.cpythonTag() + "-")),
                () -> "tags of " + python + ": " + python.supportedTags());
    }

    @Test
    void globSelectsEveryDiscoveredPython3InVersionOrder() {
        assertTrue(!all.isEmpty());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).minor() < all.get(i).minor(), all::toString);
        }
    }

    @Test
    void aPathThatIsNoPythonIsRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> discovery.select(PythonSelector.parse("/bin/true")));
        assertTrue(error.getMessage().contains("/bin/true"));
    }

    @Test
    void aVersionThatIsNotInstalledIsRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> discovery.select(PythonSelector.parse("2.1")));
        assertTrue(error.getMessage().contains("matches no CPython"), error.getMessage());
    }

    @Test
    void buildsOnceForEachSelectedPython(@TempDir Path work) throws Exception {
        assumeTrue(all.size() >= 2, "needs two Python 3 interpreters");
        String selection = all.get(0).versionString() + "," + all.get(all.size() - 1).versionString();
        // The command stands in for a wheel build: it writes a file named after the interpreter.
        BuildCommand command = BuildCommand.parse(
                "{python} -c \"import sys,pathlib; v='%d%d'%sys.version_info[:2]; "
                        + "pathlib.Path(sys.argv[1],'demo-1.0-cp'+v+'-none-any.whl').write_text('x')\" {outdir}");
        List<BuiltWheel> wheels = new HostWheelBuilder(discovery, Reporter.NONE).build(new BuildRequest(
                work, work.resolve("raw"), PythonSelector.parse(selection), command, Map.of(), Duration.ofMinutes(2)));
        assertEquals(2, wheels.size());
        for (BuiltWheel wheel : wheels) {
            assertTrue(Files.isRegularFile(wheel.file()));
            assertEquals(work.resolve("raw").resolve(wheel.pythonTag()), wheel.file().getParent());
            assertTrue(wheel.file().getFileName().toString().contains("-" + wheel.pythonTag() + "-"));
        }
    }

    @Test
    void aFailingBuildReportsItsLogTail(@TempDir Path work) {
        BuildFailedException error = assertThrows(BuildFailedException.class, () ->
                new HostWheelBuilder(discovery, Reporter.NONE).build(new BuildRequest(work, work.resolve("raw"),
                        PythonSelector.parse(""), BuildCommand.parse("sh -c \"echo compiler exploded; exit 2\""),
                        Map.of(), Duration.ofMinutes(1))));
        assertTrue(error.getMessage().contains("exit code 2"), error.getMessage());
        assertTrue(error.getMessage().contains("compiler exploded"), error.getMessage());
        assertEquals(Optional.of("compiler exploded"), error.logTail().stream().findFirst());
    }
}
