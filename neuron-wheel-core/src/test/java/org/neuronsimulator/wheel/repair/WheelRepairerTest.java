package org.neuronsimulator.wheel.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.archive.WheelContents;
import org.neuronsimulator.wheel.archive.WheelWriter;
import org.neuronsimulator.wheel.archive.ZipArchive;
import org.neuronsimulator.wheel.audit.HostLibraryResolver;
import org.neuronsimulator.wheel.elf.NativeBuild;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * End to end: a CPython extension linked against a library built outside the wheel is repaired
 * with real patchelf, installed into a fresh virtual environment and imported after the original
 * library is gone.
 */
class WheelRepairerTest {

    static final String EXTENSION = """
            #include <Python.h>
            #include <stdlib.h>
            int outside(int);
            static PyObject *value(PyObject *self, PyObject *args) {
                long *p = reallocarray(NULL, 2, sizeof(long));
                p[0] = outside(2);
                PyObject *result = PyLong_FromLong(p[0]);
                free(p);
                return result;
            }
            static PyMethodDef methods[] = {{"value", value, METH_NOARGS, ""}, {NULL, NULL, 0, NULL}};
            static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_demo", NULL, -1, methods};
            PyMODINIT_FUNC PyInit__demo(void) { return PyModule_Create(&module); }
            """;

    @TempDir
    static Path dir;
    static Path externalDir;
    static Path rawWheel;
    static String suffix;
    static String tag;

