package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * The image goal makes a multi-platform builder image the way NEURON publishes {@code neuron_wheel}:
 * the x86_64 variant and the aarch64 variant (its RUN step under QEMU emulation, in the arm64 test
 * image) are built with {@code MANYLINUX_IMAGE}-style arguments and pushed as {@code latest-x86_64}
 * and {@code latest-aarch64}, then a manifest list {@code latest} names both; the registry is a real
 * one (Debian's docker-registry) on 127.0.0.1 with TLS and a password. Pulling {@code latest} gets each
 * platform its own image. Skipped only where no engine answers or arm64 cannot be emulated.
 */
class MultiPlatformImageIT {

    private static final String USER = "robot";
    private static final String PASSWORD = "robot-token-7f3a";
    private static final String LIST_TYPE = "application/vnd.docker.distribution.manifest.list.v2+json";
    private static final String MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json";
    /** On every image this test makes, the build stages' too, so that it removes exactly those. */
    private static final String LABEL = "org.neuronsimulator.wheel.it=multi-platform-image";

    /**
     * The builder image's shape, kept small to push: the flavour is made in the base image, copied onto an
     * empty one. (Docker 20.10's classic builder records a step before the COPY of a scratch stage as the
     * host's platform, and the COPY then fails: the ARG comes after it.)
     */
    private static final String DOCKERFILE = String.join("\n",
            "ARG BASE=" + TestImage.NAME,
            "FROM ${BASE} AS flavour",
            "LABEL " + LABEL,
            "ARG MANYLINUX_IMAGE=manylinux2014_x86_64",
            "RUN echo \"$MANYLINUX_IMAGE $(uname -m)\" > /flavour.txt",
            "FROM scratch",
            "COPY --from=flavour /flavour.txt /opt/flavour.txt",
            "ARG MANYLINUX_IMAGE=manylinux2014_x86_64",
            "LABEL org.neuronsimulator.flavour=${MANYLINUX_IMAGE} " + LABEL,
            "");

    @BeforeAll
    static void engineAndEmulation() throws IOException {
        TestImage.requireEngineAndImage();
        Path qemu = Path.of("/proc/sys/fs/binfmt_misc/qemu-aarch64");
        if (!Files.isRegularFile(qemu) || !Files.readString(qemu).contains("enabled")) {
            Assumptions.abort("skipped: qemu-aarch64 is not registered (.ci/setup.d/60-arm64.sh registers it)");
        }
        assertTrue(ProcessRunner.of("docker", "image", "inspect", Aarch64IT.IMAGE).run().succeeded(),
                "arm64 test image " + Aarch64IT.IMAGE + " missing: run .ci/setup.d/60-arm64.sh");
    }

    @Test
    void bothArchitecturesAndAManifestListArePushedAndTheListPullsAsEither() throws Exception {
        Path work = MavenInvocation.workDirectory().resolve("multi-platform-image");
        MavenInvocation.deleteTree(work);
        Path context = Files.createDirectories(work.resolve("context"));
        Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, "<settings><servers><server><id>loopback</id><username>" + USER + "</username>"
                + "<password>" + PASSWORD + "</password></server></servers></settings>\n");

        try (DistributionRegistry registry = DistributionRegistry.start(work.resolve("registry"), USER, PASSWORD)) {
            String repository = registry.address() + "/neuron/neuron_wheel";
            String x86 = repository + ":latest-x86_64";
            String arm = repository + ":latest-aarch64";
            String latest = repository + ":latest";
            Path dockerConfig = Files.createDirectories(work.resolve("docker-config"));
            Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\": {\"" + registry.address() + "\": {\"auth\": \""
                    + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)) + "\"}}}");
            try {
                MavenInvocation.Result x86Build = imageGoal(context, settings)
                        .property("neuron.image.tags", x86)
                        .property("neuron.image.buildArgs", "MANYLINUX_IMAGE=manylinux2014_x86_64")
                        .property("neuron.image.push", "true")
                        .run();
                assertTrue(x86Build.succeeded(), x86Build::describe);

                MavenInvocation.Result armBuild = imageGoal(context, settings)
                        .property("neuron.docker.platform", "linux/arm64")
                        .property("neuron.image.tags", arm)
                        .property("neuron.image.buildArgs", "BASE=" + Aarch64IT.IMAGE + ",MANYLINUX_IMAGE=manylinux2014_aarch64")
                        .property("neuron.image.push", "true")
                        .run();
                assertTrue(armBuild.succeeded(), armBuild::describe);
                assertTrue(armBuild.log().contains("the image is built for linux/arm64 and the engine linux/amd64: its"
                        + " programs run under emulation"), armBuild::describe);
                assertTrue(armBuild.log().matches("(?s).*built image " + java.util.regex.Pattern.quote(arm)
                        + " \\(sha256:[0-9a-f]+, linux/arm64\\).*"), armBuild::describe);

                // the list alone, as when the two variants were built on two machines
                MavenInvocation.Result list = imageGoal(context, settings)
                        .property("neuron.image.manifest", latest)
                        .property("neuron.image.manifestImages", x86 + "," + arm)
                        .run();
                assertTrue(list.succeeded(), list::describe);
                assertTrue(list.log().contains("manifest list " + latest + ": linux/amd64 is " + x86), list::describe);
                assertTrue(list.log().contains("manifest list " + latest + ": linux/arm64 is " + arm), list::describe);
                assertFalse(list.log().contains(PASSWORD), "the password reached the log");

                // what the registry holds under latest: a list naming exactly the two pushed manifests
                HttpClient http = HttpClient.newBuilder().sslContext(registry.trustingItsCertificate()).build();
                HttpResponse<String> listed = get(http, registry, "neuron/neuron_wheel/manifests/latest", LIST_TYPE);
                assertEquals(200, listed.statusCode(), listed::body);
                assertEquals(LIST_TYPE, listed.headers().firstValue("Content-Type").orElse(""));
                String body = listed.body().replaceAll("\\s+", "");
                for (String[] variant : List.of(new String[] {"latest-x86_64", "amd64"}, new String[] {"latest-aarch64", "arm64"})) {
                    HttpResponse<String> single = get(http, registry, "neuron/neuron_wheel/manifests/" + variant[0],
                            MANIFEST_TYPE);
                    assertEquals(200, single.statusCode(), single::body);
                    String digest = single.headers().firstValue("Docker-Content-Digest").orElseThrow();
                    assertTrue(body.contains("\"digest\":\"" + digest + "\",\"platform\":{\"architecture\":\"" + variant[1]
                            + "\",\"os\":\"linux\"}"), () -> variant[0] + " " + digest + " not in " + listed.body());
                }

                // pulling the list: the engine's own platform, then arm64 on request
                docker(dockerConfig, "image", "rm", x86, arm);
                docker(dockerConfig, "pull", latest);
                assertEquals("amd64 manylinux2014_x86_64", docker(dockerConfig, "image", "inspect", "--format",
                        "{{.Architecture}} {{index .Config.Labels \"org.neuronsimulator.flavour\"}}", latest).strip());
                assertEquals("manylinux2014_x86_64 x86_64", fileOf(dockerConfig, latest, "/opt/flavour.txt"));
                docker(dockerConfig, "pull", "--platform", "linux/arm64", latest);
                assertEquals("arm64 manylinux2014_aarch64", docker(dockerConfig, "image", "inspect", "--format",
                        "{{.Architecture}} {{index .Config.Labels \"org.neuronsimulator.flavour\"}}", latest).strip());
                // uname -m ran in the arm64 base under emulation
                assertEquals("manylinux2014_aarch64 aarch64", fileOf(dockerConfig, latest, "/opt/flavour.txt"));

                // a list can only name images of its own repository
                MavenInvocation.Result elsewhere = imageGoal(context, settings)
                        .property("neuron.image.manifest", registry.address() + "/neuron/other:latest")
                        .property("neuron.image.manifestImages", x86)
                        .run();
                assertFalse(elsewhere.succeeded(), elsewhere::describe);
                assertTrue(elsewhere.log().contains("image " + x86 + " is not in the repository of the list "
                        + registry.address() + "/neuron/other:latest"), elsewhere::describe);
            } finally {
                ProcessRunner.of("docker", "image", "rm", "-f", x86, arm, latest).run();
                ProcessResult left = ProcessRunner.of("docker", "image", "ls", "-a", "-q", "--filter", "label=" + LABEL)
                        .tailLines(1000).run();
                List<String> ids = left.tail().stream().map(String::strip).filter(l -> l.matches("[0-9a-f]{12,}"))
                        .distinct().toList();
                if (!ids.isEmpty()) {
                    List<String> remove = new ArrayList<>(List.of("docker", "image", "rm", "-f"));
                    remove.addAll(ids);
                    ProcessRunner.of(remove).run();
                }
            }
        }
    }

    private static MavenInvocation imageGoal(Path context, Path settings) {
        return MavenInvocation.in(context)
                .args("-s", settings.toString(), MavenInvocation.goal("image"))
                .property("neuron.image.network", "none")
                .property("neuron.image.serverId", "loopback")
                .timeout(Duration.ofMinutes(20));
    }

    private static HttpResponse<String> get(HttpClient http, DistributionRegistry registry, String path, String accept)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("https://" + registry.address() + "/v2/" + path))
                .header("Accept", accept)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A file of an image without running it (the image has no shell): from a created container. */
    private static String fileOf(Path dockerConfig, String image, String file) throws IOException {
        List<String> created = docker(dockerConfig, "create", "--label", "org.neuronsimulator.wheel.it=multi-platform",
                image, "/none").lines().filter(l -> !l.isBlank()).toList();
        String container = created.get(created.size() - 1).strip(); // after a warning on a foreign platform
        try {
            Path out = Files.createTempDirectory("flavour");
            docker(dockerConfig, "cp", container + ":" + file, out.toString());
            String text = Files.readString(out.resolve(Path.of(file).getFileName())).strip();
            MavenInvocation.deleteTree(out);
            return text;
        } finally {
            ProcessRunner.of("docker", "rm", "-f", container).run();
        }
    }

    private static String docker(Path config, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("docker", "--config", config.toString()));
        command.addAll(List.of(args));
        ProcessResult result = ProcessRunner.of(command).tailLines(200).timeout(Duration.ofMinutes(5)).run();
        assertTrue(result.succeeded(), () -> String.join(" ", command) + " failed: " + result.tailText());
        return result.tailText();
    }
}
