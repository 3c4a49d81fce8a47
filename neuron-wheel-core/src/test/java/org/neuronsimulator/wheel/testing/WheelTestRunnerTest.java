package org.neuronsimulator.wheel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.FileTrees;
import org.neuronsimulator.wheel.RecordingReporter;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.builder.PythonDiscovery;
import org.neuronsimulator.wheel.builder.PythonInterpreter;
import org.neuronsimulator.wheel.builder.PythonSelector;

/**
 * Runs real wheel tests: real interpreters make real virtual environments, pip installs a wheel
 * built by pip, and the commands run under {@code /bin/sh} and MPICH's {@code mpiexec}.
 */
class WheelTestRunnerTest {

    static final Path WORK = Path.of("target/wheel-testing").toAbsolutePath();
    static Path wheel;
    static List<PythonInterpreter> twoPythons;

    @BeforeAll
    static void buildSampleWheel() throws IOException {
        Files.createDirectories(WORK);
        wheel = SampleWheels.build(WORK, "1.0");
        twoPythons = PythonDiscovery.ofSystem().select(PythonSelector.parse("3.9,3.12"));
        assertEquals(List.of("cp39", "cp312"), twoPythons.stream().map(PythonInterpreter::cpythonTag).toList());
    }

    static WheelTestSettings settings(String name) throws IOException {
        Path root = WORK.resolve(name);
        FileTrees.delete(root);
        Files.createDirectories(root.resolve("project"));
        return new WheelTestSettings(root.resolve("project"), root.resolve("envs"), root.resolve("reports"))
                .environment(Map.of("PIP_RETRIES", "0"))
                .pipOptions(List.of("--no-index"));
    }

