package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.archive.ZipArchive;
import org.neuronsimulator.wheel.archive.ZipEntryInfo;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;
import org.neuronsimulator.wheel.publish.PypiTestServer;

/**
 * The NEURON-shaped sample (samples/neuron-like: CMake, a core library, OpenMP, MPI by dlopen, a
 * bundled program, data files, a console script) from source to package index: {@code mvn deploy
 * -Pmanylinux2014} in the local test image (CPython 3.10 and 3.12, built by .ci/setup.d/50-docker.sh)
 * builds, repairs, tests serially and under mpiexec and uploads nightlies to a loopback index; then
 * {@code -Dneuron.release=true} uploads the release; fresh environments install both from that index.
 * Skipped only when no Docker engine answers.
 */
class NeuronLikeLifecycleIT {

    private static final String IMAGE = TestImage.NAME;
    private static final String TOKEN = "pypi-lifecycle-test-token-0123456789";
    private static final List<String> PYTHONS = List.of("cp310", "cp312");

    private static Path work;
    private static PypiTestServer server;

    @BeforeAll
    static void engineAndIndex() throws IOException {
        TestImage.requireEngine();
        ProcessResult cmake = ProcessRunner.of("docker", "run", "--rm", "--network", "none", IMAGE,
                "sh", "-c", "cmake --version && make --version").timeout(Duration.ofMinutes(1)).run();
        assertTrue(cmake.succeeded(), () -> "test image " + IMAGE + " lacks cmake or make: run .ci/setup.d/55-test-image-cmake.sh\n"
                + cmake.tailText());
        work = MavenInvocation.workDirectory().resolve("neuron-like-lifecycle-index");
        MavenInvocation.deleteTree(work);
        server = new PypiTestServer(work.resolve("index")).user("__token__", TOKEN);
    }

    @AfterAll
    static void stopIndex() {
        if (server != null) {
            server.close();
        }
    }

    /** {@code mvn deploy -Pmanylinux2014} with the image pointed at the local test image and the loopback index. */
    private static MavenInvocation deploy(MavenInvocation project) {
        return project.args("deploy", "-Pmanylinux2014")
                .property("manylinux2014.image", IMAGE)
                .property("neuron.pull", "never")
                .property("neuron.python", "3.10,3.12")
                .property("neuron.repositoryUrl", server.uploadUrl())
                .property("neuron.upload.verifyTimeout", "60")
                // CI passes the token the way twine reads it
                .env("TWINE_USERNAME", "__token__")
                .env("TWINE_PASSWORD", TOKEN)
                .timeout(Duration.ofMinutes(20));
    }

