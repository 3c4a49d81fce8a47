package org.neuronsimulator.wheel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.builder.BuildFrontend;
import org.neuronsimulator.wheel.builder.BuildIdentifier;
import org.neuronsimulator.wheel.builder.container.ContainerNetwork;

/** {@code [tool.cibuildwheel]} read with Jackson's TOML format and merged with pom values. */
class ProjectSettingsTest {

    /** Shaped like NEURON's configuration: images per architecture, a skip list, passed variables, its repair. */
    static final String NEURON_LIKE = """
            [project]
            name = "NEURON"

            [tool.cibuildwheel]
            skip = ["pp*", "cp*t*", "*musllinux*"]
            environment-pass = ["NRN_RELEASE_UPLOAD", "NEURON_NIGHTLY_TAG", "NRN_BUILD_FOR_UPLOAD", "SETUPTOOLS_SCM_PRETEND_VERSION"]
            manylinux-x86_64-image = "manylinux_2_28"
            manylinux-aarch64-image = "manylinux_2_28"

            [tool.cibuildwheel.macos]
            environment = { CMAKE_PREFIX_PATH="/opt/nrnwheel/ncurses;/opt/nrnwheel/readline;/usr/x11" }

            [tool.cibuildwheel.linux]
            environment = { CMAKE_PREFIX_PATH="/nrnwheel/ncurses;/nrnwheel/readline", NRN_MPI_DYNAMIC="/nrnwheel/openmpi/include;/nrnwheel/mpich" }
            repair-wheel-command = "auditwheel -v repair -w {dest_dir} {wheel} --exclude 'libgomp.so.1' --exclude 'libnrniv.so'"
            """;

    @TempDir
    Path dir;

    private Path pyproject(String text) throws IOException {
        return Files.writeString(dir.resolve("pyproject.toml"), text);
    }

    private ProjectSettings linux(String text, PomSettings pom) throws Exception {
        return ProjectSettings.resolve(pom, CibuildwheelTable.read(pyproject(text), CibuildwheelTable.Platform.LINUX),
                "x86_64", Map.of());
    }

    @Test
    void aNeuronShapedTableConfiguresThePluginExactly() throws Exception {
        Path file = pyproject(NEURON_LIKE);
        for (String arch : List.of("x86_64", "aarch64")) {
            ProjectSettings settings = ProjectSettings.resolve(new PomSettings(),
                    CibuildwheelTable.read(file, CibuildwheelTable.Platform.LINUX), arch, Map.of());
            assertEquals("quay.io/pypa/manylinux_2_28_" + arch, settings.image().value());
            assertEquals(Origin.PYPROJECT, settings.image().origin());
            assertEquals("pyproject.toml [tool.cibuildwheel] manylinux-" + arch + "-image", settings.image().source());
            assertEquals("quay.io/pypa/manylinux_2_28_" + arch, settings.testImage().value());
        }
        ProjectSettings settings = ProjectSettings.resolve(new PomSettings(),
                CibuildwheelTable.read(file, CibuildwheelTable.Platform.LINUX), "x86_64", Map.of());
        assertEquals(List.of("pp*", "cp*t*", "*musllinux*"), settings.skipPatterns().value());
        assertEquals(List.of(), settings.buildPatterns().value());
        assertEquals(Origin.DEFAULT, settings.buildPatterns().origin());
        assertEquals(List.of("NRN_RELEASE_UPLOAD", "NEURON_NIGHTLY_TAG", "NRN_BUILD_FOR_UPLOAD",
                "SETUPTOOLS_SCM_PRETEND_VERSION"), settings.passEnvironment().value());
        assertEquals(List.of("libgomp.so.1", "libnrniv.so"), settings.excludes().value());
        assertEquals("pyproject.toml [tool.cibuildwheel.linux] repair-wheel-command", settings.excludes().source());
        assertNull(settings.platform().value());
        assertEquals("", settings.repairCommand().value());
        assertFalse(settings.repairSkip().value());
        assertEquals(Map.of("CMAKE_PREFIX_PATH", "/nrnwheel/ncurses;/nrnwheel/readline",
                "NRN_MPI_DYNAMIC", "/nrnwheel/openmpi/include;/nrnwheel/mpich"), settings.assignments().value().evaluate(Map.of()));
        assertEquals("pyproject.toml [tool.cibuildwheel.linux] environment", settings.assignments().source());
        assertEquals(ContainerNetwork.DEFAULT, settings.network().value());
        assertEquals(BuildFrontend.PIP, settings.buildFrontend().value());
        assertTrue(settings.selection().selects(new BuildIdentifier("cp312", "manylinux_x86_64")));
        assertFalse(settings.selection().selects(new BuildIdentifier("pp310", "manylinux_x86_64")));
        assertFalse(settings.selection().selects(new BuildIdentifier("cp313t", "manylinux_x86_64")));
        assertFalse(settings.selection().selects(new BuildIdentifier("cp312", "musllinux_x86_64")));
        assertEquals(List.of(), settings.warnings());
    }

