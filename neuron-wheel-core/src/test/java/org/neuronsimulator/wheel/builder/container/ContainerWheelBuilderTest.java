package org.neuronsimulator.wheel.builder.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuronsimulator.wheel.builder.container.DockerTestSupport.TEST_IMAGE;
import static org.neuronsimulator.wheel.builder.container.DockerTestSupport.freshDirectory;
import static org.neuronsimulator.wheel.builder.container.DockerTestSupport.installAndRun;
import static org.neuronsimulator.wheel.builder.container.DockerTestSupport.leftoverContainers;
import static org.neuronsimulator.wheel.builder.container.DockerTestSupport.projectFixture;
import static org.neuronsimulator.wheel.builder.container.DockerTestSupport.pyenvPython;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.RecordingReporter;
import org.neuronsimulator.wheel.audit.AuditOptions;
import org.neuronsimulator.wheel.audit.HostLibraryResolver;
import org.neuronsimulator.wheel.audit.PackageOwners;
import org.neuronsimulator.wheel.audit.ResolvedLibrary;
import org.neuronsimulator.wheel.audit.WheelAudit;
import org.neuronsimulator.wheel.audit.WheelAuditor;
import org.neuronsimulator.wheel.builder.BuildCommand;
import org.neuronsimulator.wheel.builder.BuildFailedException;
import org.neuronsimulator.wheel.builder.BuildRequest;
import org.neuronsimulator.wheel.builder.BuiltWheel;
import org.neuronsimulator.wheel.builder.PythonSelector;

/** Container builds against the real Docker engine and the local test image (two CPythons under /opt/python). */
class ContainerWheelBuilderTest {

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

    private static BuildRequest request(String fixture, Path out, String pythons, String command, Duration timeout) {
        return new BuildRequest(projectFixture(fixture), out, PythonSelector.parse(pythons),
                command == null ? BuildCommand.defaultCommand() : BuildCommand.parse(command), Map.of(), timeout);
    }

    @Test
    void buildsEachPythonOfTheImageAndTheWheelsWorkOnTheHost() throws Exception {
        Path out = freshDirectory("two-pythons");
        var reporter = new RecordingReporter();
        ContainerBuildOptions options = ContainerBuildOptions.builder(TEST_IMAGE).pullPolicy(PullPolicy.NEVER).build();
        List<BuiltWheel> wheels = new ContainerWheelBuilder(engine, options, Map.of(), reporter)
                .build(request("hello-ctr", out, "", null, Duration.ofMinutes(5)));

        assertEquals(List.of("cp310", "cp312"), wheels.stream().map(BuiltWheel::pythonTag).toList(), reporter::text);
        String owner = Files.getOwner(out).getName();
        for (BuiltWheel wheel : wheels) {
            assertEquals(out.resolve(wheel.pythonTag()), wheel.file().getParent());
            assertTrue(wheel.file().getFileName().toString().startsWith("hello_ctr-0.3.0-" + wheel.pythonTag() + "-"
                    + wheel.pythonTag() + "-linux_x86_64"), wheel.file()::toString);
            assertEquals(System.getProperty("user.name"), Files.getOwner(wheel.file()).getName());
            assertEquals(owner, Files.getOwner(wheel.file()).getName());
        }
        assertEquals("42", installAndRun(pyenvPython("3.10.13"), out.resolve("venv310"), wheels.get(0).file(),
                "import helloctr; print(helloctr.twice(21))"));
        assertEquals("42", installAndRun(pyenvPython("3.12.1"), out.resolve("venv312"), wheels.get(1).file(),
                "import helloctr; print(helloctr.twice(21))"));
        assertTrue(reporter.text().contains("[cp310] build step: "), reporter::text);
        assertTrue(reporter.text().contains("[cp312] copy-out step: "), reporter::text);
        assertEquals(List.of(), leftoverContainers(engine));
    }

