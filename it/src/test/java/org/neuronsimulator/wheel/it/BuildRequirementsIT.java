package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample {@code index-ext} needs setuptools and setuptools-scm to build; the bare test image has CPython
 * 3.11 and 3.12 with pip only (no setuptools, no wheels, no pip settings), as the real manylinux images.
 * The requirements come from a PEP 503 index this test serves on 127.0.0.1 (the build containers use the
 * host's network and get PIP_INDEX_URL passed through neuron.passEnv=PIP_*), or, hermetically, from a folder
 * of wheels copied into containers without network. The index's access log shows what each Python downloaded.
 */
class BuildRequirementsIT {

    /** setuptools-scm brings vcs-versioning and packaging; pypa/build brings pyproject_hooks. */
    private static final String[] REQUIREMENTS = {"setuptools>=61", "setuptools-scm>=8", "build"};

    private static Path wheels;

    @BeforeAll
    static void imageAndRequirements() throws IOException {
        TestImage.requireEngineAndImage(TestImage.BARE);
        wheels = LoopbackPackageIndex.requirementWheels(MavenInvocation.workDirectory().resolve("requirement-wheels"),
                REQUIREMENTS);
    }

    /** A build in the bare image that passes pip's variables of the host, but not the host's own pip settings. */
    private static MavenInvocation build(String workName) throws IOException {
        return MavenInvocation.ofSample("index-ext", workName)
                .args("package")
                .property("neuron.image", TestImage.BARE)
                .property("neuron.pull", "never")
                .withoutEnv("PIP_FIND_LINKS").withoutEnv("PIP_CERT").withoutEnv("PIP_EXTRA_INDEX_URL")
                .withoutEnv("PIP_CONSTRAINT");
    }

    private static long downloads(LoopbackPackageIndex index, String pythonPrefix) {
        return index.requests().stream().filter(r -> r.isFile() && r.status() == 200 && r.python().startsWith(pythonPrefix))
                .count();
    }

    private static void saveAccessLog(MavenInvocation build, LoopbackPackageIndex index, String name) throws IOException {
        Files.writeString(build.projectDirectory().resolve(name), index.accessLog() + "\n");
    }

    @Test
    void anIndexOnTheHostNetworkServesTheRequirementsAndTheSecondPythonDownloadsNothing() throws IOException {
        try (LoopbackPackageIndex index = new LoopbackPackageIndex(wheels)) {
            MavenInvocation build = build("index-ext-index");
            Path cache = MavenInvocation.workDirectory().resolve("index-ext-pip-cache");
            MavenInvocation.deleteTree(cache);
            build.property("neuron.network", "host")
                    .property("neuron.passEnv", "PIP_*")
                    .property("neuron.pipCache", cache.toString())
                    .env("PIP_INDEX_URL", index.url())
                    .env("PIP_TRUSTED_HOST", "127.0.0.1") // pip caches what plain-HTTP indexes send only when trusted
                    .env("PIP_RETRIES", "0");
            MavenInvocation.Result result = build.run();
            saveAccessLog(build, index, "index-access-run1.log");
            assertTrue(result.succeeded(), result::describe);
            assertTrue(result.log().contains("network host"), result::describe);
            // Python 3.11 builds first and fetches every requirement; 3.12 finds them in the shared cache: pip
            // only revalidates the index pages (it always does) and gets 304 Not Modified, no byte of content
            assertTrue(downloads(index, "3.11.") >= 4, index::accessLog);
            assertEquals(0, downloads(index, "3.12."), index::accessLog);
            List<LoopbackPackageIndex.Request> byPython312 = index.requests().stream()
                    .filter(r -> r.python().startsWith("3.12.")).toList();
            assertTrue(byPython312.stream().allMatch(r -> r.status() == 304 && r.bytes() == 0),
                    () -> "Python 3.12 downloaded from the index:\n" + index.accessLog());
            String scm = "/files/" + wheelOf("setuptools_scm");
            assertTrue(index.requests().stream().anyMatch(r -> r.path().equals(scm)), index::accessLog);

            List<Path> built = HelloExtHostBuildIT.listWheels(build.projectDirectory().resolve("target/wheelhouse"));
            assertEquals(2, built.size(), () -> "wheelhouse: " + built);
            Path cp312 = built.stream().filter(w -> w.getFileName().toString().contains("-cp312-")).findFirst().orElseThrow();
            assertTrue(cp312.getFileName().toString().startsWith("index_ext-1.4.0-cp312-cp312-manylinux"), cp312::toString);
            Venv venv = Venv.create(pyenv("3.12.1"), build.projectDirectory().resolve("target/venv"));
            venv.pip("install", "--no-index", cp312.toString());
            assertEquals("7.5 1.4.0", venv.python("-c",
                    "import index_ext; print(index_ext.scale(2.5, 3), index_ext.__version__)").strip());

            // a second run with the same cache downloads nothing at all
            index.clearRequests();
            MavenInvocation again = build("index-ext-index-again")
                    .property("neuron.network", "host")
                    .property("neuron.passEnv", "PIP_*")
                    .property("neuron.pipCache", cache.toString())
                    .env("PIP_INDEX_URL", index.url())
                    .env("PIP_TRUSTED_HOST", "127.0.0.1")
                    .env("PIP_RETRIES", "0");
            MavenInvocation.Result second = again.run();
            saveAccessLog(again, index, "index-access-run2.log");
            assertTrue(second.succeeded(), second::describe);
            assertEquals(0, downloads(index, ""), index::accessLog);
            assertEquals(List.of(), ContainersLeft.of(MavenInvocation.workDirectory()));
        }
    }

    @Test
    void hermeticBuildsTakeTheRequirementsFromAWheelFolderCopiedIn() throws IOException {
        try (LoopbackPackageIndex index = new LoopbackPackageIndex(wheels)) {
            MavenInvocation build = build("index-ext-hermetic")
                    .property("neuron.network", "none")
                    .property("neuron.extraInputs", wheels + ":/neuron-wheel/requirements")
                    .property("neuron.passEnv", "PIP_NO_INDEX,PIP_FIND_LINKS")
                    .property("neuron.pipCache", "none")
                    .env("PIP_NO_INDEX", "1")
                    .env("PIP_FIND_LINKS", "/neuron-wheel/requirements")
                    .env("PIP_INDEX_URL", index.url());
            MavenInvocation.Result result = build.run();
            assertTrue(result.succeeded(), result::describe);
            assertTrue(result.log().contains("no network"), result::describe);
            assertEquals(2, HelloExtHostBuildIT.listWheels(build.projectDirectory().resolve("target/wheelhouse")).size());
            assertEquals(List.of(), index.requests(), "a container without network reached the index");
            assertEquals(List.of(), ContainersLeft.of(build.projectDirectory()));
        }
    }

    @Test
    void withoutNetworkAndWithoutWheelsPipCannotFindTheRequirements() throws IOException {
        MavenInvocation build = build("index-ext-no-requirements")
                .property("neuron.network", "none")
                .property("neuron.python", "3.12")
                .property("neuron.pipCache", "none");
        MavenInvocation.Result result = build.run();
        assertFalse(result.succeeded(), result::describe);
        assertTrue(result.log().contains("[cp312] build failed with exit code 1"), result::describe);
        assertTrue(result.log().contains("requirement setuptools>=61"), result::describe);
        assertEquals(List.of(), ContainersLeft.of(build.projectDirectory()));
    }

    @Test
    void theBuildFrontendBuildIsInstalledPerPythonAndBuildsTheWheel() throws IOException {
        try (LoopbackPackageIndex index = new LoopbackPackageIndex(wheels)) {
            MavenInvocation build = build("index-ext-pypa-build")
                    .property("neuron.python", "3.12")
                    .property("neuron.buildFrontend", "build")
                    .property("neuron.network", "host")
                    .property("neuron.passEnv", "PIP_INDEX_URL")
                    .property("neuron.pipCache", "none")
                    .env("PIP_INDEX_URL", index.url());
            MavenInvocation.Result result = build.run();
            assertTrue(result.succeeded(), result::describe);
            assertTrue(result.log().contains("[cp312] build frontend: pypa/build in /neuron-wheel/frontend/cp312"),
                    result::describe);
            assertTrue(result.log().contains("Successfully built index_ext-1.4.0"), result::describe);
            assertTrue(index.requests().stream().anyMatch(r -> r.path().startsWith("/files/build-")), index::accessLog);
            assertEquals(1, HelloExtHostBuildIT.listWheels(build.projectDirectory().resolve("target/wheelhouse")).size());
        }
    }

    private static String wheelOf(String project) throws IOException {
        try (var files = Files.list(wheels)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(project + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + project + " wheel in " + wheels));
        }
    }

    static String pyenv(String version) {
        return Path.of(System.getProperty("user.home"), ".pyenv/versions", version, "bin/python3").toString();
    }
}
