package org.neuronsimulator.wheel.builder.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectImageResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.RecordingReporter;
import org.neuronsimulator.wheel.Reporter;

/** Image builds against the real engine, from a Dockerfile derived from the local test image. */
class ImageBuilderTest {

    private static DockerEngine engine;

    @BeforeAll
    static void connect() {
        engine = DockerTestSupport.localEngineOrSkip();
    }

    @AfterAll
    static void disconnect() throws IOException {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void buildsATaggedImageWhoseContentFollowsTheBuildArgument() throws Exception {
        Path context = DockerTestSupport.projectFixture("image-context");
        String tag = "neuron-wheel-test/derived:latest-aarch64-" + ProcessHandle.current().pid();
        var reporter = new RecordingReporter();
        try {
            String id = new ImageBuilder(engine, reporter).build(new ImageBuilder.Request(context,
                    context.resolve("Dockerfile"), Map.of("MANYLINUX_IMAGE", "manylinux2014_aarch64"), List.of(tag),
                    null, false, false, "none"));
            InspectImageResponse image = engine.client().inspectImageCmd(tag).exec();
            assertEquals(id, image.getId());
            assertTrue(image.getRepoTags().contains(tag), () -> "tags: " + image.getRepoTags());
            assertTrue(Arrays.asList(image.getConfig().getEnv()).contains("NEURON_WHEEL_FLAVOUR=manylinux2014_aarch64"),
                    () -> "env: " + Arrays.toString(image.getConfig().getEnv()));
            assertEquals("manylinux2014_aarch64", image.getConfig().getLabels().get("org.neuronsimulator.flavour"));
            String flavour = DockerTestSupport.run(List.of("docker", "run", "--rm", "--network", "none", tag,
                    "cat", "/opt/flavour.txt", "/opt/greeting.txt"));
            assertEquals("manylinux2014_aarch64\nbuilt by the image goal", flavour.strip());
            assertTrue(reporter.text().contains("[image] Step "), reporter::text);
        } finally {
            if (engine.hasImage(tag)) {
                engine.client().removeImageCmd(tag).withForce(true).exec();
            }
        }
    }

    @Test
    void pushesWithExplicitCredentialsOrThoseOfTheDockerConfigFile() throws Exception {
        Path context = Files.createDirectories(Path.of("target/container-tests/push-image").toAbsolutePath());
        try (LoopbackRegistry registry = new LoopbackRegistry("builder", "s3cret-token", context)) {
            Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\n");
            Files.writeString(context.resolve("hello.txt"), "pushed\n");
            String first = registry.address() + "/neuron/neuron_wheel:latest-x86_64";
            String second = registry.address() + "/neuron/neuron_wheel:feature-x";
            var reporter = new RecordingReporter();
            ImageBuilder builder = new ImageBuilder(engine, reporter);
            try {
                builder.build(new ImageBuilder.Request(context, context.resolve("Dockerfile"), Map.of(),
                        List.of(first, second), null, false, false, "none"));

                // (a refused login is not tried here: the engine retries it with back-off for about a minute)
                builder.push(first, new RegistryCredentials("builder", "s3cret-token", registry.address()));
                assertTrue(registry.manifests.containsKey("neuron/neuron_wheel:latest-x86_64"), registry.manifests::toString);
                assertTrue(reporter.text().contains("pushed " + first), reporter::text);
                assertFalse(reporter.text().contains("s3cret-token"), "the password reached the log");

                // no explicit credentials: the auths entry of the Docker config folder the environment names
                Path dockerConfig = Files.createDirectories(context.resolve("docker-config"));
                Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\": {\"" + registry.address()
                        + "\": {\"auth\": \"" + java.util.Base64.getEncoder().encodeToString(
                        "builder:s3cret-token".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\"}}}");
                try (DockerEngine configured = DockerEngine.connect(null, Map.of("DOCKER_CONFIG", dockerConfig.toString()))) {
                    new ImageBuilder(configured, reporter).push(second, null);
                }
                assertTrue(registry.manifests.containsKey("neuron/neuron_wheel:feature-x"), registry.manifests::toString);
            } finally {
                for (String tag : List.of(first, second)) {
                    if (engine.hasImage(tag)) {
                        engine.client().removeImageCmd(tag).withForce(true).exec();
                    }
                }
            }
        }
    }

    @Test
    void aFailingDockerfileStepEndsWithItsOutput() throws Exception {
        Path context = Files.createDirectories(Path.of("target/container-tests/bad-image").toAbsolutePath());
        Files.writeString(context.resolve("Dockerfile"), "FROM " + DockerTestSupport.TEST_IMAGE + "\n"
                + "RUN echo about to fail && false\n");
        IOException e = assertThrows(IOException.class, () -> new ImageBuilder(engine, Reporter.NONE).build(
                new ImageBuilder.Request(context, context.resolve("Dockerfile"), Map.of(),
                        List.of("neuron-wheel-test/bad:1"), null, false, false, "none")));
        assertTrue(e.getMessage().contains("returned a non-zero code: 1"), e::getMessage);
        assertTrue(e.getMessage().contains("about to fail"), e::getMessage);

        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> new ImageBuilder(engine,
                Reporter.NONE).build(new ImageBuilder.Request(context.resolve("missing"), context.resolve("Dockerfile"),
                Map.of(), List.of("x:1"), null, false, false, null)));
        assertTrue(outside.getMessage().contains("does not exist"), outside::getMessage);
    }
}
