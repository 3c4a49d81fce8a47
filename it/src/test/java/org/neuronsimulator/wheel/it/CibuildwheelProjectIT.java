package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample {@code cibuildwheel-ext} is configured only through pyproject.toml's [tool.cibuildwheel]: its
 * image (the bare test image, in the linux table), skip list, host network, passed variables, environment,
 * before-all and before-build steps, test requirements and command, and an auditwheel repair command with
 * two excludes. Its pom names the goals and nothing else. Requirements come from an index this test serves
 * on 127.0.0.1.
 */
class CibuildwheelProjectIT {

    private static Path wheels;

    @BeforeAll
    static void imageAndRequirements() throws IOException {
        TestImage.requireEngineAndImage(TestImage.BARE);
        String pyproject = Files.readString(MavenInvocation.samplesDirectory().resolve("cibuildwheel-ext/pyproject.toml"));
        assertTrue(pyproject.contains("\"" + TestImage.BARE + "\""),
                "samples/cibuildwheel-ext/pyproject.toml must name the bare image .ci/test-images lists: " + TestImage.BARE);
        wheels = LoopbackPackageIndex.requirementWheels(MavenInvocation.workDirectory().resolve("cibw-requirement-wheels"),
                "setuptools>=61", "packaging");
    }

    private static MavenInvocation sample(String workName, LoopbackPackageIndex index) throws IOException {
        return MavenInvocation.ofSample("cibuildwheel-ext", workName)
                .env("PIP_INDEX_URL", index.url())
                .env("PIP_TRUSTED_HOST", "127.0.0.1")
                .env("PIP_RETRIES", "0");
    }

    @Test
    void verifyBuildsRepairsAndTestsAsPyprojectSays() throws IOException {
        try (LoopbackPackageIndex index = new LoopbackPackageIndex(wheels)) {
            MavenInvocation verify = sample("cibuildwheel-ext", index).args("verify");
            MavenInvocation.Result result = verify.run();
            Files.writeString(verify.projectDirectory().resolve("index-access.log"), index.accessLog() + "\n");
            assertTrue(result.succeeded(), result::describe);
            String log = result.log();
            assertTrue(log.contains("neuron.image = " + TestImage.BARE
                    + " (from pyproject.toml [tool.cibuildwheel.linux] manylinux-x86_64-image)"), result::describe);
            assertTrue(log.contains("neuron.network = host (from pyproject.toml [tool.cibuildwheel] container-engine"
                    + " (create-args))"), result::describe);
            assertTrue(log.contains("skipping cp311-manylinux_x86_64 (/opt/python/cp311-cp311/bin/python): matches the"
                    + " skip selector cp311-*"), result::describe);
            assertTrue(log.contains("[before-all] before-all step 2 of 2"), result::describe);
            assertTrue(log.contains("[cp312] before-build: recorded Python 3.12.1"), result::describe);
            assertTrue(log.contains("neuron.exclude = libgomp.so.1, libz.so.1 (from pyproject.toml"
                    + " [tool.cibuildwheel.linux] repair-wheel-command)"), result::describe);
            assertTrue(log.contains("passed  python {project}/tests/check.py"), result::describe);

            List<Path> built = HelloExtHostBuildIT.listWheels(verify.projectDirectory().resolve("target/wheelhouse"));
            assertEquals(1, built.size(), () -> "wheelhouse: " + built);
            String name = built.get(0).getFileName().toString();
            // platform tags sorted as auditwheel sorts them: manylinux1_x86_64.manylinux_2_5_x86_64
            assertTrue(name.matches("cibuildwheel_ext-2\\.1\\.0-cp312-cp312-(manylinux\\w+\\.)*manylinux_2_\\d+_x86_64(\\.\\w+)*\\.whl"), name);
            try (ZipFile zip = new ZipFile(built.get(0).toFile())) {
                List<String> entries = zip.stream().map(ZipEntry::getName).toList();
                assertTrue(entries.stream().noneMatch(e -> e.contains(".libs/")),
                        () -> "libgomp and libz are excluded, nothing is grafted: " + entries);
            }
            // the test goal installed the test requirement from the index inside the build image
            assertTrue(index.requests().stream().anyMatch(r -> r.path().startsWith("/files/packaging-")
                    && r.python().startsWith("3.12.")), index::accessLog);
            // the commands' output is in the JUnit reports
            Path reports = verify.projectDirectory().resolve("target/wheel-test-reports");
            StringBuilder xml = new StringBuilder();
            try (var files = Files.list(reports)) {
                for (Path report : files.filter(f -> f.getFileName().toString().contains("serial")).toList()) {
                    xml.append(Files.readString(report));
                }
            }
            assertTrue(xml.toString().contains("cibw_ext checks passed on 3.12.1"), xml::toString);
            assertTrue(xml.toString().contains("test requirement packaging 26.3"), xml::toString);
            assertTrue(xml.toString().contains("failures=\"0\""), xml::toString);
            assertEquals(List.of(), ContainersLeft.of(verify.projectDirectory()));
        }
    }

