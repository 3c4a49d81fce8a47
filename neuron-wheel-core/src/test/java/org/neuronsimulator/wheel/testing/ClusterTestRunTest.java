package org.neuronsimulator.wheel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.FileTrees;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.RecordingReporter;
import org.neuronsimulator.wheel.builder.PythonSelector;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * The test run as a cluster job, on the one-node Slurm cluster and the Lmod that .ci/setup.d/70-cluster.sh
 * sets up: a real {@code salloc} allocation, {@code srun} ranks, modules from modulefiles written here.
 * Each test is skipped only where that machinery is missing.
 */
class ClusterTestRunTest {

    static final Path WORK = Path.of("target/cluster-testing").toAbsolutePath();
    static Path wheel;
    static Path modulefiles;

    /** States (without a not-responding '*') in which a node can be allocated now or soon. */
    private static final List<String> USABLE_NODE_STATES = List.of("idle", "mixed", "allocated", "completing");

    /** Allocations pend no longer than this: the node is this machine, idle but for the test's own jobs. */
    private static final Duration ALLOCATION_WAIT = Duration.ofMinutes(5);

    @BeforeAll
    static void sampleWheelAndModulefiles() throws IOException {
        Files.createDirectories(WORK);
        wheel = SampleWheels.build(WORK, "1.0");
        modulefiles = WORK.resolve("modulefiles");
        FileTrees.delete(modulefiles);
        Path bin = Files.createDirectories(WORK.resolve("nwtool/bin"));
        Path tool = bin.resolve("nwtool");
        Files.writeString(tool, "#!/bin/sh\necho nwtool from the module\n");
        tool.toFile().setExecutable(true);
        writeModule("nwtest/1.0", "setenv(\"NEURON_WHEEL_TEST_MODULE\", \"nwtest-1.0\")\nprepend_path(\"PATH\", \"" + bin + "\")\n");
        writeModule("nwmpi/2.0", "setenv(\"NEURON_WHEEL_TEST_MPI\", \"nwmpi-2.0\")\n");
    }

    private static void writeModule(String name, String lua) throws IOException {
        Path file = modulefiles.resolve(name + ".lua");
        Files.createDirectories(file.getParent());
        Files.writeString(file, lua);
    }

    static void requireSlurm() throws IOException {
        ProcessResult ping;
        try {
            ping = ProcessRunner.of("scontrol", "ping").timeout(Duration.ofSeconds(30)).run();
        } catch (IOException e) {
            ping = null; // no Slurm client installed
        }
        if (ping == null || !ping.succeeded() || !ping.tailText().contains("is UP")) {
            Assumptions.abort("skipped: no Slurm controller answers (.ci/setup.d/70-cluster.sh starts one)");
        }
        // A node that is down, drained or INVAL would leave every allocation pending: say so now, not after the wait.
        ProcessResult nodes = ProcessRunner.of("sinfo", "-h", "-N", "-o", "%N %T %E").timeout(Duration.ofSeconds(30)).run();
        boolean usable = nodes.tail().stream().map(line -> line.strip().split(" ", 3))
                .anyMatch(f -> f.length >= 2 && USABLE_NODE_STATES.contains(f[1]));
        assertTrue(usable, () -> "no Slurm node takes jobs (.ci/setup.d/70-cluster.sh brings the node up): "
                + nodes.tailText().strip());
    }

    static void requireModules() {
        if (EnvironmentModules.KNOWN_INITS.stream().noneMatch(Files::isReadable)) {
            Assumptions.abort("skipped: no module system (Lmod) is installed (.ci/setup.d/70-cluster.sh installs it)");
        }
    }

    private static WheelTestSettings settings(String name) throws IOException {
        Path root = WORK.resolve(name);
        FileTrees.delete(root);
        Files.createDirectories(root.resolve("project"));
        return new WheelTestSettings(root.resolve("project"), root.resolve("envs"), root.resolve("reports"))
                .environment(Map.of("PIP_RETRIES", "0"))
                .pipOptions(List.of("--no-index"));
    }

    @Test
    void theWholeRunIsInsideTheAllocationWithTheModulesAndSrunStartsBothRanks() throws Exception {
        requireSlurm();
        requireModules();
        String serial = "echo job=$SLURM_JOB_ID ntasks=$SLURM_NTASKS module=$NEURON_WHEEL_TEST_MODULE mpi=${NEURON_WHEEL_TEST_MPI:-none}; nwtool";
        String ranks = "{python} -c 'import os, nrnwt_sample; e = os.environ; os.write(1, (\"rank %s of %s module=%s mpi=%s\\n\""
                + " % (e[\"SLURM_PROCID\"], e[\"SLURM_NTASKS\"], e[\"NEURON_WHEEL_TEST_MODULE\"], e.get(\"NEURON_WHEEL_TEST_MPI\", \"none\"))).encode())'";
        WheelTestSettings settings = settings("allocation")
                .commands(List.of(serial))
                .mpiCommands(List.of(ranks))
                .mpiVariants(List.of(new MpiVariant("slurm", "srun -n 2", List.of("nwmpi/2.0"))));
        RecordingReporter log = new RecordingReporter();
        ClusterOptions cluster = new ClusterOptions("salloc -N1 -n2 --time=10 --job-name=neuron-wheel-core-test",
                List.of("nwtest/1.0"), true, List.of(modulefiles.toString()), null, ALLOCATION_WAIT);

        WheelTestOutcome outcome = new WheelTestRunner(settings, log)
                .runOnCluster(List.of(TestSubject.wheel(wheel)), cluster, PythonSelector.parse("3.12"));

        assertFalse(outcome.hasFailures(), log::text);
        var reports = WheelTestRunnerTest.reports(settings.reportsDirectory());
        String prefix = "TEST-nrnwt_sample-1_0-py3-none-any_whl.cp312.";
        String serialOut = reports.get(prefix + "serial.xml").cases().get(0).systemOut();
        assertTrue(serialOut.matches("(?s).*job=\\d+ ntasks=2 module=nwtest-1.0 mpi=none.*"), serialOut);
        assertTrue(serialOut.contains("nwtool from the module"), serialOut);
        String job = serialOut.replaceAll("(?s).*job=(\\d+).*", "$1");
        String rankOut = reports.get(prefix + "mpi_slurm_.xml").cases().get(0).systemOut();
        assertTrue(rankOut.contains("rank 0 of 2 module=nwtest-1.0 mpi=nwmpi-2.0"), rankOut);
        assertTrue(rankOut.contains("rank 1 of 2 module=nwtest-1.0 mpi=nwmpi-2.0"), rankOut);
        assertTrue(log.text().contains("allocation granted"), log::text);
        // released at the end: the job no longer runs
        ProcessResult queue = ProcessRunner.of("squeue", "-h", "-t", "RUNNING", "-j", job).run();
        assertEquals("", queue.tailText().strip(), () -> "job " + job + " still runs: " + queue.tailText());
    }

