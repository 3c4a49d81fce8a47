package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.builder.container.LoopbackRegistry;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * {@code mvn package -Pmanylinux2014} with the profile's image replaced by the local test image
 * (built by .ci/setup.d/50-docker.sh: CPython 3.10 and 3.12 under /opt/python), on the real engine.
 * Skipped only when no Docker engine answers.
 */
class ContainerBuildIT {

    private static final String IMAGE = TestImage.NAME;
    private static final String LABEL = "org.neuronsimulator.wheel.builder";

    @BeforeAll
    static void engineAnswers() throws IOException {
        TestImage.requireEngineAndImage();
    }

    private static MavenInvocation containerBuild(String workName) throws IOException {
        return MavenInvocation.ofSample("hello-ext", workName)
                .args("package", "-Pmanylinux2014")
                .property("neuron.image", IMAGE)
                .property("neuron.pull", "never");
    }

    @Test
    void packageBuildsEveryPythonOfTheImage() throws IOException {
        MavenInvocation build = containerBuild("hello-ext-container");
        MavenInvocation.Result result = build.run();
        assertTrue(result.succeeded(), result::describe);
        assertTrue(result.log().contains("[cp310] build step: "), result::describe);
        assertTrue(result.log().contains("[cp312] build step: "), result::describe);

        Path raw = build.projectDirectory().resolve("target/raw-wheels");
        String user = System.getProperty("user.name");
        for (String[] python : List.of(new String[] {"cp310", "3.10.13"}, new String[] {"cp312", "3.12.1"})) {
            List<Path> wheels = HelloExtHostBuildIT.listWheels(raw.resolve(python[0]));
            assertEquals(1, wheels.size(), () -> raw + " holds " + wheels);
            assertEquals(user, Files.getOwner(wheels.get(0)).getName());
            Venv venv = Venv.create(pyenv(python[1]), build.projectDirectory().resolve("target/venv-" + python[0]));
            List<Path> finals = HelloExtHostBuildIT.listWheels(build.projectDirectory().resolve("target/wheelhouse")).stream()
                    .filter(w -> w.getFileName().toString().contains("-" + python[0] + "-")).toList();
            assertEquals(1, finals.size(), () -> "wheelhouse for " + python[0] + ": " + finals);
            venv.pip("install", "--no-index", finals.get(0).toString());
            assertEquals("5 hello, docker", venv.python("-c",
                    "import hello; print(hello.add(2, 3), hello.greet('docker'))").strip());
        }
        assertEquals("", leftoverContainers());
    }

    @Test
    void aRemoteEngineOverTcpBuildsWithoutBindMounts() throws IOException {
        MavenInvocation build = containerBuild("hello-ext-tcp")
                .property("neuron.docker.host", "tcp://127.0.0.1:2375")
                .property("neuron.python", "3.12");
        MavenInvocation.Result result = build.run();
        Assumptions.assumeFalse(result.log().contains("No Docker engine answers at tcp://127.0.0.1:2375"),
                "skipped: the engine does not listen on tcp://127.0.0.1:2375");
        assertTrue(result.succeeded(), result::describe);
        assertTrue(result.log().contains("Docker engine at tcp://127.0.0.1:2375"), result::describe);
        assertEquals(1, HelloExtHostBuildIT.listWheels(build.projectDirectory().resolve("target/raw-wheels/cp312")).size());
        assertEquals("", leftoverContainers());
    }

    @Test
    void aFailingBuildFailsTheGoalWithItsLogTail() throws IOException {
        MavenInvocation build = containerBuild("hello-ext-failing")
                .property("neuron.python", "3.10")
                .property("neuron.buildCommand", "{python} -c \"import sys; print('linker-said-no'); sys.exit(2)\"");
        MavenInvocation.Result result = build.run();
        assertFalse(result.succeeded(), result::describe);
        assertTrue(result.log().contains("[cp310] build failed with exit code 2"), result::describe);
        assertTrue(result.log().contains("--- last lines of the build log ---"), result::describe);
        assertTrue(result.log().contains("linker-said-no"), result::describe);
        assertEquals("", leftoverContainers());
    }

    @Test
    void aBuildPastItsTimeoutFailsTheGoal() throws IOException {
        MavenInvocation build = containerBuild("hello-ext-timeout")
                .property("neuron.python", "3.12")
                .property("neuron.build.timeout", "3s")
                .property("neuron.buildCommand", "sh -c \"echo still-compiling; sleep 600\"");
        MavenInvocation.Result result = build.timeout(Duration.ofMinutes(5)).run();
        assertFalse(result.succeeded(), result::describe);
        assertTrue(result.log().contains("[cp312] build timed out after PT3S"), result::describe);
        assertTrue(result.log().contains("still-compiling"), result::describe);
        assertEquals("", leftoverContainers());
    }

