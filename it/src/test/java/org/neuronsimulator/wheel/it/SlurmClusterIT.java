package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * {@code mvn verify} of the cluster-tests sample on the one-node Slurm cluster with Lmod that
 * .ci/setup.d/70-cluster.sh sets up: the test goal inside a real {@code salloc} allocation, with a
 * module from a modulefile written here, MPI variants under {@code srun -n 2} (with a module of its
 * own) and MPICH's {@code mpiexec -n 2}. Skipped only where no Slurm controller answers or Lmod is
 * missing.
 */
class SlurmClusterIT {

    static Path wheelhouse;
    static Path modulefiles;

    @BeforeAll
    static void clusterWheelAndModules() throws IOException {
        ProcessResult ping;
        try {
            ping = ProcessRunner.of("scontrol", "ping").timeout(Duration.ofSeconds(30)).run();
        } catch (IOException e) {
            ping = null; // no Slurm client at all
        }
        if (ping == null || !ping.succeeded() || !ping.tailText().contains("is UP")) {
            Assumptions.abort("skipped: no Slurm controller answers (.ci/setup.d/70-cluster.sh starts one)");
        }
        if (!Files.isReadable(Path.of("/usr/share/lmod/lmod/init/sh"))) {
            Assumptions.abort("skipped: Lmod is not installed (.ci/setup.d/70-cluster.sh installs it)");
        }
        modulefiles = MavenInvocation.workDirectory().resolve("cluster-modulefiles");
        MavenInvocation.deleteTree(modulefiles);
        Files.createDirectories(modulefiles.resolve("nwcluster"));
        Files.createDirectories(modulefiles.resolve("nwcluster-mpi"));
        Files.writeString(modulefiles.resolve("nwcluster/1.0.lua"), "setenv(\"NEURON_WHEEL_CLUSTER_MODULE\", \"nwcluster-1.0\")\n");
        Files.writeString(modulefiles.resolve("nwcluster-mpi/2.0.lua"), "setenv(\"NEURON_WHEEL_CLUSTER_MPI\", \"nwcluster-mpi-2.0\")\n");

        MavenInvocation hello = MavenInvocation.ofSample("hello-ext", "hello-ext-for-cluster-tests");
        wheelhouse = MavenInvocation.workDirectory().resolve("cluster-tests-wheelhouse");
        MavenInvocation.deleteTree(wheelhouse);
        ProcessResult built = ProcessRunner.of(WheelTestGoalIT.pyenvPython("python3.12"), "-m", "pip", "wheel", "--no-deps",
                        "--disable-pip-version-check", "-w", wheelhouse.toString(), hello.projectDirectory().toString())
                .environment("PIP_RETRIES", "0")
                .removeEnvironment("PYTHONPATH")
                .tailLines(300)
                .timeout(Duration.ofMinutes(5))
                .run();
        assertTrue(built.succeeded(), built::tailText);
    }

    @Test
    void verifyRunsInsideAnAllocationWithAModuleAndSrunStartsBothRanks() throws IOException {
        MavenInvocation build = MavenInvocation.ofSample("cluster-tests", "cluster-tests-salloc")
                .args("verify")
                .property("neuron.wheelhouse", wheelhouse.toString())
                .property("neuron.test.allocation", "salloc -N1 -n2 --time=10 --job-name=neuron-wheel-it")
                .property("neuron.test.allocationWaitMinutes", "5")
                .property("neuron.test.modules", "nwcluster/1.0")
                .property("neuron.test.modulePurge", "true")
                .env("MODULEPATH", modulefiles.toString())
                .timeout(Duration.ofMinutes(20));
        MavenInvocation.Result result = build.run();
        assertTrue(result.succeeded(), result::describe);
        assertTrue(result.log().contains("allocating: salloc -N1 -n2 --time=10 --job-name=neuron-wheel-it"), result::describe);
        assertTrue(result.log().matches("(?s).*allocation granted in [0-9.]+ s: job \\d+.*"), result::describe);
        assertTrue(result.log().contains("module purge; module load nwcluster/1.0"), result::describe);
        assertTrue(result.log().contains("mpi[slurm]: module load nwcluster-mpi/2.0"), result::describe);

        Path reports = build.projectDirectory().resolve("target/wheel-test-reports");
        String prefix = "TEST-" + wheelName().replaceAll("[^A-Za-z0-9_+=-]+", "_") + ".cp312.";
        String serial = Files.readString(reports.resolve(prefix + "serial.xml"));
        assertTrue(serial.contains("failures=\"0\""), serial);
        assertTrue(serial.matches("(?s).*job=\\d+ tasks=2 module=nwcluster-1.0.*"), serial);
        String srun = Files.readString(reports.resolve(prefix + "mpi_slurm_.xml"));
        assertTrue(srun.contains("failures=\"0\""), srun);
        assertTrue(srun.contains("rank 0 of 2 module=nwcluster-1.0 mpi=nwcluster-mpi-2.0"), srun);
        assertTrue(srun.contains("rank 1 of 2 module=nwcluster-1.0 mpi=nwcluster-mpi-2.0"), srun);
        String mpich = Files.readString(reports.resolve(prefix + "mpi_mpich_.xml"));
        assertTrue(mpich.contains("failures=\"0\""), mpich);
        assertTrue(mpich.contains("rank 0 of 2 module=nwcluster-1.0 mpi=none"), mpich);
        assertTrue(mpich.contains("rank 1 of 2 module=nwcluster-1.0 mpi=none"), mpich);
    }

    @Test
    void aModuleThatDoesNotExistFailsTheGoalWithLmodsMessage() throws IOException {
        MavenInvocation build = MavenInvocation.ofSample("cluster-tests", "cluster-tests-unknown-module")
                .args("verify")
                .property("neuron.wheelhouse", wheelhouse.toString())
                .property("neuron.test.allocation", "")
                .property("neuron.test.modulePath", modulefiles.toString())
                .property("neuron.test.modules", "nwcluster/1.0,hpe-mpi/9.9");
        MavenInvocation.Result result = build.run();
        assertFalse(result.succeeded(), result::describe);
        assertTrue(result.log().contains("module load nwcluster/1.0 hpe-mpi/9.9 failed: Lmod has detected the following"
                + " error: The following module(s) are unknown: \"hpe-mpi/9.9\""), result::describe);
        assertFalse(Files.exists(build.projectDirectory().resolve("target/wheel-test-reports")), "tests ran anyway");
    }

    private static String wheelName() throws IOException {
        try (Stream<Path> files = Files.list(wheelhouse)) {
            List<Path> wheels = files.filter(f -> f.toString().endsWith(".whl")).toList();
            assertEquals(1, wheels.size(), wheels::toString);
            return wheels.get(0).getFileName().toString();
        }
    }
}
