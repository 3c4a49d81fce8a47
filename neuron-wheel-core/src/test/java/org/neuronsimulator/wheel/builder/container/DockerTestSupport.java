package org.neuronsimulator.wheel.builder.container;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/** Shared set-up of the tests that need the real Docker engine and the image .ci/setup.d/50-docker.sh builds. */
final class DockerTestSupport {

    static final String TEST_IMAGE = System.getProperty("neuron.testImage", "neuron-wheel-test/manylinux:2");
    static final String TCP_HOST = "tcp://127.0.0.1:2375";

    private DockerTestSupport() {
    }

    /**
     * The local engine: the unix socket DOCKER_HOST names, else the default one, so that the docker commands
     * these tests also run reach the same engine. The calling test is skipped (not failed) when no engine
     * answers on this machine.
     */
    static DockerEngine localEngineOrSkip() {
        String fromEnvironment = System.getenv("DOCKER_HOST");
        return engineOrSkip(fromEnvironment != null && fromEnvironment.startsWith("unix://") ? fromEnvironment
                : DockerEndpoint.DEFAULT_HOST);
    }

    static DockerEngine engineOrSkip(String host) {
        DockerEngine engine;
        try {
            engine = DockerEngine.connect(host, Map.of());
        } catch (IOException e) {
            Assumptions.abort("skipped: no Docker engine answers at " + host + " (.ci/setup.d/50-docker.sh starts one): "
                    + e.getMessage());
            return null;
        }
        if (!engine.hasImage(TEST_IMAGE)) {
            fail("the Docker engine runs but the test image " + TEST_IMAGE + " is missing: run .ci/setup.d/50-docker.sh");
        }
        return engine;
    }

    /**
     * Build containers of these tests' projects that still exist (running or not), as {@code docker ps -a}
     * lists them; containers of other builds on the same engine (a benchmark, say) are not counted.
     */
    static List<String> leftoverContainers(DockerEngine engine) {
        String fixtures = projectFixture("").toString();
        List<String> names = new ArrayList<>();
        engine.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(BuildContainer.LABEL, "true")).exec().stream()
                .filter(c -> c.getLabels() != null && c.getLabels().getOrDefault(BuildContainer.PROJECT_LABEL, "")
                        .startsWith(fixtures))
                .forEach(c -> names.add(String.join(",", c.getNames())));
        return names;
    }

    static Path projectFixture(String name) {
        return Path.of("src/test/resources/container", name).toAbsolutePath();
    }

    static Path freshDirectory(String name) throws IOException {
        Path dir = Path.of("target/container-tests", name).toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir);
        return dir;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Installs a wheel into a fresh venv of the given host interpreter and runs a snippet; returns its output. */
    static String installAndRun(Path basePython, Path venv, Path wheel, String code) throws IOException {
        deleteTree(venv);
        run(List.of(basePython.toString(), "-m", "venv", venv.toString()));
        Path python = venv.resolve("bin/python");
        run(List.of(python.toString(), "-m", "pip", "install", "--no-index", "--disable-pip-version-check", "-q",
                wheel.toString()));
        return run(List.of(python.toString(), "-c", code)).strip();
    }

    static String run(List<String> command) throws IOException {
        ProcessResult result = ProcessRunner.of(command).removeEnvironment("PYTHONPATH").tailLines(200)
                .timeout(Duration.ofMinutes(5)).run();
        assertTrue(result.succeeded(), () -> String.join(" ", command) + " failed:\n" + result.tailText());
        return result.tailText();
    }

    static Path pyenvPython(String version) {
        Path python = Path.of(System.getProperty("user.home"), ".pyenv/versions", version, "bin/python3");
        assertTrue(Files.isExecutable(python), "host Python " + python + " is missing (pyenv " + version + ")");
        return python;
    }
}