    @BeforeAll
    static void build() throws IOException {
        assumeTrue(NativeBuild.gccAvailable(), "gcc is needed");
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "the expected tags are x86_64 ones");
        assumeTrue(commandWorks("patchelf", "--version"), "patchelf is needed");
        assumeTrue(commandWorks("python3", "-c", "import venv"), "python3 with venv is needed");
        String include = NativeBuild.run("python3", "-c", "import sysconfig; print(sysconfig.get_paths()['include'])").trim();
        assumeTrue(Files.exists(Path.of(include, "Python.h")), "Python headers are needed (python3-dev)");
        String version = NativeBuild.run("python3", "-c", "import sys; print('%d%d' % sys.version_info[:2])").trim();
        tag = "cp" + version;
        suffix = NativeBuild.run("python3", "-c", "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))").trim();
        externalDir = Files.createDirectories(dir.resolve("external"));
        NativeBuild.compile(dir, "outside", "int outside(int x) { return x + 40; }\n",
                externalDir.resolve("liboutside.so.2"), "-shared", "-fPIC", "-Wl,-soname,liboutside.so.2");
        Path ext = NativeBuild.compile(dir, "demo", EXTENSION, dir.resolve("_demo" + suffix), "-shared", "-fPIC",
                "-I" + include, "-L" + externalDir, "-l:liboutside.so.2");
        WheelContents contents = new WheelContents();
        contents.put("demo/__init__.py", "from ._demo import value\n".getBytes(StandardCharsets.UTF_8));
        contents.put("demo/_demo" + suffix, org.neuronsimulator.wheel.archive.EntrySource.of(ext), 0100755);
        contents.put("demo-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"
                .getBytes(StandardCharsets.UTF_8));
        contents.put("demo-1.0.dist-info/WHEEL", ("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\n"
                + "Tag: " + tag + "-" + tag + "-linux_x86_64\n").getBytes(StandardCharsets.UTF_8));
        rawWheel = new WheelWriter().write(contents, dir.resolve("raw/demo-1.0-" + tag + "-" + tag + "-linux_x86_64.whl"));
    }

    private static boolean commandWorks(String... command) {
        try {
            return ProcessRunner.of(command).timeout(Duration.ofSeconds(60)).run().succeeded();
        } catch (IOException e) {
            return false;
        }
    }

    private static WheelRepairer repairer(List<String> libraryPath) {
        return new WheelRepairer(new HostLibraryResolver(Path.of("/"), libraryPath, "/etc/ld.so.conf"), Reporter.NONE);
    }

    @Test
    void bundledWheelInstallsAndImportsWithoutTheOriginalLibrary() throws Exception {
        Path copyDir = Files.createDirectories(dir.resolve("copy-of-external"));
        Files.copy(externalDir.resolve("liboutside.so.2"), copyDir.resolve("liboutside.so.2"));
        RepairResult result = repairer(List.of(copyDir.toString()))
                .repair(rawWheel, RepairOptions.defaults().withSourceDateEpoch(OptionalLong.of(1700000000L)),
                        dir.resolve("out"));
        assertEquals("demo-1.0-" + tag + "-" + tag + "-manylinux_2_26_x86_64.whl", result.wheel().getFileName().toString());
        assertEquals("linux_x86_64", result.audit().overallTag());
        String graftedPath = result.grafted().get("liboutside.so.2");
        assertTrue(graftedPath.matches("demo\\.libs/liboutside-[0-9a-f]{8}\\.so\\.2"), graftedPath);
        String graftedName = graftedPath.substring("demo.libs/".length());

        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
        try (ZipArchive zip = ZipArchive.open(result.wheel())) {
            assertTrue(zip.entry(graftedPath) != null);
            String wheel = new String(zip.openEntry("demo-1.0.dist-info/WHEEL").readAllBytes());
            assertTrue(wheel.contains("Tag: " + tag + "-" + tag + "-manylinux_2_26_x86_64"), wheel);
            String record = new String(zip.openEntry("demo-1.0.dist-info/RECORD").readAllBytes());
            assertTrue(record.contains(graftedPath + ",sha256="), record);
            for (String name : List.of("demo/_demo" + suffix, graftedPath)) {
                try (InputStream in = zip.openEntry(name)) {
                    Files.copy(in, unpacked.resolve(name.substring(name.lastIndexOf('/') + 1)));
                }
            }
        }
        String dynamic = NativeBuild.run("readelf", "-dW", unpacked.resolve("_demo" + suffix).toString());
        assertTrue(dynamic.contains("Shared library: [" + graftedName + "]"), dynamic);
        assertTrue(dynamic.contains("(RPATH)") && dynamic.contains("[$ORIGIN/../demo.libs]"), dynamic);
        String libDynamic = NativeBuild.run("readelf", "-dW", unpacked.resolve(graftedName).toString());
        assertTrue(libDynamic.contains("Library soname: [" + graftedName + "]"), libDynamic);

        // The original library goes away; the wheel must carry what it needs.
        Files.delete(copyDir.resolve("liboutside.so.2"));
        Path venv = dir.resolve("venv");
        run(List.of("python3", "-m", "venv", venv.toString()));
        run(List.of(venv.resolve("bin/python").toString(), "-m", "pip", "install", "-q", "--no-index",
                "--no-deps", result.wheel().toString()));
        List<String> output = run(List.of(venv.resolve("bin/python").toString(), "-c",
                "import demo; print('value', demo.value())"));
        assertTrue(output.contains("value 42"), output.toString());
    }

    @Test
    void repairIsDeterministic() throws Exception {
        RepairOptions options = RepairOptions.defaults().withSourceDateEpoch(OptionalLong.of(1700000000L));
        Path a = repairer(List.of(externalDir.toString())).repair(rawWheel, options, dir.resolve("det-a")).wheel();
        Path b = repairer(List.of(externalDir.toString())).repair(rawWheel, options, dir.resolve("det-b")).wheel();
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void unreachablePlatformNamesTheSymbolVersions() {
        WheelRepairException e = assertThrows(WheelRepairException.class, () -> repairer(List.of(externalDir.toString()))
                .repair(rawWheel, RepairOptions.defaults().withPlatform("manylinux2014"), dir.resolve("fail")));
        assertTrue(e.getMessage().contains("cannot reach manylinux_2_17_x86_64") && e.getMessage().contains("GLIBC_2.26"),
                e.getMessage());
        if (!Files.exists(dir.resolve("fail"))) {
            return;
        }
        try (var files = Files.list(dir.resolve("fail"))) {
            assertEquals(List.of(), files.toList(), "nothing is left behind");
        } catch (IOException io) {
            throw new AssertionError(io);
        }
    }

    @Test
    void excludedLibrariesAreNotBundledAndTargetPlatformIsHonoured() throws Exception {
        RepairResult result = repairer(List.of(externalDir.toString())).repair(rawWheel,
                RepairOptions.defaults().withExcludes(List.of("liboutside.so.*")).withPlatform("manylinux_2_26_x86_64"),
                dir.resolve("excluded"));
        assertEquals(Map.of(), result.grafted());
        assertEquals("demo-1.0-" + tag + "-" + tag + "-manylinux_2_26_x86_64.whl", result.wheel().getFileName().toString());
        try (ZipArchive zip = ZipArchive.open(result.wheel())) {
            assertTrue(zip.entries().stream().noneMatch(e -> e.name().startsWith("demo.libs/")));
        }
    }

    @Test
    void missingLibraryIsAFailureNamingIt() {
        WheelRepairException e = assertThrows(WheelRepairException.class, () -> repairer(List.of())
                .repair(rawWheel, RepairOptions.defaults(), dir.resolve("missing")));
        assertTrue(e.getMessage().contains("liboutside.so.2"), e.getMessage());
    }

    private static List<String> run(List<String> command) throws IOException {
        List<String> output = new ArrayList<>();
        ProcessResult result = ProcessRunner.of(command).removeEnvironment("LD_LIBRARY_PATH").onOutput(output::add)
                .timeout(Duration.ofMinutes(5)).run();
        assertTrue(result.succeeded(), String.join(" ", command) + "\n" + result.tailText());
        return output;
    }
}
