package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/** The local test image (built by .ci/setup.d/50-docker.sh: CPython 3.10 and 3.12 under /opt/python) and its engine. */
final class TestImage {

    static final String NAME = "neuron-wheel-test/manylinux:2";
    /** The image with CPython 3.11 and 3.12 and pip only, as .ci/test-images lists it. */
    static final String BARE = listed("manylinux-bare");

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

    /** The tag of neuron-wheel-test/NAME that .ci/test-images lists (the set-up builds what is listed). */
    static String listed(String name) {
        Path list = MavenInvocation.samplesDirectory().getParent().getParent().resolve(".ci/test-images");
        try {
            for (String line : Files.readAllLines(list)) {
                String tag = line.replaceAll("#.*", "").strip();
                if (tag.startsWith("neuron-wheel-test/" + name + ":")) {
                    return tag;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + list, e);
        }
        throw new IllegalStateException(list + " lists no neuron-wheel-test/" + name + " image");
    }

    /** Skips the calling test when no Docker engine answers; fails it when the engine lacks an image. */
    static void requireEngineAndImage(String image) throws IOException {
        requireEngine();
        assertTrue(ProcessRunner.of("docker", "image", "inspect", image).run().succeeded(),
                "test image " + image + " missing: run .ci/setup.d/50-docker.sh");
    }

    /** Skips the calling test when no Docker engine answers; fails it when the engine lacks the test image. */
    static void requireEngineAndImage() throws IOException {
        requireEngine();
        assertTrue(ProcessRunner.of("docker", "image", "inspect", NAME).run().succeeded(),
                "test image " + NAME + " missing: run .ci/setup.d/50-docker.sh");
    }
}