    @Test
    void deployPublishesNightliesThenTheReleaseAndBothInstallFromTheIndex() throws IOException {
        // CRON mode: the CI's build number numbers the nightly
        MavenInvocation nightly = deploy(MavenInvocation.ofSample("neuron-like", "neuron-like-lifecycle"))
                .property("neuron.buildNumber", "4711");
        MavenInvocation.Result nightlyRun = nightly.run();
        assertTrue(nightlyRun.succeeded(), nightlyRun::describe);
        Path project = nightly.projectDirectory();
        for (String python : PYTHONS) {
            assertTrue(nightlyRun.log().contains("[" + python + "] build step: "), nightlyRun::describe);
        }

        // Repair: NEURON's excludes keep libgomp and libnrniv out of the grafted libraries.
        List<Path> wheels = wheels(project.resolve("target/wheelhouse"));
        assertEquals(PYTHONS.size(), wheels.size(), wheels::toString);
        for (String python : PYTHONS) {
            Path wheel = wheels.stream().filter(w -> w.getFileName().toString().contains("-" + python + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + python + " wheel in " + wheels));
            List<String> entries = entries(wheel);
            assertEquals(List.of(), matching(entries, "libgomp"), "libgomp.so.1 is excluded");
            assertEquals(List.of("neuronlike/.data/lib/libnrniv.so"), matching(entries, "libnrniv"), "libnrniv once, where CMake put it");
            assertEquals(List.of(), matching(entries, "libmpi"), "MPI is loaded at run time, never bundled");
            assertTrue(entries.stream().anyMatch(e -> e.endsWith("/data/share/neuronlike/hoc/stdlib.hoc")), entries::toString);
            String extension = entries.stream().filter(e -> e.startsWith("neuronlike/hoc.") && e.endsWith(".so"))
                    .findFirst().orElseThrow(() -> new AssertionError("no extension in " + entries));
            String dynamic = readelf(wheel, extension, project.resolve("target/readelf-" + python));
            assertTrue(dynamic.contains("Shared library: [libnrniv.so]"), dynamic);
            assertTrue(dynamic.matches("(?s).*\\((RUNPATH|RPATH)\\).*\\[\\$ORIGIN/\\.data/lib].*"), dynamic);
        }

        // Tests ran for both Pythons, serially and under mpiexec -n 2 with the machine's MPI found at run time.
        for (String python : PYTHONS) {
            String mpiReport = report(project, python, "mpi");
            assertTrue(mpiReport.contains("rank 0 of mpi lib"), mpiReport);
            assertTrue(mpiReport.contains("rank 1 of mpi lib"), mpiReport);
            String serialReport = report(project, python, "serial");
            assertTrue(serialReport.contains("import ok NEURON-like 9.0"), serialReport);
            assertTrue(serialReport.contains("sum(1..1000)=500500"), serialReport);
        }

        Map<String, List<String>> listing = server.listing();
        List<String> nightlies = listing.getOrDefault("neuron-like-nightly", List.of());
        assertEquals(PYTHONS.size(), nightlies.size(), listing::toString);
        nightlies.forEach(file -> assertTrue(file.startsWith("neuron_like_nightly-9.0.0.dev4711-"), file));
        assertFalse(listing.containsKey("neuron-like"), "a nightly run publishes no release");

        // The release: same project, the switch on.
        MavenInvocation.Result releaseRun = deploy(MavenInvocation.in(project))
                .property("neuron.release", "true").run();
        assertTrue(releaseRun.succeeded(), releaseRun::describe);
        List<String> releases = server.listing().getOrDefault("neuron-like", List.of());
        assertEquals(List.of("neuron_like-9.0.0-cp310-cp310", "neuron_like-9.0.0-cp312-cp312"),
                releases.stream().map(f -> f.substring(0, f.indexOf("-manylinux"))).sorted().toList(), releases::toString);

        // Fresh environments install from the index alone and run the program and the import.
        Venv release = Venv.create(pyenv("3.12.1"), project.resolve("target/venv-release"));
        release.pip("--isolated", "install", "--index-url", server.indexUrl(), "neuron-like==9.0.0");
        assertTrue(run(release, "nrniv", "10").contains("NEURON-like 9.0 sum(1..10)=55"));
        assertEquals("55.0 9.0.0", release.python("-c",
                "import neuronlike, importlib.metadata as m; print(neuronlike.parallel_sum(10), m.version('neuron-like'))").strip());
        Venv nightlyEnv = Venv.create(pyenv("3.10.13"), project.resolve("target/venv-nightly"));
        nightlyEnv.pip("--isolated", "install", "--pre", "--index-url", server.indexUrl(), "neuron-like-nightly");
        assertTrue(run(nightlyEnv, "nrniv", "--version").contains("NEURON-like 9.0"));
        assertTrue(nightlyEnv.python("-c", "import neuronlike, importlib.metadata as m; print(m.version('neuron-like-nightly'))")
                .strip().equals("9.0.0.dev4711"));

        // As test_wheels.sh "-i INDEX NEURON==x.y.z": the test goal on the published release.
        MavenInvocation.Result published = MavenInvocation.in(project).args("neuron-wheel:test")
                .property("neuron.python", "3.12")
                .property("neuron.test.requirement", "neuron-like==9.0.0")
                .property("neuron.test.index", server.indexUrl())
                .property("neuron.test.pipOptions", "--isolated")
                .property("neuron.test.reportsDirectory", project.resolve("target/published-reports").toString())
                .run();
        assertTrue(published.succeeded(), published::describe);
        assertTrue(published.log().contains("Tests run: "), published::describe);
        assertTrue(published.log().matches("(?s).*Tests run: \\d+, Failures: 0.*"), published::describe);
    }