    static Map<String, JUnitReport> reports(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> xml = files.filter(f -> f.getFileName().toString().startsWith("TEST-")).sorted().toList();
            Map<String, JUnitReport> byFile = new java.util.TreeMap<>();
            for (Path f : xml) {
                byFile.put(f.getFileName().toString(), JUnitReport.parse(f));
            }
            return byFile;
        }
    }

    @Test
    void testsEachWheelOnTwoPythonsWithAllVariantsAndReportsFailuresAfterRunningEverything() throws IOException {
        String importCommand = "{python} -c 'import nrnwt_sample, sys; print(nrnwt_sample.hello(), sys.version_info[:2])'";
        String failing = "{python} -c 'import sys; print(\"about to fail\"); sys.exit(3)'";
        String afterFailure = "test -f {package}/__init__.py && echo package at {package} && echo skip=$SKIP_EMBEDED_PYTHON_TEST";
        // one write per rank: the ranks print at the same time and separate writes could interleave
        String rankCommand = "{python} -c 'import os; e = os.environ; os.write(1, (\"rank %s of %s skip=%s\\n\" % (e[\"PMI_RANK\"], e[\"PMI_SIZE\"], e.get(\"SKIP_EMBEDED_PYTHON_TEST\", \"unset\"))).encode())'";
        WheelTestSettings settings = settings("variants")
                .commands(List.of(importCommand, failing, afterFailure))
                .mpiCommands(List.of(rankCommand))
                .mpiLaunchers(List.of("mpiexec -n 2", "mpiexec.absent-mpi -n 2"))
                .gpuCommands(List.of("nvidia-smi"))
                .gpuProbe("exit 1")
                .variantEnvironment(Map.of("serial", Map.of("SKIP_EMBEDED_PYTHON_TEST", "true")));
        RecordingReporter log = new RecordingReporter();

        WheelTestOutcome outcome = new WheelTestRunner(settings, log)
                .run(List.of(TestSubject.wheel(wheel)), twoPythons);

        assertTrue(outcome.hasFailures(), log::text);
        // install, serial, mpi x2, gpu for each of the two interpreters
        assertEquals(10, outcome.suites().size(), log::text);
        Map<String, JUnitReport> reports = reports(settings.reportsDirectory());
        assertEquals(10, reports.size(), reports::toString);
        for (String python : List.of("cp39", "cp312")) {
            String prefix = "TEST-nrnwt_sample-1_0-py3-none-any_whl." + python + ".";
            JUnitReport install = reports.get(prefix + "install.xml");
            assertEquals(0, install.failures(), install::toString);
            assertEquals(2, install.tests());

            JUnitReport serial = reports.get(prefix + "serial.xml");
            assertEquals(List.of(importCommand, failing, afterFailure),
                    serial.cases().stream().map(JUnitReport.Case::name).toList());
            assertEquals(List.of("passed", "failed", "passed"),
                    serial.cases().stream().map(JUnitReport.Case::status).toList());
            assertTrue(serial.cases().get(0).systemOut().contains("hello from nrnwt_sample 1.0 (3, "
                    + python.substring(3) + ")"), serial.cases().get(0)::toString);
            JUnitReport.Case failed = serial.cases().get(1);
            assertEquals("exit code 3", failed.message());
            assertTrue(failed.failureText().contains("about to fail"), failed::toString);
            assertTrue(failed.systemOut().contains("about to fail"), failed::toString);
            String packageLine = serial.cases().get(2).systemOut();
            assertTrue(packageLine.contains("package at " + settings.workDirectory()), packageLine);
            assertTrue(packageLine.contains("/site-packages/nrnwt_sample"), packageLine);
            assertTrue(packageLine.contains("skip=true"), packageLine);
            assertEquals("nrnwt_sample-1_0-py3-none-any_whl." + python + ".serial", serial.cases().get(0).className());

            JUnitReport mpich = reports.get(prefix + "mpi_mpiexec_-n_2_.xml");
            assertEquals(0, mpich.failures(), mpich::toString);
            String ranks = mpich.cases().get(0).systemOut();
            assertTrue(ranks.contains("rank 0 of 2") && ranks.contains("rank 1 of 2"), ranks);
            assertTrue(ranks.contains("skip=unset"), "the serial variant's environment leaked into MPI: " + ranks);

            JUnitReport absent = reports.get(prefix + "mpi_mpiexec_absent-mpi_-n_2_.xml");
            assertEquals(1, absent.skipped());
            assertEquals("MPI launcher 'mpiexec.absent-mpi' is not installed (not found on PATH)",
                    absent.cases().get(0).message());

            JUnitReport gpu = reports.get(prefix + "gpu.xml");
            assertEquals(1, gpu.skipped());
            assertEquals("no GPU detected: 'exit 1' exited with 1", gpu.cases().get(0).message());
        }
        assertEquals(2, outcome.failedSuites().size());
        try (Stream<Path> left = Files.list(settings.workDirectory())) {
            assertEquals(List.of(), left.toList(), "the environments should be removed after the tests");
        }
        List<String> table = outcome.summaryTable();
        assertEquals(12, table.size(), String.join("\n", table));
        assertTrue(table.get(table.size() - 1).startsWith("Tests run: 16, Failures: 2, Skipped: 4"),
                String.join("\n", table));
        assertTrue(log.text().contains("FAILED  " + failing), log::text);
    }

    @Test
    void aWheelNoInterpreterAcceptsIsReportedAsAFailure() throws IOException {
        Path foreign = WORK.resolve("foreign").resolve("nrnwt_sample-1.0-py3-none-macosx_11_0_arm64.whl");
        Files.createDirectories(foreign.getParent());
        Files.copy(wheel, foreign, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        WheelTestSettings settings = settings("foreign").commands(List.of("{python} -c 'import nrnwt_sample'"));
        RecordingReporter log = new RecordingReporter();

        WheelTestOutcome outcome = new WheelTestRunner(settings, log)
                .run(List.of(TestSubject.wheel(foreign)), twoPythons);

        assertTrue(outcome.hasFailures());
        assertEquals(1, outcome.suites().size());
        JUnitReport report = JUnitReport.parse(outcome.suites().get(0).reportFile());
        assertEquals(1, report.failures());
        JUnitReport.Case test = report.cases().get(0);
        assertEquals("no selected interpreter accepts nrnwt_sample-1.0-py3-none-macosx_11_0_arm64.whl"
                + " (select another one with neuron.python)", test.message());
        assertTrue(test.failureText().contains("py3-none-macosx_11_0_arm64"), test::toString);
        assertTrue(test.failureText().contains("cpython 3.9"), test::toString);
        assertTrue(log.text().contains("[WARN] no selected interpreter accepts"), log::text);
    }

    @Test
    void aFileWhoseNameIsNoWheelNameIsReportedAsAFailure() throws IOException {
        Path bad = WORK.resolve("bad-name").resolve("nrnwt_sample-1.0.whl");
        Files.createDirectories(bad.getParent());
        Files.copy(wheel, bad, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        WheelTestOutcome outcome = new WheelTestRunner(settings("bad-name"), Reporter.NONE)
                .run(List.of(TestSubject.wheel(bad)), twoPythons);

        JUnitReport report = JUnitReport.parse(outcome.suites().get(0).reportFile());
        assertEquals(1, report.failures());
        assertTrue(report.cases().get(0).message().contains("nrnwt_sample-1.0.whl"), report::toString);
        assertTrue(outcome.hasFailures());
    }

    @Test
    void aCommandRunningPytestReportsPytestsOwnCases() throws IOException {
        WheelTestSettings settings = settings("pytest")
                .requirements(List.of("pytest"))
                .pipOptions(List.of("--index-url", "file:///opt/pypi/simple"))
                .commands(List.of("{python} -m pytest -q tests"));
        Path tests = Files.createDirectories(settings.projectDirectory().resolve("tests"));
        Files.writeString(tests.resolve("test_sample.py"), """
                import pytest
                import nrnwt_sample

                def test_imports():
                    assert nrnwt_sample.hello()

                def test_fails():
                    assert 1 == 2, "one is not two"

                @pytest.mark.skip(reason="not on this machine")
                def test_skipped():
                    pass
                """);

        WheelTestOutcome outcome = new WheelTestRunner(settings, Reporter.NONE)
                .run(List.of(TestSubject.wheel(wheel)), twoPythons.subList(1, 2));

        assertTrue(outcome.hasFailures());
        JUnitReport serial = JUnitReport.parse(outcome.suites().get(1).reportFile());
        Map<String, String> byName = serial.cases().stream()
                .collect(Collectors.toMap(JUnitReport.Case::name, JUnitReport.Case::status));
        assertEquals(Map.of("{python} -m pytest -q tests", "failed",
                "pytest: tests.test_sample.test_imports", "passed",
                "pytest: tests.test_sample.test_fails", "failed",
                "pytest: tests.test_sample.test_skipped", "skipped"), byName, serial::toString);
        JUnitReport.Case failed = serial.cases().stream().filter(c -> c.name().endsWith("test_fails")).findFirst().orElseThrow();
        assertTrue(failed.failureText().contains("one is not two"), failed::toString);
    }

    @Test
    void whenInstallationFailsTheCommandsAreReportedAsNotRun() throws IOException {
        WheelTestSettings settings = settings("install-fails")
                .requirements(List.of("nrnwt-no-such-requirement"))
                .commands(List.of("{python} -c 'import nrnwt_sample'"))
                .mpiCommands(List.of("{python} -c 'import nrnwt_sample'"));

        WheelTestOutcome outcome = new WheelTestRunner(settings, Reporter.NONE)
                .run(List.of(TestSubject.wheel(wheel)), twoPythons.subList(1, 2));

        assertTrue(outcome.hasFailures());
        JUnitReport install = JUnitReport.parse(outcome.suites().get(0).reportFile());
        assertEquals(List.of("passed", "failed"), install.cases().stream().map(JUnitReport.Case::status).toList());
        assertTrue(install.cases().get(1).failureText().contains("nrnwt-no-such-requirement"), install::toString);
        for (TestSuiteResult variant : outcome.suites().subList(1, outcome.suites().size())) {
            JUnitReport report = JUnitReport.parse(variant.reportFile());
            assertEquals(1, report.skipped(), variant::label);
            assertEquals("not run: installing nrnwt_sample-1.0-py3-none-any.whl failed", report.cases().get(0).message());
        }
        assertEquals(3, outcome.suites().size());
    }

    @Test
    void withoutAnyLauncherOnThePathTheMpiVariantIsSkipped() throws IOException {
        WheelTestSettings settings = settings("no-launcher")
                .commands(List.of("{python} -c 'import nrnwt_sample'"))
                .mpiCommands(List.of("{python} -c 'print(1)'"));
        Path emptyBin = WORK.resolve("no-launcher").resolve("empty-bin");
        Files.createDirectories(emptyBin);

        WheelTestOutcome outcome = new WheelTestRunner(settings, Reporter.NONE)
                .hostPath(emptyBin.toString())
                .run(List.of(TestSubject.wheel(wheel)), twoPythons.subList(0, 1));

        assertFalse(outcome.hasFailures(), () -> String.join("\n", outcome.summaryTable()));
        Set<String> variants = outcome.suites().stream().map(TestSuiteResult::variant).collect(Collectors.toSet());
        assertEquals(Set.of("install", "serial", "mpi[mpiexec -n 2]"), variants);
        TestSuiteResult mpi = outcome.suites().get(2);
        JUnitReport report = JUnitReport.parse(mpi.reportFile());
        assertEquals(1, report.skipped());
        assertEquals("MPI launcher 'mpiexec' is not installed (not found on PATH)", report.cases().get(0).message());
        assertEquals(1, JUnitReport.parse(outcome.suites().get(1).reportFile()).cases().stream()
                .filter(c -> c.status().equals("passed")).count());
    }

    @Test
    void aCommandOverItsTimeIsKilledAndReported() throws IOException {
        WheelTestSettings settings = settings("timeout")
                .commands(List.of("{python} -c 'import time; print(\"sleeping\", flush=True); time.sleep(600)'"))
                .timeout(Duration.ofSeconds(3))
                .keepEnvironments(true);

        WheelTestOutcome outcome = new WheelTestRunner(settings, Reporter.NONE)
                .run(List.of(TestSubject.wheel(wheel)), twoPythons.subList(1, 2));

        JUnitReport serial = JUnitReport.parse(outcome.suites().get(1).reportFile());
        assertEquals("failed", serial.cases().get(0).status());
        assertTrue(serial.cases().get(0).message().startsWith("timed out after"), serial::toString);
        assertTrue(serial.cases().get(0).systemOut().contains("sleeping"), serial::toString);
        Path kept = settings.workDirectory().resolve(
                WheelTestRunner.environmentName("nrnwt_sample-1.0-py3-none-any.whl", "cp312"));
        assertTrue(kept.getFileName().toString().matches("nrnwt_sample-1.0-py3-non-[0-9a-f]{8}-cp312"), kept::toString);
        assertTrue(Files.isExecutable(kept.resolve("bin/python")), "keepEnvironments leaves the environment in place");
    }
}
