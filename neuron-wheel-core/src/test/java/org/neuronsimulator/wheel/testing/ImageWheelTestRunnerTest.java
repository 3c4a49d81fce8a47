package org.neuronsimulator.wheel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.FileTrees;
import org.neuronsimulator.wheel.RecordingReporter;
import org.neuronsimulator.wheel.builder.PythonSelector;
import org.neuronsimulator.wheel.builder.container.DockerEngine;
import org.neuronsimulator.wheel.builder.container.ExtraInput;
import org.neuronsimulator.wheel.builder.container.PullPolicy;

/**
 * Runs wheel tests inside a container of the real local test image ({@code .ci/setup.d/50-docker.sh}
 * builds it: CPython 3.10 and 3.12 under {@code /opt/python}, no MPI, no GPU) through the real Docker
 * engine. Skipped only when no engine answers.
 */
class ImageWheelTestRunnerTest {

    static final String TEST_IMAGE = System.getProperty("neuron.testImage", "neuron-wheel-test/manylinux:2");
    static final Path WORK = Path.of("target/wheel-testing-image").toAbsolutePath();
    static final Pattern CONTAINER_NAME = Pattern.compile("testing in container (\\S+) of ");

    static DockerEngine engine;
    static Path anyWheel;
    static Path py312Wheel;

