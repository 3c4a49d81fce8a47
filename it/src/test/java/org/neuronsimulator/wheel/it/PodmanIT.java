package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.builder.container.DockerEngine;

/**
 * Container builds and tests through Podman's Docker-compatible API ({@code podman system service}, started
 * by .ci/setup.d/60-podman.sh on unix:///run/podman/podman.sock), with the manylinux test image loaded into
 * Podman's storage. Skipped only when nothing answers on that socket.
 */
class PodmanIT {

    static final String SOCKET = "unix:///run/podman/podman.sock";

    @BeforeAll
    static void podmanAnswers() throws IOException {
        try (DockerEngine engine = DockerEngine.connect(SOCKET, Map.of())) {
            if (!engine.hasImage(TestImage.NAME)) {
                fail("Podman answers at " + SOCKET + " but has no " + TestImage.NAME + ": run .ci/setup.d/60-podman.sh");
            }
        } catch (IOException e) {
            Assumptions.abort("skipped: no Podman service answers at " + SOCKET
                    + " (.ci/setup.d/60-podman.sh starts it): " + e.getMessage());
        }
    }

    @Test
    void buildsAndTestsInTheTestImageThroughPodman() throws IOException {
        MavenInvocation run = MavenInvocation.ofSample("hello-ext", "hello-ext-podman")
                .args("package", MavenInvocation.goal("test"))
                .property("neuron.docker.host", SOCKET)
                .property("neuron.image", TestImage.NAME)
                .property("neuron.pull", "never")
                .property("neuron.python", "3.12")
                .property("neuron.network", "none")
                .property("neuron.test.image", TestImage.NAME);
        MavenInvocation.Result result = run.run();
        assertTrue(result.succeeded(), result::describe);
        assertTrue(result.log().contains("on the Docker engine at " + SOCKET), result::describe);
        assertTrue(result.log().contains("[cp312] build step: "), result::describe);
        List<Path> wheels = HelloExtHostBuildIT.listWheels(run.projectDirectory().resolve("target/wheelhouse"));
        assertEquals(1, wheels.size(), () -> "wheelhouse: " + wheels);
        assertTrue(result.log().contains("testing in container "), result::describe);
        try (var reports = Files.list(run.projectDirectory().resolve("target/wheel-test-reports"))) {
            assertTrue(reports.anyMatch(r -> r.getFileName().toString().contains("cp312")), "no JUnit report for cp312");
        }
        Venv venv = Venv.create(BuildRequirementsIT.pyenv("3.12.1"), run.projectDirectory().resolve("target/venv"));
        venv.pip("install", "--no-index", wheels.get(0).toString());
        assertEquals("5", venv.python("-c", "import hello; print(hello.add(2, 3))").strip());
        assertEquals(List.of(), ContainersLeft.of(run.projectDirectory(), SOCKET));
    }

    @Test
    void pyprojectsContainerEnginePodmanPointsTheBuildAtPodmansSocket() throws IOException {
        MavenInvocation run = MavenInvocation.ofSample("hello-ext", "hello-ext-podman-pyproject")
                .args("compile")
                .property("neuron.image", TestImage.NAME)
                .property("neuron.pull", "never")
                .property("neuron.python", "3.10")
                .property("neuron.network", "none")
                .withoutEnv("DOCKER_HOST");
        Path pyproject = run.projectDirectory().resolve("pyproject.toml");
        Files.writeString(pyproject, Files.readString(pyproject) + "\n[tool.cibuildwheel]\ncontainer-engine = \"podman\"\n");
        MavenInvocation.Result result = run.run();
        assertTrue(result.succeeded(), result::describe);
        assertTrue(result.log().contains("neuron.docker.host = " + SOCKET
                + " (from pyproject.toml [tool.cibuildwheel] container-engine (Podman's API socket))"), result::describe);
        assertTrue(result.log().contains("on the Docker engine at " + SOCKET), result::describe);
        assertEquals(1, HelloExtHostBuildIT.listWheels(run.projectDirectory().resolve("target/raw-wheels/cp310")).size());
        assertEquals(List.of(), ContainersLeft.of(run.projectDirectory(), SOCKET));
    }
}