    @Test
    void selectsPythonsInTheImageLikeHostBuilds() throws Exception {
        Path out = freshDirectory("select");
        ContainerBuildOptions options = ContainerBuildOptions.builder(TEST_IMAGE).pullPolicy(PullPolicy.NEVER).build();
        var builder = new ContainerWheelBuilder(engine, options, Map.of(), new RecordingReporter());
        List<BuiltWheel> wheels = builder.build(request("hello-ctr", out, "3.12", null, Duration.ofMinutes(5)));
        assertEquals(List.of("cp312"), wheels.stream().map(BuiltWheel::pythonTag).toList());

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> builder.build(request("hello-ctr", out, "cp39", null, Duration.ofMinutes(5))));
        assertTrue(none.getMessage().contains("cp310, cp312"), none::getMessage);
        assertEquals(List.of(), leftoverContainers(engine));
    }

    @Test
    void parallelLanesShareTheCompilerCacheVolume() throws Exception {
        String volume = "neuron-wheel-test-ccache-" + ProcessHandle.current().pid();
        Path out = freshDirectory("parallel");
        var reporter = new RecordingReporter();
        ContainerBuildOptions options = ContainerBuildOptions.builder(TEST_IMAGE).pullPolicy(PullPolicy.NEVER)
                .parallel(2).cacheDirectory(volume).build();
        try {
            List<BuiltWheel> wheels = new ContainerWheelBuilder(engine, options, Map.of(), reporter)
                    .build(request("hello-ctr", out, "3*", null, Duration.ofMinutes(5)));
            assertEquals(List.of("cp310", "cp312"), wheels.stream().map(BuiltWheel::pythonTag).toList());
            assertEquals(2, reporter.lines().stream().filter(l -> l.startsWith("[INFO] container neuron-wheel-")).count(),
                    reporter::text);
            // ccache stored the two compilations in the named volume
            String files = DockerTestSupport.run(List.of("docker", "run", "--rm", "--network", "none", "-v",
                    volume + ":/c", TEST_IMAGE, "sh", "-c", "find /c -type f -name '*R' | wc -l")).strip();
            assertTrue(Integer.parseInt(files) >= 2, "ccache result files in the volume: " + files);
        } finally {
            engine.client().removeVolumeCmd(volume).exec();
        }
        assertEquals(List.of(), leftoverContainers(engine));
    }

    @Test
    void aFailingBuildEndsWithItsLogTailAndRemovesTheContainer() throws Exception {
        Path out = freshDirectory("failing");
        // an earlier run's wheel for the same Python: the failed build must not leave it for the wheel goal
        Path stale = java.nio.file.Files.createDirectories(out.resolve("cp310")).resolve("hello_ctr-0.9-cp310-cp310-linux_x86_64.whl");
        java.nio.file.Files.writeString(stale, "earlier build");
        BuildFailedException failure = assertThrows(BuildFailedException.class,
                () -> new ContainerWheelBuilder(engine, ContainerBuildOptions.builder(TEST_IMAGE)
                        .pullPolicy(PullPolicy.NEVER).build(), Map.of(), new RecordingReporter())
                        .build(request("hello-ctr", out, "3.10", "{python} -c \"import sys; print('compiler exploded'); sys.exit(3)\"",
                                Duration.ofMinutes(2))));
        assertTrue(failure.getMessage().contains("[cp310] build failed with exit code 3"), failure::getMessage);
        assertTrue(failure.logTail().contains("compiler exploded"), failure.logTail()::toString);
        assertEquals(List.of(), leftoverContainers(engine));
        assertTrue(java.nio.file.Files.notExists(stale), "the stale raw wheel is still there");
    }

    @Test
    void aBuildPastItsTimeoutIsKilledAndItsContainerRemoved() throws Exception {
        Path out = freshDirectory("timeout");
        long start = System.nanoTime();
        BuildFailedException failure = assertThrows(BuildFailedException.class,
                () -> new ContainerWheelBuilder(engine, ContainerBuildOptions.builder(TEST_IMAGE)
                        .pullPolicy(PullPolicy.NEVER).build(), Map.of(), new RecordingReporter())
                        .build(request("hello-ctr", out, "3.12", "sh -c \"echo compiling forever; sleep 600\"",
                                Duration.ofSeconds(3))));
        assertTrue(failure.getMessage().contains("[cp312] build timed out after PT3S"), failure::getMessage);
        assertTrue(failure.logTail().contains("compiling forever"), failure.logTail()::toString);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(300).toNanos(), "the 600 s command was not cut short");
        assertEquals(List.of(), leftoverContainers(engine));
    }

    @Test
    void environmentAndVariantReachTheBuild() throws Exception {
        Path out = freshDirectory("environment");
        ContainerBuildOptions options = ContainerBuildOptions.builder(TEST_IMAGE).pullPolicy(PullPolicy.NEVER)
                .passEnvironment(List.of("FROM_HOST", "UNSET_ON_HOST"))
                .variant(new BuildVariant("coreneuron", List.of("--flavour", "coreneuron"), Map.of("FLAVOUR", "cn")))
                .build();
        var reporter = new RecordingReporter();
        // the "build" writes its arguments and environment into a file named like a wheel
        String command = "sh -c \"echo $0 $1 $FROM_HOST $FLAVOUR $EXPLICIT ${UNSET_ON_HOST-unset} > {outdir}/report-0-py3-none-any.whl\" {variant}";
        BuildRequest request = new BuildRequest(projectFixture("hello-ctr"), out, PythonSelector.parse("3.10"),
                BuildCommand.parse(command), Map.of("EXPLICIT", "given"), Duration.ofMinutes(2));
        List<BuiltWheel> wheels = new ContainerWheelBuilder(engine, options, Map.of("FROM_HOST", "passed"), reporter)
                .build(request);
        assertEquals("--flavour coreneuron passed cn given unset", Files.readString(wheels.get(0).file()).strip());
        assertEquals(List.of(), leftoverContainers(engine));
    }

    @Test
    void remoteEngineOverTcpGetsExtraInputsCopiedNotMounted() throws Exception {
        DockerEngine remote = DockerTestSupport.engineOrSkip(DockerTestSupport.TCP_HOST);
        try (remote) {
            Path out = freshDirectory("tcp");
            var reporter = new RecordingReporter();
            ContainerBuildOptions options = ContainerBuildOptions.builder(TEST_IMAGE).pullPolicy(PullPolicy.NEVER)
                    .extraInput(new ExtraInput(projectFixture("vendor-include"), "/opt/vendor/include"))
                    .mountExtraInputs(true) // asked for, but a TCP engine gets copies
                    .keepContainers(true)
                    .network(ContainerNetwork.NONE) // hermetic: the header comes in as a copy, nothing from a network
                    .pipCache("none")
                    .build();
            List<BuiltWheel> wheels = new ContainerWheelBuilder(remote, options, Map.of(), reporter)
                    .build(request("needs-header", out, "3.12", null, Duration.ofMinutes(5)));
            String kept = reporter.lines().stream().filter(l -> l.startsWith("[INFO] kept container ")).findFirst()
                    .map(l -> l.split(" ")[3]).orElseThrow(() -> new AssertionError(reporter.text()));
            try {
                InspectContainerResponse container = remote.client().inspectContainerCmd(kept).exec();
                var binds = container.getHostConfig().getBinds();
                assertTrue(binds == null || binds.length == 0, () -> "binds: " + List.of(binds));
                assertTrue(container.getMounts() == null || container.getMounts().isEmpty(),
                        () -> "mounts: " + container.getMounts());
                assertTrue(container.getConfig().getNetworkDisabled(), "networking is disabled");
                assertEquals("none", container.getHostConfig().getNetworkMode());
            } finally {
                remote.client().removeContainerCmd(kept).withForce(true).exec();
            }
            assertEquals("1234", installAndRun(pyenvPython("3.12.1"), out.resolve("venv"), wheels.get(0).file(),
                    "import needs_header; print(needs_header.answer())"));
            assertEquals(List.of(), leftoverContainers(remote));
        }
    }

    @Test
    void aLocalEngineBindMountsTheCacheFolderAndExtraInputs() throws Exception {
        Path out = freshDirectory("binds");
        Path cache = out.resolve("ccache");
        var reporter = new RecordingReporter();
        ContainerBuildOptions options = ContainerBuildOptions.builder(TEST_IMAGE).pullPolicy(PullPolicy.NEVER)
                .extraInput(new ExtraInput(projectFixture("vendor-include"), "/opt/vendor/include"))
                .mountExtraInputs(true)
                .cacheDirectory(cache.toString())
                .keepContainers(true)
                .build();
        List<BuiltWheel> wheels = new ContainerWheelBuilder(engine, options, Map.of(), reporter)
                .build(request("needs-header", out, "3.10", null, Duration.ofMinutes(5)));
        assertEquals(1, wheels.size());
        String kept = reporter.lines().stream().filter(l -> l.startsWith("[INFO] kept container ")).findFirst()
                .map(l -> l.split(" ")[3]).orElseThrow(() -> new AssertionError(reporter.text()));
        try {
            List<String> binds = List.of(engine.client().inspectContainerCmd(kept).exec().getHostConfig().getBinds())
                    .stream().map(Object::toString).toList();
            assertTrue(binds.contains(projectFixture("vendor-include") + ":/opt/vendor/include:ro"), binds::toString);
            assertTrue(binds.contains(cache + ":" + ContainerWheelBuilder.CACHE_PATH + ":rw"), binds::toString);
        } finally {
            engine.client().removeContainerCmd(kept).withForce(true).exec();
        }
        try (var files = Files.walk(cache)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith("R")), "no ccache result in " + cache);
        }
        assertEquals(List.of(), leftoverContainers(engine));
    }

    @Test
    void aHostCacheFolderNeedsALocalEngine() throws Exception {
        DockerEngine remote = DockerTestSupport.engineOrSkip(DockerTestSupport.TCP_HOST);
        try (remote) {
            ContainerBuildOptions options = ContainerBuildOptions.builder(TEST_IMAGE).pullPolicy(PullPolicy.NEVER)
                    .cacheDirectory("/var/cache/ccache").build();
            IOException e = assertThrows(IOException.class, () -> new ContainerWheelBuilder(remote, options, Map.of(),
                    new RecordingReporter()).build(request("hello-ctr", freshDirectory("remote-cache"),
                    "3.10", null, Duration.ofMinutes(1))));
            assertTrue(e.getMessage().contains("name a Docker volume instead"), e::getMessage);
        }
    }

    @Test
    void librariesResolvedInTheImageAreExported() throws Exception {
        Path out = freshDirectory("imgonly");
        Path root = out.resolve("image-root");
        ContainerBuildOptions options = ContainerBuildOptions.builder(TEST_IMAGE).pullPolicy(PullPolicy.NEVER).build();
        List<BuiltWheel> wheels = new ContainerWheelBuilder(engine, options, Map.of(), new RecordingReporter())
                .exportLibrariesTo(root)
                .build(request("imgonly-ext", out, "3.12", null, Duration.ofMinutes(5)));
        assertEquals(1, wheels.size());
        assertTrue(Files.isRegularFile(root.resolve("opt/imgonly/lib/libimgonly.so.1")), "library not exported");
        assertEquals("/opt/imgonly/lib", Files.readString(root.resolve("etc/ld.so.conf.d/imgonly.conf")).strip());
        assertTrue(Files.isRegularFile(root.resolve("etc/ld.so.conf")));
        assertEquals(List.of(), leftoverContainers(engine));

        // the audit, resolving as the image does, finds the library the host lacks and can copy it for grafting
        assertTrue(Files.notExists(Path.of("/opt/imgonly/lib/libimgonly.so.1")), "the host must not have libimgonly");
        WheelAudit fromImage = new WheelAuditor(ImageLibraryResolver.over(root), AuditOptions.defaults())
                .audit(wheels.get(0).file());
        assertEquals("/opt/imgonly/lib/libimgonly.so.1", fromImage.externalLibraries().get("libimgonly.so.1"),
                () -> "external libraries: " + fromImage.externalLibraries());
        ResolvedLibrary library = fromImage.resolvedLibraries().get("/opt/imgonly/lib/libimgonly.so.1");
        Path copy = out.resolve("grafted.so");
        ImageLibraryResolver.over(root).copy(library, copy);
        assertEquals(-1, Files.mismatch(copy, root.resolve("opt/imgonly/lib/libimgonly.so.1")));

        WheelAudit fromHost = new WheelAuditor(HostLibraryResolver.ofSystem(), AuditOptions.defaults())
                .audit(wheels.get(0).file());
        assertTrue(fromHost.unresolvedLibraries().contains("libimgonly.so.1"), () -> "host audit: "
                + fromHost.externalLibraries());

        // which image package installed each exported library, for the SBOM of repaired wheels
        String packages = Files.readString(root.resolve(PackageOwners.MANIFEST));
        assertTrue(packages.contains("/lib/x86_64-linux-gnu/libz.so.1\tdeb\tdebian\tzlib1g\t"), packages);
        assertFalse(packages.contains("libimgonly"), "built in the image, installed by no package: " + packages);
        ResolvedLibrary zlib = fromImage.resolvedLibraries().get("/lib/x86_64-linux-gnu/libz.so.1");
        assertEquals("zlib1g", ImageLibraryResolver.over(root).providingPackage(zlib).orElseThrow().name());
        assertTrue(ImageLibraryResolver.over(root).providingPackage(library).isEmpty());
    }
}