    @Test
    void thePlatformTableOverridesTheBaseOnlyForItsPlatform() throws Exception {
        Path file = pyproject(NEURON_LIKE);
        ProjectSettings macos = ProjectSettings.resolve(new PomSettings(),
                CibuildwheelTable.read(file, CibuildwheelTable.Platform.MACOS), "aarch64", Map.of());
        assertEquals(Map.of("CMAKE_PREFIX_PATH", "/opt/nrnwheel/ncurses;/opt/nrnwheel/readline;/usr/x11"),
                macos.assignments().value().evaluate(Map.of()));
        assertEquals(List.of(), macos.excludes().value(), "the linux repair command is not the macOS one");
        assertEquals(List.of("pp*", "cp*t*", "*musllinux*"), macos.skipPatterns().value(), "base keys still apply");

        ProjectSettings overridden = linux("""
                [tool.cibuildwheel]
                skip = "pp*"
                test-command = "pytest {project}/tests"
                [tool.cibuildwheel.linux]
                skip = ["pp*", "*musllinux*"]
                """, new PomSettings());
        assertEquals(List.of("pp*", "*musllinux*"), overridden.skipPatterns().value());
        assertEquals("pyproject.toml [tool.cibuildwheel.linux] skip", overridden.skipPatterns().source());
        assertEquals(List.of("pytest {project}/tests"), overridden.testCommands().value());
        assertEquals("pyproject.toml [tool.cibuildwheel] test-command", overridden.testCommands().source());
    }

    @Test
    void pomValuesWinOverThePyprojectOnes() throws Exception {
        PomSettings pom = new PomSettings().image("neuron-wheel-test/manylinux:2").skipPatterns(List.of("cp310-*"))
                .excludes(List.of("libgomp.so.1")).network("none").passEnvironment(List.of("PIP_*,CFLAGS"))
                .environment(Map.of("CFLAGS", "-O2"));
        ProjectSettings settings = linux(NEURON_LIKE, pom);
        assertEquals("neuron-wheel-test/manylinux:2", settings.image().value());
        assertEquals(Origin.POM, settings.image().origin());
        assertEquals("neuron-wheel-test/manylinux:2", settings.testImage().value(),
                "a project that builds in images as cibuildwheel does is tested in the build image");
        assertNull(linux("[project]\n", pom).testImage().value(),
                "without an image in pyproject.toml, a pom image is tested on the host unless neuron.test.image says otherwise");
        assertEquals(List.of("cp310-*"), settings.skipPatterns().value());
        assertEquals(List.of("libgomp.so.1"), settings.excludes().value());
        assertEquals(ContainerNetwork.NONE, settings.network().value());
        assertEquals(List.of("PIP_*", "CFLAGS"), settings.passEnvironment().value());
        assertEquals(Map.of("CFLAGS", "-O2"), settings.environment().value());
        assertTrue(settings.assignments().value().isEmpty(), "the pom's <environment> replaces the pyproject one");
        assertEquals("pom (neuron.exclude)", settings.excludes().source());
    }

    @Test
    void withoutAToolTableEverythingIsPomOrDefault() throws Exception {
        ProjectSettings settings = linux("[project]\nname = 'x'\n", new PomSettings().image("manylinux2014"));
        assertEquals("quay.io/pypa/manylinux2014_x86_64", settings.image().value(), "short names work in the pom too");
        for (Setting<?> setting : settings.all()) {
            assertTrue(setting.origin() != Origin.PYPROJECT, setting::toString);
        }
        ProjectSettings none = ProjectSettings.resolve(new PomSettings(),
                CibuildwheelTable.read(dir.resolve("missing.toml"), CibuildwheelTable.Platform.LINUX), "x86_64", Map.of());
        assertNull(none.image().value());
        assertFalse(none.repairSkip().value());
    }

