package org.neuronsimulator.wheel.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.model.Version;

class WheelRenamerTest {

    @TempDir
    Path dir;

    private static final WheelWriter WRITER = new WheelWriter(WheelWriter.Options.defaults().sourceDateEpoch(1700000000));

    /** A pure wheel shaped like NEURON's: a package, a script in .data, entry points, METADATA Name NEURON. */
    private Path neuronWheel() throws IOException {
        WheelContents contents = new WheelContents();
        contents.put("neuron/__init__.py", "VALUE = 'the same package'\n".getBytes(StandardCharsets.UTF_8));
        contents.put("neuron/hoc.py", "def h():\n    return 7\n".getBytes(StandardCharsets.UTF_8));
        contents.put("neuron-9.0.0.data/scripts/nrn-hello",
                EntrySource.of("#!python\nprint('hello from nrn')\n".getBytes(StandardCharsets.UTF_8)), 0100755);
        contents.put("neuron-9.0.0.dist-info/METADATA", ("Metadata-Version: 2.1\nName: NEURON\nVersion: 9.0.0\n"
                + "Summary: Empirically-based simulator\nRequires-Dist: packaging\n\nLong description.\n")
                .getBytes(StandardCharsets.UTF_8));
        contents.put("neuron-9.0.0.dist-info/WHEEL", ("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
                + "Tag: py3-none-any\n").getBytes(StandardCharsets.UTF_8));
        contents.put("neuron-9.0.0.dist-info/entry_points.txt", "[console_scripts]\nnrnhoc = neuron.hoc:h\n"
                .getBytes(StandardCharsets.UTF_8));
        return WRITER.write(contents, dir.resolve("raw/neuron-9.0.0-py3-none-any.whl"));
    }

