package org.neuronsimulator.wheel.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.archive.EntrySource;
import org.neuronsimulator.wheel.archive.WheelContents;
import org.neuronsimulator.wheel.archive.WheelWriter;
import org.neuronsimulator.wheel.audit.HostLibraryResolver;
import org.neuronsimulator.wheel.audit.ReferenceAuditwheel;
import org.neuronsimulator.wheel.elf.NativeBuild;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * Repairs the same wheel with every repair option here and with the reference auditwheel
 * ({@code auditwheel repair}), and requires the same file name and tags, the same bundled files,
 * the same {@code DT_NEEDED}, {@code SONAME} and search paths in every ELF object, the same
 * stripping and compression, and an SBOM that is valid CycloneDX naming the same packages. The
 * wheel's extension loads a library built by the test, which loads a second one, and Debian's
 * libffi (package libffi8, so the SBOMs have something to name).
 */
class RepairParityTest {

    static final String EXTENSION = """
            #include <Python.h>
            extern struct { size_t size; unsigned short alignment, type; void *elements; } ffi_type_pointer;
            int outside(int);
            static PyObject *value(PyObject *self, PyObject *args) {
                return Py_BuildValue("(in)", outside(2), (Py_ssize_t) ffi_type_pointer.size);
            }
            static PyMethodDef methods[] = {{"value", value, METH_NOARGS, ""}, {NULL, NULL, 0, NULL}};
            static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_demo", NULL, -1, methods};
            PyMODINIT_FUNC PyInit__demo(void) { return PyModule_Create(&module); }
            """;
    static final Path LIBFFI = Path.of("/lib/x86_64-linux-gnu/libffi.so.8");
    static final Path BZIP2 = Path.of("/lib/x86_64-linux-gnu/libbz2.so.1.0");

    @TempDir
    static Path dir;
    static ReferenceAuditwheel reference;
    static Path externalDir;
    static Path rawWheel;
    static String tag;
    static String suffix;
    static String include;