    @Test
    void imagesMusllinuxAndCustomReferences() throws Exception {
        String table = """
                [tool.cibuildwheel]
                manylinux-x86_64-image = "ghcr.io/example/builder:2024"
                musllinux-x86_64-image = "musllinux_1_2"
                """;
        assertEquals("ghcr.io/example/builder:2024", linux(table, new PomSettings()).image().value());
        ProjectSettings musl = linux(table + "skip = \"*-manylinux_*\"\n", new PomSettings());
        assertEquals("quay.io/pypa/musllinux_1_2_x86_64", musl.image().value());
        assertEquals("pyproject.toml [tool.cibuildwheel] musllinux-x86_64-image", musl.image().source());
        assertEquals("aarch64", ProjectSettings.architecture("linux/arm64", "amd64"));
        assertEquals("x86_64", ProjectSettings.architecture(null, "amd64"));
    }

    @Test
    void repairCommandsBecomeExcludesNoRepairOrACommandRunAsGiven() throws Exception {
        RepairCommand neuron = RepairCommand.parse(List.of(
                "auditwheel -v repair -w {dest_dir} {wheel} --exclude 'libgomp.so.1' --exclude 'libnrniv.so'"));
        assertTrue(neuron.isPluginRepair());
        assertEquals(List.of("libgomp.so.1", "libnrniv.so"), neuron.excludes());
        RepairCommand plat = RepairCommand.parse(List.of(
                "python -m auditwheel repair --plat manylinux_2_28_x86_64 --exclude=libcuda.so.1 --wheel-dir={dest_dir} {wheel}"));
        assertEquals("manylinux_2_28_x86_64", plat.platform());
        assertEquals(List.of("libcuda.so.1"), plat.excludes());
        assertTrue(RepairCommand.parse(List.of("")).skip());
        assertTrue(RepairCommand.parse(List.of()).skip());
        RepairCommand libSdir = RepairCommand.parse(List.of("auditwheel repair --lib-sdir . -w {dest_dir} {wheel}"));
        assertEquals("auditwheel repair --lib-sdir . -w {dest_dir} {wheel}", libSdir.command());
        RepairCommand two = RepairCommand.parse(List.of("python scripts/repair.py -w {dest_dir} {wheel}",
                "python scripts/check.py {dest_dir}"));
        assertEquals("python scripts/repair.py -w {dest_dir} {wheel} && python scripts/check.py {dest_dir}", two.command());

        ProjectSettings custom = linux("[tool.cibuildwheel.linux]\nrepair-wheel-command = \"cp {wheel} {dest_dir}\"\n",
                new PomSettings());
        assertEquals("cp {wheel} {dest_dir}", custom.repairCommand().value());
        assertTrue(custom.repairSkip().value(), "the wheel goal leaves wheels the build already repaired");
        ProjectSettings empty = linux("[tool.cibuildwheel]\nrepair-wheel-command = \"\"\n", new PomSettings());
        assertTrue(empty.repairSkip().value());
        assertEquals(Origin.PYPROJECT, empty.repairSkip().origin());
        assertFalse(linux("[tool.cibuildwheel]\nrepair-wheel-command = \"\"\n", new PomSettings().repairSkip(false))
                .repairSkip().value());
    }

