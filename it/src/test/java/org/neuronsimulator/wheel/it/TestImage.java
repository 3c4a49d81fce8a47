package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/** The local test image (built by .ci/setup.d/50-docker.sh: CPython 3.10 and 3.12 under /opt/python) and its engine. */
final class TestImage {

    static final String NAME = "neuron-wheel-test/manylinux:2";

    private TestImage() {
    }

    /** Skips the calling test when no Docker engine answers. */
    static void requireEngine() throws IOException {
        ProcessResult info;
        try {
            info = ProcessRunner.of("docker", "info").timeout(Duration.ofSeconds(30)).run();
        } catch (IOException e) {
            info = null; // no docker command at all
        }
        if (info == null || !info.succeeded()) {
            Assumptions.abort("skipped: no Docker engine answers (.ci/setup.d/50-docker.sh starts one)");
        }
    }

    /** Skips the calling test when no Docker engine answers; fails it when the engine lacks the test image. */
    static void requireEngineAndImage() throws IOException {
        requireEngine();
        assertTrue(ProcessRunner.of("docker", "image", "inspect", NAME).run().succeeded(),
                "test image " + NAME + " missing: run .ci/setup.d/50-docker.sh");
    }
}