    @BeforeAll
    static void connectAndBuildWheels() throws IOException {
        try {
            engine = DockerEngine.connect(null, System.getenv());
        } catch (IOException e) {
            Assumptions.abort("skipped: no Docker engine answers (.ci/setup.d/50-docker.sh starts one): " + e.getMessage());
        }
        if (!engine.hasImage(TEST_IMAGE)) {
            fail("the Docker engine runs but the test image " + TEST_IMAGE + " is missing: run .ci/setup.d/50-docker.sh");
        }
        Files.createDirectories(WORK);
        anyWheel = SampleWheels.build(WORK, "1.0");
        // A wheel only Python 3.12 accepts: the same pure code under a py312-none-any name.
        Path built = SampleWheels.build(WORK, "2.0");
        Path only312 = WORK.resolve("only312");
        Files.createDirectories(only312);
        py312Wheel = Files.copy(built, only312.resolve(SampleWheels.MODULE + "-2.0-py312-none-any.whl"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @AfterAll
    static void close() throws IOException {
        if (engine != null) {
            engine.close();
        }
    }

    static WheelTestSettings settings(String name) throws IOException {
        Path root = WORK.resolve(name);
        FileTrees.delete(root);
        Files.createDirectories(root.resolve("project"));
        Files.writeString(root.resolve("project/check.py"), "import os\nprint('check.py runs in', os.getcwd())\n");
        // left out of the copy, like the build's project copy
        Files.createDirectories(root.resolve("project/target"));
        Files.writeString(root.resolve("project/target/big.bin"), "not copied");
        return new WheelTestSettings(root.resolve("project"), root.resolve("envs"), root.resolve("reports"))
                .environment(Map.of("PIP_RETRIES", "0"))
                .pipOptions(List.of("--no-index"));
    }

    @Test
    void testsWheelsOnTheImagesPythonsThatAcceptThemAndRemovesTheContainer() throws IOException {
        String importCommand = "{python} -c 'import nrnwt_sample, sys; print(nrnwt_sample.hello(), sys.version_info[:2], sys.prefix)'";
        String packageCommand = "test -f {package}/__init__.py && echo package at {package} && echo wheel at {wheel}"
                + " && ls {project}";
        String projectCommand = "{python} check.py";
        WheelTestSettings settings = settings("image")
                .commands(List.of(importCommand, packageCommand, projectCommand))
                .mpiCommands(List.of("{python} -c 'print(1)'"))
                .gpuCommands(List.of("nvidia-smi"));
        RecordingReporter log = new RecordingReporter();

        WheelTestOutcome outcome = new WheelTestRunner(settings, log).runInImage(
                List.of(TestSubject.wheel(anyWheel), TestSubject.wheel(py312Wheel)), engine,
                new ImageTestOptions(TEST_IMAGE, PullPolicy.NEVER, null, false, List.of()),
                PythonSelector.parse("3.10,3.12"));

        assertFalse(outcome.hasFailures(), log::text);
        assertTrue(log.text().contains("Pythons of " + TEST_IMAGE + " under test: cp310, cp312"), log::text);
        // the py3 wheel on both Pythons, the py312 wheel only on 3.12: install, serial, mpi, gpu each
        assertEquals(12, outcome.suites().size(), log::text);
        Map<String, JUnitReport> reports = WheelTestRunnerTest.reports(settings.reportsDirectory());
        assertEquals(12, reports.size(), reports::toString);
        assertFalse(reports.keySet().stream().anyMatch(r -> r.contains("py312-none-any_whl.cp310")), reports::toString);

        for (String python : List.of("cp310", "cp312")) {
            String prefix = "TEST-nrnwt_sample-1_0-py3-none-any_whl." + python + ".";
            JUnitReport install = reports.get(prefix + "install.xml");
            assertEquals(2, install.tests(), install::toString);
            assertTrue(install.cases().get(0).name().contains("/opt/python/" + python + "-" + python + "/bin/python"),
                    install::toString);
            assertTrue(install.cases().get(1).name().contains("/neuron-wheel/wheels/nrnwt_sample-1.0-py3-none-any.whl"),
                    install::toString);

            JUnitReport serial = reports.get(prefix + "serial.xml");
            assertEquals(List.of(importCommand, packageCommand, projectCommand),
                    serial.cases().stream().map(JUnitReport.Case::name).toList());
            assertEquals(List.of("passed", "passed", "passed"),
                    serial.cases().stream().map(JUnitReport.Case::status).toList());
            String hello = serial.cases().get(0).systemOut();
            assertTrue(hello.contains("hello from nrnwt_sample 1.0 (3, " + python.substring(3) + ") /neuron-wheel/test-envs/"),
                    hello);
            String where = serial.cases().get(1).systemOut();
            assertTrue(where.contains("package at /neuron-wheel/test-envs/"), where);
            assertTrue(where.contains("/site-packages/nrnwt_sample"), where);
            assertTrue(where.contains("wheel at /neuron-wheel/wheels/nrnwt_sample-1.0-py3-none-any.whl"), where);
            assertTrue(where.contains("check.py") && !where.contains("target"), where);
            assertTrue(serial.cases().get(2).systemOut().contains("check.py runs in /project"), serial::toString);

            JUnitReport mpi = reports.get(prefix + "mpi_mpiexec_-n_2_.xml");
            assertEquals(1, mpi.skipped(), mpi::toString);
            assertTrue(mpi.cases().get(0).message().contains("MPI launcher 'mpiexec' is not installed")
                    && mpi.cases().get(0).message().contains("in container "), mpi::toString);
            JUnitReport gpu = reports.get(prefix + "gpu.xml");
            assertEquals(1, gpu.skipped(), gpu::toString);
            assertTrue(gpu.cases().get(0).message().contains("nvidia-smi is not installed in container"), gpu::toString);
        }
        JUnitReport only312 = reports.get("TEST-nrnwt_sample-2_0-py312-none-any_whl.cp312.serial.xml");
        assertTrue(only312.cases().get(0).systemOut().contains("hello from nrnwt_sample 2.0 (3, 12)"), only312::toString);

        assertContainerGone(log);
    }

    @Test
    void requirementsComeFromAFolderCopiedInBecauseTheContainerHasNoNetwork() throws IOException {
        // the folder holds the requirement as a wheel; pip finds it there and nowhere else
        Path wheels = WORK.resolve("offline-wheels");
        FileTrees.delete(wheels);
        Files.createDirectories(wheels);
        Files.copy(anyWheel, wheels.resolve(anyWheel.getFileName()));
        WheelTestSettings settings = settings("offline")
                .requirements(List.of("nrnwt-sample==1.0"))
                .pipOptions(List.of("--no-index", "--find-links=/neuron-wheel/requirements"))
                .commands(List.of("{python} -c 'import nrnwt_sample; print(nrnwt_sample.hello())'"));
        RecordingReporter log = new RecordingReporter();

        WheelTestOutcome outcome = new WheelTestRunner(settings, log).runInImage(
                List.of(TestSubject.requirement("nrnwt-sample==1.0", null)), engine,
                new ImageTestOptions(TEST_IMAGE, PullPolicy.NEVER, null, false,
                        List.of(new ExtraInput(wheels, "/neuron-wheel/requirements"))),
                PythonSelector.parse("cp312"));

        assertFalse(outcome.hasFailures(), log::text);
        JUnitReport serial = WheelTestRunnerTest.reports(settings.reportsDirectory())
                .get("TEST-nrnwt-sample==1_0.cp312.serial.xml");
        assertTrue(serial.cases().get(0).systemOut().contains("hello from nrnwt_sample 1.0"), serial::toString);
        assertContainerGone(log);
    }

    @Test
    void aCommandThatTimesOutKillsTheContainerAndTheLaterCommandsFailWithThatReason() throws IOException {
        WheelTestSettings settings = settings("timeout")
                .commands(List.of("sleep 60", "echo after"))
                .timeout(java.time.Duration.ofSeconds(3));
        RecordingReporter log = new RecordingReporter();

        WheelTestOutcome outcome = new WheelTestRunner(settings, log).runInImage(List.of(TestSubject.wheel(anyWheel)),
                engine, new ImageTestOptions(TEST_IMAGE, PullPolicy.NEVER, null, false, List.of()),
                PythonSelector.parse("3.12"));

        assertTrue(outcome.hasFailures(), log::text);
        JUnitReport serial = WheelTestRunnerTest.reports(settings.reportsDirectory())
                .get("TEST-nrnwt_sample-1_0-py3-none-any_whl.cp312.serial.xml");
        assertEquals(List.of("failed", "failed"), serial.cases().stream().map(JUnitReport.Case::status).toList());
        assertEquals("timed out after 3 s", serial.cases().get(0).message(), serial::toString);
        assertTrue(serial.cases().get(1).failureText().contains("was killed when '/bin/sh -c sleep 60' timed out"),
                serial::toString);
        assertContainerGone(log);
    }

    @Test
    void aSelectionTheImageCannotMeetIsAClearErrorAndLeavesNoContainer() throws IOException {
        RecordingReporter log = new RecordingReporter();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                new WheelTestRunner(settings("nomatch"), log).runInImage(List.of(TestSubject.wheel(anyWheel)), engine,
                        new ImageTestOptions(TEST_IMAGE, PullPolicy.NEVER, null, false, List.of()),
                        PythonSelector.parse("3.7")));
        assertTrue(e.getMessage().contains("matches no CPython in image " + TEST_IMAGE)
                && e.getMessage().contains("cp310") && e.getMessage().contains("cp312"), e.getMessage());
        assertContainerGone(log);
    }

    /** As {@code docker ps -a --filter name=NAME} would show it: nothing. */
    static void assertContainerGone(RecordingReporter log) {
        Matcher m = CONTAINER_NAME.matcher(log.text());
        assertTrue(m.find(), log::text);
        String name = m.group(1);
        var left = engine.client().listContainersCmd().withShowAll(true).withNameFilter(List.of(name)).exec();
        assertTrue(left.isEmpty(), () -> "container " + name + " was left: " + left);
    }
}