    @BeforeAll
    static void build() throws IOException {
        reference = ReferenceAuditwheel.locate();
        assumeTrue(reference != null, "the reference auditwheel (../shared/tools/auditwheel) is not present");
        assumeTrue(NativeBuild.gccAvailable(), "gcc is needed");
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "the expected tags are x86_64 ones");
        assumeTrue(works("patchelf", "--version") && works("python3", "-c", "import venv"), "patchelf and venv are needed");
        assumeTrue(Files.exists(LIBFFI) && Files.exists(BZIP2), "Debian's libffi8 and libbz2-1.0 are needed");
        include = NativeBuild.run("python3", "-c", "import sysconfig; print(sysconfig.get_paths()['include'])").trim();
        assumeTrue(Files.exists(Path.of(include, "Python.h")), "Python headers are needed (python3-dev)");
        tag = "cp" + NativeBuild.run("python3", "-c", "import sys; print('%d%d' % sys.version_info[:2])").trim();
        suffix = NativeBuild.run("python3", "-c", "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))").trim();
        externalDir = Files.createDirectories(dir.resolve("external"));
        NativeBuild.compile(dir, "inner", "int inner(int x) { return x * 20; }\n", externalDir.resolve("libinner.so.3"),
                "-shared", "-fPIC", "-Wl,-soname,libinner.so.3");
        NativeBuild.compile(dir, "outside", "int inner(int);\nint outside(int x) { return inner(x) + 2; }\n",
                externalDir.resolve("liboutside.so.2"), "-shared", "-fPIC", "-Wl,-soname,liboutside.so.2",
                "-L" + externalDir, "-l:libinner.so.3", "-Wl,-rpath,/nonexistent/build/lib");
        Path ext = NativeBuild.compile(dir, "demo", EXTENSION, dir.resolve("_demo" + suffix), "-shared", "-fPIC",
                "-I" + include, "-L" + externalDir, "-l:liboutside.so.2", "-L" + LIBFFI.getParent(), "-l:libffi.so.8");
        rawWheel = wheel(ext, "demo", "from ._demo import value\n");
    }

    static Path wheel(Path extension, String name, String init) throws IOException {
        WheelContents contents = new WheelContents();
        contents.put(name + "/__init__.py", init.getBytes(StandardCharsets.UTF_8));
        contents.put(name + "/" + extension.getFileName(), EntrySource.of(extension), 0100755);
        contents.put(name + "-1.0.dist-info/METADATA", ("Metadata-Version: 2.1\nName: " + name + "\nVersion: 1.0\n")
                .getBytes(StandardCharsets.UTF_8));
        contents.put(name + "-1.0.dist-info/WHEEL", ("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\n"
                + "Tag: " + tag + "-" + tag + "-linux_x86_64\n").getBytes(StandardCharsets.UTF_8));
        return new WheelWriter().write(contents, dir.resolve("raw-" + name + "/" + name + "-1.0-" + tag + "-" + tag
                + "-linux_x86_64.whl"));
    }

    static boolean works(String... command) {
        try {
            return ProcessRunner.of(command).timeout(Duration.ofSeconds(60)).run().succeeded();
        } catch (IOException e) {
            return false;
        }
    }

    static Stream<Arguments> options() {
        return Stream.of(
                Arguments.of("default", List.of(), UnaryOperator.<RepairOptions>identity()),
                Arguments.of("platform", List.of("--plat", "manylinux_2_34_x86_64"),
                        (UnaryOperator<RepairOptions>) o -> o.withPlatform("manylinux_2_34_x86_64")),
                Arguments.of("only-platform", List.of("--plat", "manylinux_2_34_x86_64", "--only-plat"),
                        (UnaryOperator<RepairOptions>) o -> o.withPlatform("manylinux_2_34_x86_64").withOnlyPlatform(true)),
                Arguments.of("strip", List.of("--strip"), (UnaryOperator<RepairOptions>) o -> o.withStrip(true)),
                Arguments.of("lib-subdirectory", List.of("-L", "/.libs"),
                        (UnaryOperator<RepairOptions>) o -> o.withLibSubdirectory("/.libs")),
                Arguments.of("no-update-tags", List.of("--no-update-tags"),
                        (UnaryOperator<RepairOptions>) o -> o.withUpdateTags(false)),
                Arguments.of("stored", List.of("-z", "0"), (UnaryOperator<RepairOptions>) o -> o.withCompressionLevel(0)),
                Arguments.of("best-compression", List.of("-z", "9"),
                        (UnaryOperator<RepairOptions>) o -> o.withCompressionLevel(9)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void repairMatchesTheReference(String name, List<String> referenceArguments, UnaryOperator<RepairOptions> option)
            throws Exception {
        Path theirs = referenceRepair(rawWheel, name, referenceArguments);
        RepairResult ours = new WheelRepairer(new HostLibraryResolver(Path.of("/"), List.of(externalDir.toString()),
                "/etc/ld.so.conf"), Reporter.NONE).repair(rawWheel,
                option.apply(RepairOptions.defaults().withSourceDateEpoch(OptionalLong.of(1700000000L))),
                dir.resolve("ours-" + name));
        RepairComparison.assertSameRepair(theirs, ours.wheel());
        if (name.equals("default")) {
            assertEquals(Set.of("libffi.so.8", "liboutside.so.2", "libinner.so.3"), ours.grafted().keySet());
            assertImports(ours.wheel(), "import demo; print('value', demo.value())", "value (42, 8)");
        }
        if (name.equals("platform") || name.equals("only-platform")) {
            // libffi needs glibc 2.27: without --only-plat that more compatible tag comes first.
            String platforms = ours.wheel().getFileName().toString().replaceAll(".*-", "");
            assertEquals(name.equals("platform") ? "manylinux_2_27_x86_64.manylinux_2_34_x86_64.whl"
                    : "manylinux_2_34_x86_64.whl", platforms);
        }
        if (name.equals("no-update-tags")) {
            assertEquals(rawWheel.getFileName(), ours.wheel().getFileName());
        }
    }

    @Test
    void libpythonIsRemovedFromDtNeeded() throws Exception {
        String libdir = NativeBuild.run("python3", "-c", "import sysconfig; print(sysconfig.get_config_var('LIBDIR'))").trim();
        String ldlibrary = NativeBuild.run("python3", "-c", "import sysconfig; print(sysconfig.get_config_var('LDLIBRARY'))").trim();
        assumeTrue(ldlibrary.endsWith(".so") && Files.exists(Path.of(libdir, ldlibrary)), "no shared libpython to link");
        Path ext = NativeBuild.compile(dir, "pylinked", """
                #include <Python.h>
                static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pylinked", NULL, -1, NULL};
                PyMODINIT_FUNC PyInit__pylinked(void) { return PyModule_Create(&module); }
                """, dir.resolve("_pylinked" + suffix), "-shared", "-fPIC", "-I" + include, "-L" + libdir,
                "-l:" + ldlibrary);
        assertTrue(NativeBuild.run("readelf", "-dW", ext.toString()).contains("libpython"));
        Path raw = wheel(ext, "pylinked", "from . import _pylinked\n");
        Path theirs = referenceRepair(raw, "libpython", List.of());
        RepairResult ours = new WheelRepairer(HostLibraryResolver.ofSystem(), Reporter.NONE)
                .repair(raw, RepairOptions.defaults(), dir.resolve("ours-libpython"));
        assertEquals(Map.of(), ours.grafted());
        RepairComparison.assertSameRepair(theirs, ours.wheel());
        RepairComparison.Dynamic patched = RepairComparison.dynamicSections(ours.wheel()).get("pylinked/_pylinked" + suffix);
        assertTrue(patched.needed().stream().noneMatch(n -> n.startsWith("libpython")), patched::toString);
        assertImports(ours.wheel(), "import pylinked._pylinked as m; print('loaded', m.__name__)", "loaded pylinked._pylinked");
    }

    @Test
    void bundlingIsNotStretchedForAMoreCompatibleTag() throws Exception {
        // libexpat is a system library from manylinux_2_12 on: the best tag that needs no more bundled
        // libraries than the fewest is chosen, not manylinux_2_5 with libexpat bundled.
        Path expat = Path.of("/lib/x86_64-linux-gnu/libexpat.so.1");
        assumeTrue(Files.exists(expat), "Debian's libexpat1 is needed");
        Path ext = NativeBuild.compile(dir, "xp", """
                const char *XML_ExpatVersion(void);
                int PyInit__xp(void) { return XML_ExpatVersion()[0]; }
                """, dir.resolve("_xp" + suffix), "-shared", "-fPIC", "-L" + expat.getParent(), "-l:libexpat.so.1");
        Path raw = wheel(ext, "xp", "");
        Path theirs = referenceRepair(raw, "expat", List.of());
        RepairResult ours = new WheelRepairer(HostLibraryResolver.ofSystem(), Reporter.NONE)
                .repair(raw, RepairOptions.defaults(), dir.resolve("ours-expat"));
        RepairComparison.assertSameRepair(theirs, ours.wheel());
        assertEquals(Map.of(), ours.grafted());
        assertEquals("manylinux_2_12", ours.policy().name());
    }

    private static Path referenceRepair(Path wheel, String name, List<String> arguments) throws IOException {
        Path out = Files.createDirectories(dir.resolve("theirs-" + name));
        ReferenceAuditwheel.Run run = reference.repair(wheel, out, arguments,
                Map.of("LD_LIBRARY_PATH", externalDir.toString()));
        assertEquals(0, run.exitCode(), run::describe);
        try (Stream<Path> files = Files.list(out)) {
            List<Path> wheels = files.filter(f -> f.toString().endsWith(".whl")).toList();
            assertEquals(1, wheels.size(), wheels::toString);
            return wheels.get(0);
        }
    }

    /** Installs the wheel into a fresh virtual environment, without the build's libraries, and runs the code. */
    static void assertImports(Path wheel, String code, String expected) throws IOException {
        Path venv = dir.resolve("venv-" + wheel.getFileName());
        run(List.of("python3", "-m", "venv", venv.toString()));
        run(List.of(venv.resolve("bin/python").toString(), "-m", "pip", "install", "-q", "--no-index", "--no-deps",
                wheel.toString()));
        List<String> output = run(List.of(venv.resolve("bin/python").toString(), "-c", code));
        assertTrue(String.join("\n", output).contains(expected), output::toString);
    }

    private static List<String> run(List<String> command) throws IOException {
        List<String> output = new ArrayList<>();
        ProcessResult result = ProcessRunner.of(command).removeEnvironment("LD_LIBRARY_PATH").onOutput(output::add)
                .timeout(Duration.ofMinutes(5)).run();
        assertTrue(result.succeeded(), String.join(" ", command) + "\n" + result.tailText());
        return output;
    }

    @Test
    void theSbomNamesTheDebianPackageOfEachBundledLibrary() throws Exception {
        // libbz2-1.0 installs /lib/x86_64-linux-gnu/libbz2.so.1.0.4, which merged /usr makes
        // /usr/lib/...: the package is found under the path the library was found at, not only its
        // real path (the reference auditwheel asks dpkg for the real path alone and names no package).
        Path ext = NativeBuild.compile(dir, "bz", """
                const char *BZ2_bzlibVersion(void);
                extern struct { unsigned long size; } ffi_type_pointer;
                int PyInit__bz(void) { return BZ2_bzlibVersion()[0] + (int) ffi_type_pointer.size; }
                """, dir.resolve("_bz" + suffix), "-shared", "-fPIC", "-L" + BZIP2.getParent(), "-l:libbz2.so.1.0",
                "-l:libffi.so.8");
        Path raw = wheel(ext, "bz", "");
        RepairResult ours = new WheelRepairer(HostLibraryResolver.ofSystem(), Reporter.NONE)
                .repair(raw, RepairOptions.defaults(), dir.resolve("sbom"));
        JsonNode sbom = RepairComparison.sbom(ours.wheel(), Sbom.FILE_NAME);
        assertNotNull(sbom);
        List<String> purls = new ArrayList<>();
        sbom.get("components").forEach(c -> purls.add(c.get("purl").asText()));
        assertEquals(List.of("pkg:pypi/bz@1.0?file_name=" + ours.wheel().getFileName(),
                "pkg:deb/debian/libbz2-1.0@" + purlVersion("libbz2-1.0"), "pkg:deb/debian/libffi8@" + purlVersion("libffi8")),
                purls);
        assertEquals("libbz2-1.0", sbom.get("components").get(1).get("name").asText());
        assertEquals(3, sbom.get("dependencies").size());
        assertEquals(2, sbom.get("dependencies").get(0).get("dependsOn").size());
        assertNull(sbom.get("metadata").get("timestamp"), "no timestamp: repairs stay reproducible");
        assertNull(RepairComparison.sbom(new WheelRepairer(new HostLibraryResolver(Path.of("/"), List.of(externalDir.toString()),
                "/etc/ld.so.conf"), Reporter.NONE).repair(rawWheel, RepairOptions.defaults().withExcludes(
                List.of("libffi.so.8")), dir.resolve("no-sbom")).wheel(), Sbom.FILE_NAME),
                "libraries no package installed give no SBOM");
    }

    private static String purlVersion(String debianPackage) throws IOException {
        return NativeBuild.run("dpkg-query", "-W", "-f=${Version}", debianPackage).trim().replace("+", "%2B")
                .replace(":", "%3A");
    }
}