    @Test
    void frontendEngineEnvironmentAndTestOptions() throws Exception {
        ProjectSettings settings = linux("""
                [tool.cibuildwheel]
                build-frontend = { name = "build", args = ["--no-isolation"] }
                container-engine = { name = "docker", create-args = ["--network=host", "--gpus", "all"] }
                environment = "PREFIX=/opt/dep LDFLAGS=-L$PREFIX/lib"
                before-all = ["yum install -y bison", "make -C third_party"]
                before-build = "{python} -m pip install -r requirements.txt"
                test-requires = "pytest packaging==24.1"
                test-command = ["pytest {project}/tests", "python {project}/test.py"]
                enable = ["pypy"]
                free-threaded-support = true
                """, new PomSettings());
        assertEquals(new BuildFrontend("build", List.of("--no-isolation")), settings.buildFrontend().value());
        assertEquals(ContainerNetwork.HOST, settings.network().value());
        assertEquals(Map.of("PREFIX", "/opt/dep", "LDFLAGS", "-L/opt/dep/lib"), settings.assignments().value().evaluate(Map.of()));
        assertEquals(List.of("yum install -y bison", "make -C third_party"), settings.beforeAll().value());
        assertEquals(List.of("{python} -m pip install -r requirements.txt"), settings.beforeBuild().value());
        assertEquals(List.of("pytest", "packaging==24.1"), settings.testRequirements().value());
        assertEquals(List.of("pytest {project}/tests", "python {project}/test.py"), settings.testCommands().value());
        assertEquals(List.of("pypy", "cpython-freethreading"), settings.enable().value());
        assertTrue(settings.selection().selects(new BuildIdentifier("cp313t", "manylinux_x86_64")));

        ProjectSettings string = linux("[tool.cibuildwheel]\ncontainer-engine = \"podman; create_args: --network none\"\n"
                + "build-frontend = \"pip; args: --no-build-isolation\"\n", new PomSettings());
        assertEquals(ContainerNetwork.NONE, string.network().value());
        assertEquals("unix:///run/podman/podman.sock", string.dockerHost().value());
        assertEquals(List.of("--no-build-isolation"), string.buildFrontend().value().arguments());
        ProjectSettings withDockerHost = ProjectSettings.resolve(new PomSettings(), CibuildwheelTable.read(
                pyproject("[tool.cibuildwheel]\ncontainer-engine = \"podman\"\n"), CibuildwheelTable.Platform.LINUX),
                "x86_64", Map.of("DOCKER_HOST", "tcp://elsewhere:2375"));
        assertNull(withDockerHost.dockerHost().value(), "DOCKER_HOST names the engine");
    }

    @Test
    void wrongTypesNameTheFileTheTableAndTheKey() throws Exception {
        ProjectConfigurationException integer = assertThrows(ProjectConfigurationException.class,
                () -> linux("[tool.cibuildwheel]\nskip = 3\n", new PomSettings()));
        assertEquals(dir.resolve("pyproject.toml") + " [tool.cibuildwheel] skip must be a string or an array of strings,"
                + " not an integer (3)", integer.getMessage());
        ProjectConfigurationException item = assertThrows(ProjectConfigurationException.class,
                () -> linux("[tool.cibuildwheel.linux]\nenvironment-pass = [\"A\", true]\n", new PomSettings()));
        assertEquals(dir.resolve("pyproject.toml") + " [tool.cibuildwheel.linux] environment-pass: item 2 must be a string,"
                + " not a boolean (true)", item.getMessage());
        ProjectConfigurationException table = assertThrows(ProjectConfigurationException.class,
                () -> linux("[tool.cibuildwheel]\nmanylinux-x86_64-image = { name = \"x\" }\n", new PomSettings()));
        assertTrue(table.getMessage().startsWith(dir.resolve("pyproject.toml")
                + " [tool.cibuildwheel] manylinux-x86_64-image must be a string, not a table"), table::getMessage);
        ProjectConfigurationException linuxTable = assertThrows(ProjectConfigurationException.class,
                () -> linux("[tool]\ncibuildwheel = { linux = 1 }\n", new PomSettings()));
        assertTrue(linuxTable.getMessage().endsWith("[tool.cibuildwheel.linux] must be a table, not an integer"),
                linuxTable::getMessage);
        ProjectConfigurationException bool = assertThrows(ProjectConfigurationException.class,
                () -> linux("[tool.cibuildwheel]\nfree-threaded-support = \"yes\"\n", new PomSettings()));
        assertTrue(bool.getMessage().contains("free-threaded-support must be true or false, not a string"), bool::getMessage);
    }

