package org.neuronsimulator.wheel.builder.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.RecordingReporter;
import org.neuronsimulator.wheel.Reporter;

/** Platform names, and the check that an image suits the requested platform, on the real engine and images. */
class ImagePlatformTest {

    static final String ARM64_IMAGE = "neuron-wheel-test/bookworm-aarch64:1";

    @Test
    void platformsAreReadInTheEnginesSpelling() {
        assertEquals(new ImagePlatform("linux", "arm64", ""), ImagePlatform.parse("linux/arm64"));
        assertEquals(new ImagePlatform("linux", "arm64", ""), ImagePlatform.parse("Linux/aarch64"));
        assertEquals(new ImagePlatform("linux", "amd64", ""), ImagePlatform.parse("linux/x86_64"));
        assertEquals(new ImagePlatform("linux", "arm", "v7"), ImagePlatform.parse("linux/arm/v7"));
        assertEquals("linux/arm/v7", ImagePlatform.parse("linux/armv7l").toString());
        assertEquals("aarch64", ImagePlatform.parse("linux/arm64/v8").wheelArchitecture());
        assertEquals("x86_64", ImagePlatform.parse("linux/amd64").wheelArchitecture());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImagePlatform.parse("arm64"));
        assertTrue(e.getMessage().contains("neuron.docker.platform=arm64 is not a platform like linux/amd64"), e::getMessage);

        assertTrue(ImagePlatform.parse("linux/arm64/v8").matches(ImagePlatform.parse("linux/arm64")));
        assertFalse(ImagePlatform.parse("linux/arm64").matches(ImagePlatform.parse("linux/amd64")));
        assertFalse(ImagePlatform.parse("linux/arm/v6").matches(ImagePlatform.parse("linux/arm/v7")));
        assertTrue(ImagePlatform.parse("linux/amd64").runsNatively(ImagePlatform.parse("linux/386")));
        assertFalse(ImagePlatform.parse("linux/amd64").runsNatively(ImagePlatform.parse("linux/arm64")));
    }

    @Test
    void emulationCountsOnlyWhenTheKernelHasItEnabled() throws IOException {
        Path binfmt = Files.createDirectories(Path.of("target/container-tests/binfmt").toAbsolutePath());
        Files.writeString(binfmt.resolve("qemu-aarch64"), "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: PF\n");
        Files.writeString(binfmt.resolve("qemu-riscv64"), "disabled\ninterpreter /usr/libexec/qemu-binfmt/riscv64-binfmt-P\n");
        Files.deleteIfExists(binfmt.resolve("qemu-s390x"));
        assertTrue(ImagePlatform.emulationRegistered(binfmt, "aarch64"));
        assertFalse(ImagePlatform.emulationRegistered(binfmt, "riscv64"));
        assertFalse(ImagePlatform.emulationRegistered(binfmt, "s390x"));
    }

    @Test
    void anImageOfAnotherPlatformIsRefusedBeforeAnyContainerIsMade() throws IOException {
        try (DockerEngine engine = DockerTestSupport.localEngineOrSkip()) {
            PlatformMismatchException e = assertThrows(PlatformMismatchException.class, () -> ImagePlatform.check(engine,
                    DockerTestSupport.TEST_IMAGE, "linux/arm64", Reporter.NONE));
            assertTrue(e.getMessage().startsWith("image " + DockerTestSupport.TEST_IMAGE + " is linux/amd64, but"
                    + " neuron.docker.platform=linux/arm64 asks for linux/arm64: name an image built for linux/arm64"
                    + " (e.g. its aarch64 variant)"), e::getMessage);
            ImagePlatform.check(engine, DockerTestSupport.TEST_IMAGE, "linux/amd64", Reporter.NONE);
            ImagePlatform.check(engine, DockerTestSupport.TEST_IMAGE, null, Reporter.NONE);

            // the test container too is refused before it exists
            Path project = DockerTestSupport.freshDirectory("wrong-platform-project");
            assertThrows(PlatformMismatchException.class, () -> ImageContainer.start(engine, DockerTestSupport.TEST_IMAGE,
                    PullPolicy.NEVER, "linux/arm64", ContainerNetwork.NONE, "test", project, false, Reporter.NONE));
            assertEquals(List.of(), DockerTestSupport.leftoverContainers(engine));
        }
    }

    @Test
    void theArm64ImageRunsUnderEmulationAndOnlyAsArm64() throws IOException {
        try (DockerEngine engine = DockerTestSupport.localEngineOrSkip()) {
            Assumptions.assumeTrue(ImagePlatform.emulationRegistered(ImagePlatform.BINFMT_MISC, "aarch64"),
                    "skipped: qemu-aarch64 is not registered (.ci/setup.d/60-arm64.sh registers it)");
            assertTrue(engine.hasImage(ARM64_IMAGE), "the arm64 test image is missing: run .ci/setup.d/60-arm64.sh");
            assertEquals(ImagePlatform.parse("linux/arm64"), ImagePlatform.of(engine, ARM64_IMAGE));
            RecordingReporter log = new RecordingReporter();
            ImagePlatform.check(engine, ARM64_IMAGE, "linux/arm64", log);
            assertTrue(log.text().contains("image " + ARM64_IMAGE + " is linux/arm64 and the engine linux/amd64: its"
                    + " programs run under emulation"), log::text);
            PlatformMismatchException e = assertThrows(PlatformMismatchException.class, () -> ImagePlatform.check(engine,
                    ARM64_IMAGE, "linux/amd64", Reporter.NONE));
            assertTrue(e.getMessage().startsWith("image " + ARM64_IMAGE + " is linux/arm64, but neuron.docker.platform="
                    + "linux/amd64 asks for linux/amd64"), e::getMessage);
        }
    }
}
