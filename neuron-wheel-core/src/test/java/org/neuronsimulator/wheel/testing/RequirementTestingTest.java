package org.neuronsimulator.wheel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.FileTrees;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.builder.PythonDiscovery;
import org.neuronsimulator.wheel.builder.PythonInterpreter;
import org.neuronsimulator.wheel.builder.PythonSelector;

/**
 * Testing a published release: a PEP 503 index served by Python's own http.server on 127.0.0.1
 * holds the sample wheel, and the runner installs it by requirement from there.
 */
class RequirementTestingTest {

    @Test
    void aWheelFromALoopbackIndexIsInstalledByRequirementAndTested() throws Exception {
        Path work = WheelTestRunnerTest.WORK.resolve("requirement");
        FileTrees.delete(work);
        Path wheel = SampleWheels.build(WheelTestRunnerTest.WORK, "2.5");
        Path root = work.resolve("index-root");
        Path files = Files.createDirectories(root.resolve("files"));
        Files.copy(wheel, files.resolve(wheel.getFileName()));
        Path project = Files.createDirectories(root.resolve("simple").resolve(SampleWheels.DISTRIBUTION));
        Files.writeString(project.resolve("index.html"), "<!DOCTYPE html><html><body><a href=\"../../files/"
                + wheel.getFileName() + "#sha256=" + sha256(wheel) + "\">" + wheel.getFileName()
                + "</a></body></html>\n");
        Files.writeString(root.resolve("simple").resolve("index.html"), "<!DOCTYPE html><html><body><a href=\""
                + SampleWheels.DISTRIBUTION + "/\">" + SampleWheels.DISTRIBUTION + "</a></body></html>\n");

        Process server = new ProcessBuilder("python3", "-u", "-m", "http.server", "--bind", "127.0.0.1",
                "--directory", root.toString(), "0").redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String first = output.readLine();
            Matcher port = Pattern.compile("port (\\d+)").matcher(first == null ? "" : first);
            assertTrue(port.find(), "http.server did not say its port: " + first);
            String index = "http://127.0.0.1:" + port.group(1) + "/simple/";
            Thread drain = new Thread(() -> output.lines().forEach(l -> { }));
            drain.setDaemon(true);
            drain.start();

            List<PythonInterpreter> python = PythonDiscovery.ofSystem().select(PythonSelector.parse("3.11"));
            WheelTestSettings settings = new WheelTestSettings(work, work.resolve("envs"), work.resolve("reports"))
                    .environment(java.util.Map.of("PIP_RETRIES", "0"))
                    .commands(List.of("{python} -c 'import nrnwt_sample; print(nrnwt_sample.hello())'",
                            "echo testing {wheel}"));
            WheelTestOutcome outcome = new WheelTestRunner(settings, Reporter.NONE).run(
                    List.of(TestSubject.requirement(SampleWheels.DISTRIBUTION + "==2.5", index)), python);

            assertFalse(outcome.hasFailures(), () -> String.join("\n", outcome.summaryTable()));
            assertEquals(2, outcome.suites().size());
            JUnitReport install = JUnitReport.parse(outcome.suites().get(0).reportFile());
            String pipOutput = install.cases().get(1).systemOut();
            assertTrue(pipOutput.contains("127.0.0.1:" + port.group(1) + "/files/" + wheel.getFileName()), pipOutput);
            assertTrue(install.cases().get(1).name().contains("--index-url " + index), install.cases().get(1).name());
            JUnitReport serial = JUnitReport.parse(outcome.suites().get(1).reportFile());
            assertEquals("hello from nrnwt_sample 2.5", serial.cases().get(0).systemOut().strip());
            assertEquals("testing nrnwt-sample==2.5", serial.cases().get(1).systemOut().strip());
            assertTrue(outcome.suites().get(1).reportFile().getFileName().toString()
                    .startsWith("TEST-nrnwt-sample==2_5.cp311.serial"), outcome.suites().get(1).reportFile()::toString);
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void aRequirementWithoutAProjectNameOrABadIndexIsRefused() {
        IllegalArgumentException noName = assertThrows(IllegalArgumentException.class,
                () -> TestSubject.requirement("==8.2.0", null));
        assertTrue(noName.getMessage().contains("neuron.test.requirement"), noName.getMessage());
        IllegalArgumentException badIndex = assertThrows(IllegalArgumentException.class,
                () -> TestSubject.requirement("neuron==8.2.0", "ftp://example.invalid/simple"));
        assertTrue(badIndex.getMessage().contains("neuron.test.index"), badIndex.getMessage());
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