    private static byte[] read(WheelArchive archive, String name) throws IOException {
        try (InputStream in = archive.openEntry(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void renamedWheelHasNewDistInfoDataAndMetadataAndTheSamePackage() throws IOException {
        Path original = neuronWheel();
        Path renamed;
        try (WheelArchive wheel = WheelArchive.open(original)) {
            renamed = new WheelRenamer(WRITER).rename(wheel, Optional.of("neuron-nightly"),
                    Optional.of(Version.parse("9.0.0.dev20261121")), dir.resolve("wheelhouse"));
        }
        assertEquals("neuron_nightly-9.0.0.dev20261121-py3-none-any.whl",
                renamed.getFileName().toString());
        try (WheelArchive before = WheelArchive.open(original); WheelArchive after = WheelArchive.open(renamed)) {
            assertEquals("neuron_nightly-9.0.0.dev20261121.dist-info", after.distInfoDirectory());
            assertEquals("neuron-nightly", after.metadata().name());
            assertEquals(Version.parse("9.0.0.dev20261121"), after.metadata().version());
            assertEquals(List.of("packaging"), after.metadata().get("Requires-Dist"));
            assertEquals(before.metadata().description(), after.metadata().description());
            List<String> names = new ArrayList<>();
            after.entries().forEach(e -> names.add(e.name()));
            assertEquals(List.of("neuron/__init__.py", "neuron/hoc.py",
                    "neuron_nightly-9.0.0.dev20261121.data/scripts/nrn-hello",
                    "neuron_nightly-9.0.0.dev20261121.dist-info/METADATA",
                    "neuron_nightly-9.0.0.dev20261121.dist-info/WHEEL",
                    "neuron_nightly-9.0.0.dev20261121.dist-info/entry_points.txt",
                    "neuron_nightly-9.0.0.dev20261121.dist-info/RECORD"), names);
            assertArrayEquals(read(before, "neuron/__init__.py"), read(after, "neuron/__init__.py"));
            assertArrayEquals(read(before, "neuron-9.0.0.data/scripts/nrn-hello"),
                    read(after, "neuron_nightly-9.0.0.dev20261121.data/scripts/nrn-hello"));
            assertEquals(0100755, after.zip().entry("neuron_nightly-9.0.0.dev20261121.data/scripts/nrn-hello").unixMode());
            assertTrue(after.record().find("neuron/hoc.py").isPresent());
            assertFalse(after.record().find("neuron-9.0.0.dist-info/METADATA").isPresent());
        }

        // a real pip installs it under the new name, and the same package imports
        Path venv = TestPython.createVenv(dir.resolve("venv"));
        String python = TestPython.python(venv).toString();
        TestPython.check(TestPython.run(dir, List.of(python, "-m", "pip", "install", "-q", "--no-index", "--no-deps",
                "--disable-pip-version-check", renamed.toString())));
        String show = TestPython.check(TestPython.run(dir, List.of(python, "-m", "pip", "show", "neuron-nightly")))
                .tailText();
        assertTrue(show.contains("Name: neuron-nightly"), show);
        assertTrue(show.contains("Version: 9.0.0.dev20261121"), show);
        String imported = TestPython.check(TestPython.run(dir, List.of(python, "-c",
                "import neuron, neuron.hoc; print(neuron.VALUE, neuron.hoc.h())"))).tailText();
        assertTrue(imported.contains("the same package 7"), imported);
        String script = TestPython.check(TestPython.run(dir, List.of(venv.resolve("bin/nrn-hello").toString())))
                .tailText();
        assertTrue(script.contains("hello from nrn"), script);
    }

    @Test
    void renamingTwiceGivesIdenticalBytes() throws IOException {
        Path original = neuronWheel();
        byte[] first;
        byte[] second;
        try (WheelArchive wheel = WheelArchive.open(original)) {
            first = Files.readAllBytes(new WheelRenamer(WRITER).rename(wheel, Optional.of("neuron-gpu-nightly"),
                    Optional.empty(), dir.resolve("one")));
            second = Files.readAllBytes(new WheelRenamer(WRITER).rename(wheel, Optional.of("neuron-gpu-nightly"),
                    Optional.empty(), dir.resolve("two")));
        }
        assertArrayEquals(first, second);
        try (var files = Files.list(dir.resolve("one"))) {
            assertEquals(List.of("neuron_gpu_nightly-9.0.0-py3-none-any.whl"),
                    files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void binaryExtensionWheelRenamedInstallsAndItsExtensionRuns() throws IOException {
        // build the sample C extension with the real pip and setuptools (from the local index)
        Path sample = Path.of("..", "it", "samples", "hello-ext").toAbsolutePath().normalize();
        Path source = dir.resolve("hello-ext");
        copyTree(sample.resolve("src"), source.resolve("src"));
        for (String file : List.of("setup.py", "pyproject.toml")) {
            Files.copy(sample.resolve(file), source.resolve(file));
        }
        Path tools = TestPython.toolsVenv();
        List<String> build = new ArrayList<>(List.of(TestPython.python(tools).toString(), "-m", "pip", "wheel", "-q",
                "--no-deps", "--disable-pip-version-check"));
        build.addAll(TestPython.LOCAL_INDEX);
        build.addAll(List.of("-w", dir.resolve("built").toString(), source.toString()));
        TestPython.check(TestPython.run(dir, build));
        Path built;
        try (var files = Files.list(dir.resolve("built"))) {
            built = files.filter(p -> p.toString().endsWith(".whl")).findFirst().orElseThrow();
        }
        Path renamed;
        try (WheelArchive wheel = WheelArchive.open(built)) {
            assertEquals("hello-ext", wheel.metadata().name());
            renamed = new WheelRenamer(WRITER).rename(wheel, Optional.of("hello-ext-gpu-nightly"), Optional.empty(),
                    dir.resolve("wheelhouse"));
        }
        assertTrue(renamed.getFileName().toString().startsWith("hello_ext_gpu_nightly-1.2.0-cp"), renamed.toString());
        Path venv = TestPython.createVenv(dir.resolve("venv"));
        String python = TestPython.python(venv).toString();
        TestPython.check(TestPython.run(dir, List.of(python, "-m", "pip", "install", "-q", "--no-index", "--no-deps",
                "--disable-pip-version-check", renamed.toString())));
        String show = TestPython.check(TestPython.run(dir, List.of(python, "-m", "pip", "show",
                "hello-ext-gpu-nightly"))).tailText();
        assertTrue(show.contains("Name: hello-ext-gpu-nightly"), show);
        String out = TestPython.check(TestPython.run(dir, List.of(python, "-c",
                "import hello; print('sum', hello.add(2, 3))"))).tailText();
        assertTrue(out.contains("sum 5"), out);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