    @Test
    void theConfigGoalPrintsEachSettingWithItsOrigin() throws IOException {
        try (LoopbackPackageIndex index = new LoopbackPackageIndex(wheels)) {
            MavenInvocation.Result result = sample("cibuildwheel-ext-config", index)
                    .args("neuron-wheel:config", "-Dneuron.python=3.12", "-Dneuron.parallel=2")
                    .property("neuron.beforeBuild", "echo from the command line")
                    .run();
            assertTrue(result.succeeded(), result::describe);
            String log = result.log();
            assertTrue(log.matches("(?s).*neuron\\.image\\s+" + TestImage.BARE.replace(".", "\\.")
                    + "  <- pyproject\\.toml \\[tool\\.cibuildwheel\\.linux] manylinux-x86_64-image.*"), log);
            assertTrue(log.matches("(?s).*neuron\\.skipPatterns\\s+cp311-\\*, pp\\*, \\*t-\\*, \\*musllinux\\*  <- "
                    + "pyproject\\.toml \\[tool\\.cibuildwheel] skip.*"), log);
            assertTrue(log.matches("(?s).*neuron\\.beforeBuild\\s+echo from the command line  <- pom \\(neuron\\.beforeBuild\\).*"),
                    log);
            assertTrue(log.matches("(?s).*neuron\\.buildFrontend\\s+pip  <- default.*"), log);
            assertTrue(log.matches("(?s).*neuron\\.test\\.requirements\\s+packaging  <- pyproject\\.toml "
                    + "\\[tool\\.cibuildwheel] test-requires.*"), log);
            assertTrue(log.matches("(?s).*neuron\\.exclude\\s+libgomp\\.so\\.1, libz\\.so\\.1  <- pyproject\\.toml "
                    + "\\[tool\\.cibuildwheel\\.linux] repair-wheel-command.*"), log);
            assertFalse(log.contains("[cp312]"), "the config goal builds nothing");
        }
    }

    @Test
    void anUnknownNetworkIsAClearErrorAndLeavesNoContainer() throws IOException {
        try (LoopbackPackageIndex index = new LoopbackPackageIndex(wheels)) {
            MavenInvocation build = sample("cibuildwheel-ext-bad-network", index).args("package")
                    .property("neuron.network", "no-such-network");
            MavenInvocation.Result result = build.run();
            assertFalse(result.succeeded(), result::describe);
            assertTrue(result.log().contains("neuron.network=no-such-network: the Docker engine at "), result::describe);
            assertTrue(result.log().contains("has no network of that name"), result::describe);
            assertEquals(List.of(), ContainersLeft.of(build.projectDirectory()));
            assertEquals(List.of(), index.requests());
        }
    }

    @Test
    void aFailingBeforeAllNamesTheStepAndLeavesNoContainer() throws IOException {
        try (LoopbackPackageIndex index = new LoopbackPackageIndex(wheels)) {
            MavenInvocation build = sample("cibuildwheel-ext-bad-before-all", index).args("package")
                    .property("neuron.beforeAll", "echo no bison in this image; exit 3");
            MavenInvocation.Result result = build.run();
            assertFalse(result.succeeded(), result::describe);
            assertTrue(result.log().contains("[before-all] before-all step 1 of 1 (echo no bison in this image; exit 3)"
                    + " failed with exit code 3 in image " + TestImage.BARE), result::describe);
            assertTrue(result.log().contains("[before-all] no bison in this image"), result::describe);
            assertEquals(List.of(), ContainersLeft.of(build.projectDirectory()));
        }
    }

    @Test
    void aWrongTypeInPyprojectNamesTheFileAndKeyAndLeavesNoContainer() throws IOException {
        try (LoopbackPackageIndex index = new LoopbackPackageIndex(wheels)) {
            MavenInvocation build = sample("cibuildwheel-ext-bad-type", index).args("package");
            Path pyproject = build.projectDirectory().resolve("pyproject.toml");
            Files.writeString(pyproject, Files.readString(pyproject)
                    .replace("skip = [\"cp311-*\", \"pp*\", \"*t-*\", \"*musllinux*\"]", "skip = 311"));
            MavenInvocation.Result result = build.run();
            assertFalse(result.succeeded(), result::describe);
            assertTrue(result.log().contains("pyproject.toml [tool.cibuildwheel] skip must be a string or an array of"
                    + " strings, not an integer (311)"), result::describe);
            assertEquals(List.of(), ContainersLeft.of(build.projectDirectory()));
        }
    }
}