    /**
     * NEURON's GPU wheels: {@code -Pgpu} (image, coreneuron-gpu variant, {@code -gpu} name), HPE-MPT
     * headers handed into the container as NEURON mounts them, and repair without the libgomp
     * exclude, so OpenMP's runtime is bundled once and found through the wheel's libs folder.
     */
    @Test
    void gpuVariantWithMptHeadersAndWithoutTheLibgompExclude() throws IOException {
        MavenInvocation build = MavenInvocation.ofSample("neuron-like", "neuron-like-gpu");
        Path mpt = Files.createDirectories(build.projectDirectory().resolve("mpt-headers/2.21/include"));
        Files.writeString(mpt.resolve("mpi.h"), "/* stands in for HPE-MPT's header: only its presence matters */\n");
        MavenInvocation.Result result = build.args("deploy", "-Pgpu")
                .property("gpu.image", IMAGE)
                .property("neuron.pull", "never")
                .property("neuron.python", "3.12")
                .property("neuron.exclude", "libnrniv.so")
                .property("neuron.extraInputs", mpt + ":/nrnwheel/mpt/include")
                .property("neuron.repositoryUrl", server.uploadUrl())
                .property("neuron.upload.verifyTimeout", "60")
                .env("TWINE_USERNAME", "__token__")
                .env("TWINE_PASSWORD", TOKEN)
                .timeout(Duration.ofMinutes(15))
                .run();
        assertTrue(result.succeeded(), result::describe);
        Path project = build.projectDirectory();
        List<Path> wheels = wheels(project.resolve("target/wheelhouse"));
        assertEquals(1, wheels.size(), wheels::toString);
        Path wheel = wheels.get(0);
        List<String> entries = entries(wheel);
        List<String> gomp = matching(entries, "libgomp");
        assertEquals(1, gomp.size(), entries::toString);
        assertTrue(gomp.get(0).startsWith("neuron_like.libs/"), gomp::toString);
        assertEquals(List.of("neuronlike/.data/lib/libnrniv.so"), matching(entries, "libnrniv"));
        assertEquals(List.of(), matching(entries, "libmpi"));
        // libnrniv now loads the grafted copy through a search path into the wheel's libs folder.
        String core = readelf(wheel, "neuronlike/.data/lib/libnrniv.so", project.resolve("target/readelf-core"));
        String grafted = gomp.get(0).substring("neuron_like.libs/".length());
        assertTrue(core.contains("Shared library: [" + grafted + "]"), core);
        assertTrue(core.matches("(?s).*\\((RUNPATH|RPATH)\\)[^\\n]*\\$ORIGIN/[./]*neuron_like\\.libs.*"), core);

        List<String> published = server.listing().getOrDefault("neuron-like-gpu-nightly", List.of());
        assertEquals(1, published.size(), () -> server.listing().toString());
        assertTrue(published.get(0).startsWith("neuron_like_gpu_nightly-9.0.0.dev"), published::toString);

        Venv venv = Venv.create(pyenv("3.12.1"), project.resolve("target/venv"));
        venv.pip("--isolated", "install", "--pre", "--index-url", server.indexUrl(), "neuron-like-gpu-nightly");
        assertTrue(run(venv, "nrniv", "100").contains("NEURON-like 9.0 gpu mpt sum(1..100)=5050"));
        String loaded = venv.python("-c", "import neuronlike; neuronlike.parallel_sum(10); "
                + "print(''.join(l for l in open('/proc/self/maps') if 'gomp' in l))");
        assertTrue(loaded.contains("neuron_like.libs/" + grafted), loaded);
    }

    private static List<Path> wheels(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".whl")).sorted().toList();
        }
    }

    private static List<String> entries(Path wheel) throws IOException {
        try (ZipArchive zip = ZipArchive.open(wheel)) {
            return zip.entries().stream().map(ZipEntryInfo::name).toList();
        }
    }

    private static List<String> matching(List<String> entries, String libraryPrefix) {
        return entries.stream().filter(e -> e.substring(e.lastIndexOf('/') + 1).startsWith(libraryPrefix)).toList();
    }

    /** {@code readelf -d} of one member of the wheel (extracted beside the project). */
    private static String readelf(Path wheel, String entry, Path scratch) throws IOException {
        Files.createDirectories(scratch);
        Path extracted = scratch.resolve(entry.substring(entry.lastIndexOf('/') + 1));
        try (ZipArchive zip = ZipArchive.open(wheel); InputStream in = zip.openEntry(entry)) {
            Files.copy(in, extracted, StandardCopyOption.REPLACE_EXISTING);
        }
        ProcessResult result = ProcessRunner.of("readelf", "-d", extracted.toString()).tailLines(10_000).run();
        assertTrue(result.succeeded(), result.tailText());
        return result.tailText();
    }

    /** The JUnit XML the test goal wrote for one Python and kind of test. */
    private static String report(Path project, String python, String kind) throws IOException {
        try (Stream<Path> files = Files.list(project.resolve("target/wheel-test-reports"))) {
            List<Path> reports = files.filter(f -> f.getFileName().toString().contains("." + python + "." + kind)).toList();
            assertEquals(1, reports.size(), () -> python + " " + kind + " reports: " + reports);
            return Files.readString(reports.get(0));
        }
    }

    /** Runs a console script of the environment (a fresh process, no inherited library path). */
    private static String run(Venv venv, String script, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(venv.python().getParent().resolve(script).toString());
        command.addAll(List.of(args));
        return Venv.run(command);
    }

    static String pyenv(String version) {
        return Path.of(System.getProperty("user.home"), ".pyenv/versions", version, "bin/python3").toString();
    }
}