    @Test
    void anAllocationWaitThatIsNotPositiveIsRefusedWithTheSettingsName() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new ClusterOptions("salloc -N1", List.of(), false, List.of(), null, Duration.ZERO));
        assertEquals("neuron.test.allocationWaitMinutes", e.setting());
        assertEquals("neuron.test.allocationWaitMinutes must be positive, not 0", e.getMessage());
    }

    @Test
    void aRefusedAllocationFailsWithTheSchedulersMessage() throws Exception {
        requireSlurm();
        WheelTestSettings settings = settings("refused").commands(List.of("true"));
        ClusterException e = assertThrows(ClusterException.class, () -> new WheelTestRunner(settings,
                new RecordingReporter()).runOnCluster(List.of(TestSubject.wheel(wheel)),
                new ClusterOptions("salloc -p no-such-partition -n1", List.of(), false, List.of(), null),
                PythonSelector.parse("3.12")));
        assertTrue(e.getMessage().startsWith("the allocation 'salloc -p no-such-partition -n1' failed (exit 1): "),
                e::getMessage);
        assertTrue(e.getMessage().contains("invalid partition specified: no-such-partition"), e::getMessage);
    }

    @Test
    void aModuleThatDoesNotExistFailsWithTheModuleSystemsMessage() throws Exception {
        requireModules();
        WheelTestSettings settings = settings("unknown-module").commands(List.of("true"));
        ClusterException e = assertThrows(ClusterException.class, () -> new WheelTestRunner(settings,
                new RecordingReporter()).runOnCluster(List.of(TestSubject.wheel(wheel)),
                new ClusterOptions(null, List.of("nwtest/1.0", "no-such-module/9"), false,
                        List.of(modulefiles.toString()), null), PythonSelector.parse("3.12")));
        assertEquals("module load nwtest/1.0 no-such-module/9 failed: Lmod has detected the following error: The following"
                + " module(s) are unknown: \"no-such-module/9\" Please check the spelling or version number. Also try"
                + " \"module spider ...\"", e.getMessage());
        assertFalse(Files.exists(settings.reportsDirectory()), "nothing should have run");
    }

    @Test
    void aJobPastItsTimeLimitStopsTheRunWithTheSchedulersMessage() throws Exception {
        requireSlurm();
        // Slurm counts limits in minutes and checks them every 30 s: this takes about 90 s
        WheelTestSettings settings = settings("time-limit")
                .commands(List.of("echo started; sleep 600", "echo never"))
                .timeout(Duration.ofMinutes(15));
        RecordingReporter log = new RecordingReporter();
        long start = System.nanoTime();
        ClusterException e = assertThrows(ClusterException.class, () -> new WheelTestRunner(settings, log)
                .runOnCluster(List.of(TestSubject.wheel(wheel)),
                        new ClusterOptions("salloc -N1 -n1 --time=1 --job-name=neuron-wheel-core-test", List.of(), false,
                                List.of(), null, ALLOCATION_WAIT),
                        PythonSelector.parse("3.12")));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(e.getMessage().startsWith("the allocation 'salloc -N1 -n1 --time=1 --job-name=neuron-wheel-core-test'"
                + " ended before the tests did: "),
                e::getMessage);
        // Slurm words it "Job N has exceeded its time limit and its allocation has been revoked.", or, when the
        // limit's check and the revocation race, only "Job allocation N has been revoked."
        assertTrue(e.getMessage().contains("has exceeded its time limit") || e.getMessage().contains("has been revoked"),
                e::getMessage);
        assertTrue(seconds < 300, "the sleeping command was not stopped when the allocation ended: " + seconds + " s");
        var cases = WheelTestRunnerTest.reports(settings.reportsDirectory())
                .get("TEST-nrnwt_sample-1_0-py3-none-any_whl.cp312.serial.xml").cases();
        assertEquals("failed", cases.get(0).status());
        assertTrue(cases.get(0).systemOut().contains("started"), cases.get(0)::toString);
        assertTrue(cases.get(0).systemOut().contains("stopped: the allocation ended: "), cases.get(0)::toString);
        assertEquals("failed", cases.get(1).status());
        assertTrue(cases.get(1).systemOut().contains("not run: the allocation ended: "), cases.get(1)::toString);
    }
}
