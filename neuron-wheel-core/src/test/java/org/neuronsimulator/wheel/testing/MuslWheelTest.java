package org.neuronsimulator.wheel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.RecordingReporter;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.archive.EntrySource;
import org.neuronsimulator.wheel.archive.WheelContents;
import org.neuronsimulator.wheel.archive.WheelWriter;
import org.neuronsimulator.wheel.audit.HostLibraryResolver;
import org.neuronsimulator.wheel.audit.ReferenceAuditwheel;
import org.neuronsimulator.wheel.builder.PythonSelector;
import org.neuronsimulator.wheel.builder.container.DockerEngine;
import org.neuronsimulator.wheel.builder.container.PullPolicy;
import org.neuronsimulator.wheel.elf.Toolchain;
import org.neuronsimulator.wheel.repair.RepairComparison;
import org.neuronsimulator.wheel.repair.RepairOptions;
import org.neuronsimulator.wheel.repair.RepairResult;
import org.neuronsimulator.wheel.repair.WheelRepairer;

/**
 * A CPython 3.11 extension compiled against musl (Debian's musl-gcc, linked the Alpine way) that
 * loads a musl library built by the test: repaired here (and by the reference auditwheel, which
 * must agree) to {@code musllinux_1_2_x86_64}, then installed with pip and imported in a fresh
 * virtual environment of the musl test image's CPython ({@code .ci/setup.d/55-musl-image.sh}: a musl
 * rootfs without glibc), through the real Docker engine.
 */
class MuslWheelTest {

    static final String MUSL_IMAGE = System.getProperty("neuron.muslImage", "neuron-wheel-test/musl:1");
    static final String EXTENSION = """
            #include <Python.h>
            int mhelp(int);
            static PyObject *value(PyObject *self, PyObject *args) { return PyLong_FromLong(mhelp(41)); }
            static PyMethodDef methods[] = {{"value", value, METH_NOARGS, ""}, {NULL, NULL, 0, NULL}};
            static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_mdemo", NULL, -1, methods};
            PyMODINIT_FUNC PyInit__mdemo(void) { return PyModule_Create(&module); }
            """;

    @TempDir
    static Path dir;
    static DockerEngine engine;

    @BeforeAll
    static void connect() {
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "the musl image is x86_64");
        try {
            engine = DockerEngine.connect(null, System.getenv());
        } catch (IOException e) {
            Assumptions.abort("skipped: no Docker engine answers (.ci/setup.d/50-docker.sh starts one): " + e.getMessage());
        }
        if (!engine.hasImage(MUSL_IMAGE)) {
            fail("the Docker engine runs but the musl test image " + MUSL_IMAGE + " is missing: run"
                    + " .ci/setup.d/55-musl-image.sh");
        }
    }

    @AfterAll
    static void close() throws IOException {
        if (engine != null) {
            engine.close();
        }
    }

    /** Python's headers for a musl build: Debian's, with its multiarch pyconfig.h reachable on its own. */
    private static List<String> pythonIncludes() throws IOException {
        Path include = Path.of("/usr/include/python3.11");
        Path config = Path.of("/usr/include/x86_64-linux-gnu/python3.11");
        assumeTrue(Files.exists(include.resolve("Python.h")) && Files.isDirectory(config),
                "Python 3.11 headers are needed (python3-dev)");
        // Not all of /usr/include/x86_64-linux-gnu: glibc's headers there must not mix with musl's.
        Path multiarch = Files.createDirectories(dir.resolve("pyinc/x86_64-linux-gnu"));
        Files.createSymbolicLink(multiarch.resolve("python3.11"), config);
        return List.of("-I" + include, "-I" + dir.resolve("pyinc"));
    }

    @Test
    void aRepairedMuslWheelInstallsAndImportsInAMuslImage() throws Exception {
        assumeTrue(Toolchain.MUSL_X86_64.available(), "musl-gcc is not installed (.ci/setup.d installs musl-tools)");
        Path libs = Files.createDirectories(dir.resolve("libs"));
        Toolchain.MUSL_X86_64.compile(dir, "mhelp", "int mhelp(int x) { return x + 1; }\n", libs.resolve("libmhelp.so.1"),
                "-shared", "-fPIC", "-Wl,-soname,libmhelp.so.1");
        List<String> arguments = new ArrayList<>(List.of("-shared", "-fPIC"));
        arguments.addAll(pythonIncludes());
        arguments.addAll(List.of("-L" + libs, "-l:libmhelp.so.1"));
        Path ext = Toolchain.MUSL_X86_64.compile(dir, "mdemo", EXTENSION,
                dir.resolve("_mdemo.cpython-311-x86_64-linux-musl.so"), arguments.toArray(String[]::new));
        WheelContents contents = new WheelContents();
        contents.put("mdemo/__init__.py", "from ._mdemo import value\n".getBytes());
        contents.put("mdemo/" + ext.getFileName(), EntrySource.of(ext), 0100755);
        contents.put("mdemo-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: mdemo\nVersion: 1.0\n".getBytes());
        contents.put("mdemo-1.0.dist-info/WHEEL", ("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\n"
                + "Tag: cp311-cp311-linux_x86_64\n").getBytes());
        Path raw = new WheelWriter().write(contents, dir.resolve("raw/mdemo-1.0-cp311-cp311-linux_x86_64.whl"));

        RepairResult repaired = new WheelRepairer(new HostLibraryResolver(Path.of("/"), List.of(libs.toString()),
                "/etc/ld.so.conf"), Reporter.NONE).repair(raw, RepairOptions.defaults(), dir.resolve("repaired"));
        assertEquals("mdemo-1.0-cp311-cp311-musllinux_1_2_x86_64.whl", repaired.wheel().getFileName().toString());
        assertTrue(repaired.grafted().get("libmhelp.so.1").matches("mdemo\\.libs/libmhelp-[0-9a-f]{8}\\.so\\.1"),
                repaired.grafted()::toString);
        ReferenceAuditwheel reference = ReferenceAuditwheel.locate();
        if (reference != null) {
            Path out = Files.createDirectories(dir.resolve("reference"));
            ReferenceAuditwheel.Run run = reference.repair(raw, out, List.of(), Map.of("LD_LIBRARY_PATH", libs.toString()));
            assertEquals(0, run.exitCode(), run::describe);
            RepairComparison.assertSameRepair(out.resolve(repaired.wheel().getFileName()), repaired.wheel());
        }
        // The library the extension was linked with is not in the image: only the bundled copy can load.
        Path project = Files.createDirectories(dir.resolve("project"));
        WheelTestSettings settings = new WheelTestSettings(project, dir.resolve("envs"), dir.resolve("reports"))
                .environment(Map.of("PIP_RETRIES", "0")).pipOptions(List.of("--no-index"))
                .commands(List.of("{python} -c 'import mdemo, platform; print(\"value\", mdemo.value(),"
                        + " platform.libc_ver())'"));
        RecordingReporter log = new RecordingReporter();
        WheelTestOutcome outcome = new WheelTestRunner(settings, log).runInImage(
                List.of(TestSubject.wheel(repaired.wheel())), engine,
                new ImageTestOptions(MUSL_IMAGE, PullPolicy.NEVER, null, false, List.of()), PythonSelector.parse("3.11"));
        assertFalse(outcome.hasFailures(), log::text);
        JUnitReport serial = WheelTestRunnerTest.reports(settings.reportsDirectory())
                .get("TEST-mdemo-1_0-cp311-cp311-musllinux_1_2_x86_64_whl.cp311.serial.xml");
        assertTrue(serial != null && serial.cases().get(0).systemOut().contains("value 42"), log::text);
    }
}
