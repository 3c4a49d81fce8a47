package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.publish.FileDigests;
import org.neuronsimulator.wheel.publish.PypiTestServer;

/**
 * The goals as separate CI stages on different machines: three Maven runs in three unrelated
 * folders that share nothing but one folder of wheels, as pipeline artifacts do. Runs on the host.
 */
class ThreeStagePipelineIT {

    @Test
    void buildThenTestThenUploadShareOnlyTheWheelhouse() throws IOException {
        Path shared = MavenInvocation.workDirectory().resolve("three-stage-artifact");
        MavenInvocation.deleteTree(shared);
        Files.createDirectories(shared);

        // Stage 1, "build per Python": mvn package -Dneuron.python=311 on a checkout.
        MavenInvocation build = MavenInvocation.ofSample("neuron-like", "three-stage-build")
                .args("package").property("neuron.python", "311");
        MavenInvocation.Result built = build.run();
        assertTrue(built.succeeded(), built::describe);
        List<Path> wheels = wheels(build.projectDirectory().resolve("target/wheelhouse"));
        assertEquals(1, wheels.size(), wheels::toString);
        assertTrue(wheels.get(0).getFileName().toString().startsWith("neuron_like-9.0.0-cp311-cp311-manylinux_"), wheels::toString);
        Path artifact = Files.copy(wheels.get(0), shared.resolve(wheels.get(0).getFileName()));

        // Stage 2, "test": a fresh checkout with no target folder tests what the artifact holds.
        MavenInvocation test = MavenInvocation.ofSample("neuron-like", "three-stage-test")
                .args("neuron-wheel:test")
                .property("neuron.wheelhouse", shared.toString())
                .property("neuron.python", "311");
        assertFalse(Files.exists(test.projectDirectory().resolve("target")), "stage 2 starts from a clean checkout");
        MavenInvocation.Result tested = test.run();
        assertTrue(tested.succeeded(), tested::describe);
        assertTrue(tested.log().contains("Testing " + artifact.getFileName()), tested::describe);
        // the GPU commands run only where a GPU is found, so the count depends on the machine
        assertTrue(tested.log().matches("(?s).*Tests run: \\d+, Failures: 0, .*"), tested::describe);
        String serial = reportsContaining(test.projectDirectory().resolve("target/wheel-test-reports"), "serial");
        assertTrue(serial.contains("import ok NEURON-like 9.0") && serial.contains("data files ok"), serial);
        assertFalse(tested.log().contains("neuron-wheel-maven-plugin:0.1.0-SNAPSHOT:build"), "stage 2 builds nothing");
        String mpi = reportsContaining(test.projectDirectory().resolve("target/wheel-test-reports"), "mpi");
        assertTrue(mpi.contains("rank 0 of mpi lib") && mpi.contains("rank 1 of mpi lib"), mpi);

        // Stage 3, "upload": no checkout at all, only the artifact.
        Path publishMachine = MavenInvocation.workDirectory().resolve("three-stage-upload");
        MavenInvocation.deleteTree(publishMachine);
        Files.createDirectories(publishMachine);
        try (PypiTestServer server = new PypiTestServer(publishMachine.resolve("index"))) {
            MavenInvocation.Result uploaded = MavenInvocation.in(publishMachine)
                    .args(MavenInvocation.goal("upload"))
                    .property("neuron.wheelhouse", shared.toString())
                    .property("neuron.repositoryUrl", server.uploadUrl())
                    .property("neuron.release", "true")
                    .property("neuron.upload.verifyTimeout", "30")
                    .run();
            assertTrue(uploaded.succeeded(), uploaded::describe);
            assertEquals(List.of(artifact.getFileName().toString()), server.listing().get("neuron-like"));
            Path stored;
            try (Stream<Path> files = Files.walk(publishMachine.resolve("index"))) {
                stored = files.filter(f -> f.getFileName().toString().equals(artifact.getFileName().toString()))
                        .findFirst().orElseThrow(() -> new AssertionError("the index stored no " + artifact.getFileName()));
            }
            assertEquals(FileDigests.sha256Of(artifact), FileDigests.sha256Of(stored), "the index holds the tested bytes");
        }
        assertFalse(Files.exists(publishMachine.resolve("pom.xml")));
    }

    private static List<Path> wheels(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".whl")).toList();
        }
    }

    private static String reportsContaining(Path folder, String kind) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> reports = files.filter(f -> f.getFileName().toString().contains("." + kind)).toList();
            assertEquals(1, reports.size(), reports::toString);
            return Files.readString(reports.get(0));
        }
    }
}