    @Test
    void ctrlCDuringABuildRemovesTheContainer() throws Exception {
        MavenInvocation copy = containerBuild("hello-ext-interrupted");
        List<String> command = new java.util.ArrayList<>(List.of(MavenInvocation.MavenVersion.SYSTEM.executable().toString(),
                "-B", "-ntp", "-Dmaven.repo.local=" + System.getProperty("it.localRepository"),
                "-Dneuron-wheel.version=" + MavenInvocation.pluginVersion(), "compile",
                "-Dneuron.image=" + IMAGE, "-Dneuron.pull=never", "-Dneuron.python=3.12",
                "-Dneuron.buildCommand=sh -c \"echo waiting-for-ctrl-c; sleep 600\""));
        Process maven = new ProcessBuilder(command).directory(copy.projectDirectory().toFile())
                .redirectErrorStream(true).start();
        StringBuilder log = new StringBuilder();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(maven.getInputStream()))) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.append(line).append('\n');
                if (line.contains("waiting-for-ctrl-c")) {
                    // what the terminal sends to the foreground JVM on Ctrl-C (mvn execs java, so this is the JVM)
                    new ProcessBuilder("kill", "-INT", String.valueOf(maven.pid())).start().waitFor();
                }
            }
        }
        assertTrue(maven.waitFor(2, java.util.concurrent.TimeUnit.MINUTES), "Maven did not stop after SIGINT");
        assertTrue(log.toString().contains("waiting-for-ctrl-c"), log::toString);
        assertEquals("", leftoverContainers(), log::toString);
    }

    @Test
    void aLibraryOnlyInTheImageResolvesFromTheImage() throws IOException {
        assertFalse(Files.exists(Path.of("/opt/imgonly/lib/libimgonly.so.1")), "the host must not have libimgonly");
        MavenInvocation build = MavenInvocation.ofSample("imgonly-ext", "imgonly-ext")
                .args("compile", MavenInvocation.goal("audit"))
                .property("neuron.python", "3.12")
                .property("neuron.wheel", "target/raw-wheels/cp312");
        MavenInvocation.Result result = build.run();
        assertTrue(result.succeeded(), result::describe);
        assertTrue(result.log().contains("libraries resolve as in the build image"), result::describe);
        assertTrue(result.log().contains("libimgonly.so.1 => /opt/imgonly/lib/libimgonly.so.1"), result::describe);
        assertTrue(Files.isRegularFile(build.projectDirectory().resolve("target/image-root/opt/imgonly/lib/libimgonly.so.1")));
        assertEquals("", leftoverContainers());
    }

    @Test
    void repairGraftsALibraryThatOnlyTheImageHas() throws IOException {
        assertFalse(Files.exists(Path.of("/opt/imgonly/lib/libimgonly.so.1")), "the host must not have libimgonly");
        MavenInvocation build = MavenInvocation.ofSample("imgonly-ext", "imgonly-ext-package")
                .args("package")
                .property("neuron.python", "3.12");
        MavenInvocation.Result result = build.run();
        assertTrue(result.succeeded(), result::describe);
        assertTrue(result.log().contains("libraries resolve as in the build image"), result::describe);
        List<Path> wheels = HelloExtHostBuildIT.listWheels(build.projectDirectory().resolve("target/wheelhouse"));
        assertEquals(1, wheels.size(), () -> "wheelhouse: " + wheels);
        assertTrue(wheels.get(0).getFileName().toString().contains("manylinux"), wheels.get(0)::toString);
        try (var zip = org.neuronsimulator.wheel.archive.ZipArchive.open(wheels.get(0))) {
            List<String> names = zip.entries().stream().map(org.neuronsimulator.wheel.archive.ZipEntryInfo::name).toList();
            assertTrue(names.stream().anyMatch(n -> n.matches("imgonly_ext\\.libs/libimgonly-[0-9a-f]{8}\\.so\\.1")),
                    () -> "entries: " + names);
        }
        // the host has no libimgonly: the import works only with the grafted copy
        Venv venv = Venv.create(pyenv("3.12.1"), build.projectDirectory().resolve("target/venv"));
        venv.pip("install", "--no-index", wheels.get(0).toString());
        assertEquals("42", venv.python("-c", "import imgonly_ext; print(imgonly_ext.answer())").strip());
        assertEquals("", leftoverContainers());
    }

    @Test
    void imageGoalBuildsATaggedImageWithABuildArgument() throws IOException {
        Path context = MavenInvocation.workDirectory().resolve("builder-image");
        MavenInvocation.deleteTree(context);
        Files.createDirectories(context);
        for (String name : List.of("Dockerfile", "greeting.txt")) {
            Files.copy(MavenInvocation.samplesDirectory().resolve("builder-image").resolve(name), context.resolve(name));
        }
        String tag = "neuron-wheel-test/neuron_wheel:latest-aarch64";
        try {
            MavenInvocation.Result result = MavenInvocation.in(context)
                    .args(MavenInvocation.goal("image"))
                    .property("neuron.image.tags", tag)
                    .property("neuron.image.buildArgs", "MANYLINUX_IMAGE=manylinux2014_aarch64")
                    .property("neuron.image.network", "none")
                    .run();
            assertTrue(result.succeeded(), result::describe);
            assertTrue(result.log().contains("[image] Step "), result::describe);
            String inspected = docker("image", "inspect", "--format",
                    "{{json .RepoTags}} {{index .Config.Labels \"org.neuronsimulator.flavour\"}}", tag);
            assertEquals("[\"" + tag + "\"] manylinux2014_aarch64", inspected.strip());
            assertEquals("manylinux2014_aarch64", docker("run", "--rm", "--network", "none", tag,
                    "cat", "/opt/flavour.txt").strip());
        } finally {
            ProcessRunner.of("docker", "image", "rm", "-f", tag).run();
        }
    }

    @Test
    void imageGoalPushesWithTheDecryptedPasswordOfASettingsServer() throws IOException {
        Path work = MavenInvocation.workDirectory().resolve("image-push");
        MavenInvocation.deleteTree(work);
        Files.createDirectories(work);
        Files.writeString(work.resolve("Dockerfile"), "FROM scratch\nCOPY note.txt /note.txt\n");
        Files.writeString(work.resolve("note.txt"), "pushed by the image goal\n");
        // a master password and the server password encrypted with it, as 'mvn --encrypt-*' makes them
        String master = encrypted(work, "--encrypt-master-password", "it-master");
        Path security = work.resolve("settings-security.xml");
        Files.writeString(security, "<settingsSecurity><master>" + master + "</master></settingsSecurity>\n");
        String password = encrypted(work, "-Dsettings.security=" + security, "--encrypt-password", "robot-token");
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, "<settings><servers><server><id>loopback</id><username>robot</username>"
                + "<password>" + password + "</password></server></servers></settings>\n");
        try (LoopbackRegistry registry = new LoopbackRegistry("robot", "robot-token", work)) {
            String tag = registry.address() + "/neuron/neuron_wheel:latest-x86_64";
            try {
                MavenInvocation.Result result = MavenInvocation.in(work)
                        .args("-s", settings.toString(), "-Dsettings.security=" + security, MavenInvocation.goal("image"))
                        .property("neuron.image.tags", tag)
                        .property("neuron.image.push", "true")
                        .property("neuron.image.serverId", "loopback")
                        .run();
                assertTrue(result.succeeded(), result::describe);
                assertTrue(registry.manifests.containsKey("neuron/neuron_wheel:latest-x86_64"), result::describe);
                assertTrue(result.log().contains("pushed " + tag), result::describe);
                assertFalse(result.log().contains("robot-token"), "the password reached the log");
            } finally {
                ProcessRunner.of("docker", "image", "rm", "-f", tag).run();
            }
        }
    }

    /** Runs Maven's password encryption and returns the {...} it prints. */
    private static String encrypted(Path directory, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("mvn", "-B"));
        command.addAll(List.of(args));
        ProcessResult result = ProcessRunner.of(command).directory(directory).timeout(Duration.ofMinutes(2)).run();
        assertTrue(result.succeeded(), result::tailText);
        var matcher = java.util.regex.Pattern.compile("\\{[^{}\\s]+\\}").matcher(result.tailText());
        assertTrue(matcher.find(), result::tailText);
        return matcher.group();
    }

    private static String pyenv(String version) {
        return Path.of(System.getProperty("user.home"), ".pyenv/versions", version, "bin/python3").toString();
    }

    /** What {@code docker ps -a} lists of the build containers of these tests' projects (not of other builds). */
    private static String leftoverContainers() throws IOException {
        String listed = docker("ps", "-a", "--filter", "label=" + LABEL, "--format",
                "{{.Label \"org.neuronsimulator.wheel.project\"}} {{.Names}}");
        String work = MavenInvocation.workDirectory().toString();
        return listed.lines().filter(line -> line.startsWith(work)).map(line -> line.substring(line.indexOf(' ') + 1))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private static String docker(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        ProcessResult result = ProcessRunner.of(command).timeout(Duration.ofMinutes(2)).run();
        assertTrue(result.succeeded(), () -> String.join(" ", command) + " failed: " + result.tailText());
        return result.tailText();
    }
}