    @Test
    void badValuesAndBadTomlAreNamedToo() throws Exception {
        ProjectConfigurationException syntax = assertThrows(ProjectConfigurationException.class,
                () -> linux("[tool.cibuildwheel]\nskip = [\"pp*\"\nbuild = \"cp3*\"\n", new PomSettings()));
        assertTrue(syntax.getMessage().startsWith(dir.resolve("pyproject.toml") + " line "), syntax::getMessage);
        assertTrue(syntax.getMessage().contains("not valid TOML"), syntax::getMessage);
        ProjectConfigurationException uv = assertThrows(ProjectConfigurationException.class,
                () -> linux("[tool.cibuildwheel]\nbuild-frontend = \"build[uv]\"\n", new PomSettings()));
        assertTrue(uv.getMessage().startsWith(dir.resolve("pyproject.toml")
                + " [tool.cibuildwheel] build-frontend: build frontend 'build[uv]'"), uv::getMessage);
        ProjectConfigurationException command = assertThrows(ProjectConfigurationException.class,
                () -> linux("[tool.cibuildwheel.linux]\nenvironment = { BUILD_TIME = \"$(date)\" }\n", new PomSettings()));
        assertTrue(command.getMessage().startsWith(dir.resolve("pyproject.toml")
                + " [tool.cibuildwheel.linux] environment: BUILD_TIME:"), command::getMessage);
        ProjectConfigurationException engine = assertThrows(ProjectConfigurationException.class,
                () -> linux("[tool.cibuildwheel]\ncontainer-engine = \"lxc\"\n", new PomSettings()));
        assertEquals(dir.resolve("pyproject.toml") + " [tool.cibuildwheel] container-engine: 'lxc' is not docker or podman",
                engine.getMessage());
        ProjectConfigurationException selector = assertThrows(ProjectConfigurationException.class,
                () -> linux("[tool.cibuildwheel]\nbuild = \"cp3{11,12-*\"\n", new PomSettings()));
        assertTrue(selector.getMessage().startsWith(dir.resolve("pyproject.toml")
                + " [tool.cibuildwheel] build: selector 'cp3{11,12-*'"), selector::getMessage);
        ProjectConfigurationException enable = assertThrows(ProjectConfigurationException.class,
                () -> linux("[tool.cibuildwheel]\nenable = \"pypy3\"\n", new PomSettings()));
        assertTrue(enable.getMessage().startsWith(dir.resolve("pyproject.toml")
                + " [tool.cibuildwheel] enable: enable: 'pypy3'"), enable::getMessage);
        ProjectConfigurationException network = assertThrows(ProjectConfigurationException.class,
                () -> linux("[project]\n", new PomSettings().network("my net")));
        assertTrue(network.getMessage().startsWith("neuron.network: 'my net' is not default, none, host"),
                network::getMessage);
    }

    @Test
    void optionsWithoutCounterpartAreReportedNotApplied() throws Exception {
        ProjectSettings settings = linux("""
                [tool.cibuildwheel]
                archs = ["auto64"]
                test-skip = "*-macosx_arm64"
                buld = "cp312-*"
                [[tool.cibuildwheel.overrides]]
                select = "cp312-*"
                environment = { X = "1" }
                """, new PomSettings());
        assertEquals(List.of(
                "pyproject.toml [tool.cibuildwheel] archs has no counterpart in neuron-wheel-maven-plugin and is ignored",
                "pyproject.toml [tool.cibuildwheel] test-skip has no counterpart in neuron-wheel-maven-plugin and is ignored",
                "pyproject.toml [tool.cibuildwheel] buld is not a cibuildwheel option and is ignored",
                "pyproject.toml [tool.cibuildwheel] overrides has no counterpart in neuron-wheel-maven-plugin and is ignored"),
                settings.warnings());
        assertTrue(settings.assignments().value().isEmpty());
    }

    @Test
    void theDescriptionGivesEachSettingsOriginAndHidesSecretValues() throws Exception {
        ProjectSettings settings = linux(NEURON_LIKE + "environment-pass = [\"PIP_*\"]\n",
                new PomSettings().network("host").environment(Map.of("PYPI_TOKEN", "pypi-secret", "CFLAGS", "-O2")));
        String text = String.join("\n", settings.describe());
        assertTrue(text.contains("neuron.image"), text);
        assertTrue(text.matches("(?s).*neuron\\.image\\s+quay\\.io/pypa/manylinux_2_28_x86_64  <- pyproject\\.toml "
                + "\\[tool\\.cibuildwheel] manylinux-x86_64-image.*"), text);
        assertTrue(text.matches("(?s).*neuron\\.network\\s+host  <- pom \\(neuron\\.network\\).*"), text);
        assertTrue(text.matches("(?s).*neuron\\.buildFrontend\\s+pip  <- default.*"), text);
        assertTrue(text.matches("(?s).*neuron\\.exclude\\s+libgomp\\.so\\.1, libnrniv\\.so  <- pyproject\\.toml "
                + "\\[tool\\.cibuildwheel\\.linux] repair-wheel-command.*"), text);
        assertTrue(text.contains("PYPI_TOKEN=***"), text);
        assertFalse(text.contains("pypi-secret"), text);
    }
}
