package org.neuronsimulator.wheel.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

class ZipLayoutTest {

    @TempDir
    Path dir;

    @Test
    void cleanWheelHasNoProblems() throws IOException {
        Path wheel = TestWheels.write(dir, "sample", "1.0", "py3-none-any", TestWheels.metadata("sample", "1.0"));
        ZipLayout layout = ZipLayout.read(wheel);
        assertEquals(List.of(), layout.problems());
        assertEquals(4, layout.entries().size());
    }

    @Test
    void dataDescriptorsAreFound() throws IOException {
        Path wheel = TestWheels.write(dir, "sample", "1.0", "py3-none-any", TestWheels.metadata("sample", "1.0"), true);
        List<String> problems = ZipLayout.read(wheel).problems();
        assertTrue(problems.contains("entry sample/__init__.py uses a data descriptor (general-purpose flag bit 3)"), problems.toString());
    }

    @Test
    void trailingDataIsFound() throws IOException {
        Path wheel = TestWheels.write(dir, "sample", "1.0", "py3-none-any", TestWheels.metadata("sample", "1.0"));
        TestWheels.append(wheel, "extra bytes".getBytes());
        assertEquals(List.of("11 bytes of trailing data after the end of the zip archive"), ZipLayout.read(wheel).problems());
    }

    @Test
    void duplicatesAndZip64FromPython() throws IOException {
        // Python's zipfile writes duplicate names on request and zip64 records when forced.
        Path dup = dir.resolve("dup.zip");
        Path z64 = dir.resolve("z64.zip");
        ProcessResult r = ProcessRunner.of("python3", "-W", "ignore", "-c", String.join("\n",
                "import zipfile, sys",
                "with zipfile.ZipFile(sys.argv[1], 'w') as z:",
                "    z.writestr('a/x.py', 'one')",
                "    z.writestr('a/x.py', 'two')",
                "with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:",
                "    with z.open('big.bin', 'w', force_zip64=True) as f:",
                "        f.write(b'x' * 1000)",
                "    z.writestr('small.txt', 'small')"), dup.toString(), z64.toString()).run();
        assertEquals(0, r.exitCode(), r.tailText());
        assertTrue(ZipLayout.read(dup).problems().contains("entry a/x.py appears more than once"));
        ZipLayout layout = ZipLayout.read(z64);
        assertEquals(1005, layout.totalSize());
        assertEquals(List.of("big.bin", "small.txt"), layout.entries().stream().map(ZipLayout.Entry::name).toList());
    }

    @Test
    void notAZip() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk-1.0-py3-none-any.whl"), "not a zip at all, just text".repeat(3));
        IOException e = assertThrows(IOException.class, () -> ZipLayout.read(junk));
        assertTrue(e.getMessage().contains(junk.toString()) && e.getMessage().contains("not a zip"), e.getMessage());
    }
}
