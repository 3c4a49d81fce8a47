package org.neuronsimulator.wheel.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.model.Record;

class WheelArchiveTest {

    static final String NAME = "demo_pkg-1.0-py3-none-any.whl";
    static final String DIST_INFO = "demo_pkg-1.0.dist-info";

    @TempDir
    Path dir;

    /** Files of a small valid wheel, RECORD not included. */
    static Map<String, byte[]> validFiles() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("demo_pkg/__init__.py", "VALUE = 42\n".getBytes(StandardCharsets.UTF_8));
        files.put("demo_pkg/a.txt", "aaaa\n".getBytes(StandardCharsets.UTF_8));
        files.put("demo_pkg/b.txt", "bbbb\n".getBytes(StandardCharsets.UTF_8));
        files.put(DIST_INFO + "/METADATA", "Metadata-Version: 2.1\nName: demo-pkg\nVersion: 1.0\n"
                .getBytes(StandardCharsets.UTF_8));
        files.put(DIST_INFO + "/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
                .getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /** RECORD text listing every file with its real hash. */
    static String recordOf(Map<String, byte[]> files, String recordPath) {
        StringBuilder text = new StringBuilder();
        files.forEach((name, bytes) -> text.append(name).append(',').append(Record.sha256Hash(bytes)).append(',')
                .append(bytes.length).append('\n'));
        return text.append(recordPath).append(",,\n").toString();
    }

    /**
     * Writes a zip with java.util.zip (an independent writer; it uses data descriptors, as some
     * tools do, so the reader is also shown to accept them).
     */
    static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    static Path wheel(Path file, Map<String, byte[]> files) throws IOException {
        Map<String, byte[]> all = new LinkedHashMap<>(files);
        all.put(DIST_INFO + "/RECORD", recordOf(files, DIST_INFO + "/RECORD").getBytes(StandardCharsets.UTF_8));
        return zip(file, all);
    }

    /** Opens the wheel and writes it again into {@code out}, as the packaging goal does. */
    static void rewriteInto(Path wheel, Path out) throws IOException {
        try (WheelArchive archive = WheelArchive.open(wheel)) {
            new WheelWriter().write(archive.contents(), out.resolve(archive.fileName().toString()));
        }
    }

    /** Asserts that opening fails naming the file and the reason, and that nothing lands in the output folder. */
    InvalidWheelException assertRejected(Path wheel, String reason) throws IOException {
        Path out = dir.resolve("wheelhouse");
        Files.createDirectories(out);
        InvalidWheelException error = assertThrows(InvalidWheelException.class, () -> rewriteInto(wheel, out));
        assertEquals(wheel, error.file());
        assertTrue(error.getMessage().startsWith(wheel + ": "), error.getMessage());
        assertTrue(error.reason().contains(reason), error.getMessage());
        try (var left = Files.list(out)) {
            assertEquals(List.of(), left.toList());
        }
        return error;
    }

    @Test
    void aValidWheelOpensWithItsModelAndEntries() throws IOException {
        Path wheel = wheel(dir.resolve(NAME), validFiles());
        try (WheelArchive archive = WheelArchive.open(wheel)) {
            assertEquals("demo-pkg", archive.metadata().name());
            assertEquals("demo_pkg", archive.fileName().distribution());
            assertEquals(List.of("py3-none-any"), archive.wheelInfo().tags());
            assertEquals(DIST_INFO, archive.distInfoDirectory());
            assertEquals(6, archive.record().entries().size());
            assertEquals(6, archive.entries().size());
            assertArrayEquals("aaaa\n".getBytes(StandardCharsets.UTF_8), archive.openEntry("demo_pkg/a.txt").readAllBytes());
            assertTrue(archive.entries().get(0).hasDataDescriptor());
        }
        Path out = dir.resolve("out");
        rewriteInto(wheel, out);
        try (WheelArchive rewritten = WheelArchive.open(out.resolve(NAME))) {
            assertEquals(6, rewritten.entries().size());
            assertTrue(rewritten.entries().stream().noneMatch(ZipEntryInfo::hasDataDescriptor));
        }
    }

    @Test
    void verifiedEntriesAreCopiedWithoutRecompression() throws IOException {
        Map<String, byte[]> files = validFiles();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            text.append("row ").append(i).append(' ').append(i % 97).append('\n');
        }
        files.put("demo_pkg/table.txt", text.toString().getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> all = new LinkedHashMap<>(files);
        all.put(DIST_INFO + "/RECORD", recordOf(files, DIST_INFO + "/RECORD").getBytes(StandardCharsets.UTF_8));
        // level 1: data the writer's own level 6 would compress differently
        Path wheel = dir.resolve("in").resolve(NAME);
        Files.createDirectories(wheel.getParent());
        try (OutputStream out = Files.newOutputStream(wheel); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(1);
            for (Map.Entry<String, byte[]> e : all.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        Path out = dir.resolve("out");
        rewriteInto(wheel, out);
        try (WheelArchive before = WheelArchive.open(wheel); WheelArchive after = WheelArchive.open(out.resolve(NAME))) {
            ZipEntryInfo in = before.zip().entry("demo_pkg/table.txt");
            ZipEntryInfo copied = after.zip().entry("demo_pkg/table.txt");
            assertEquals(in.compressedSize(), copied.compressedSize());
            assertEquals(in.crc(), copied.crc());
            assertArrayEquals(files.get("demo_pkg/table.txt"), after.openEntry("demo_pkg/table.txt").readAllBytes());
            assertEquals(before.record().find("demo_pkg/table.txt"), after.record().find("demo_pkg/table.txt"));
        }
        // recompressed when taken from the zip without the verified hashes
        Path recompressed = dir.resolve("re").resolve(NAME);
        try (ZipArchive zip = ZipArchive.open(wheel)) {
            new WheelWriter().write(WheelContents.of(zip), recompressed);
        }
        try (ZipArchive in = ZipArchive.open(wheel); WheelArchive again = WheelArchive.open(recompressed)) {
            assertTrue(again.zip().entry("demo_pkg/table.txt").compressedSize()
                    < in.entry("demo_pkg/table.txt").compressedSize());
        }
    }

    @Test
    void damagedBytesGiveAnInvalidWheelErrorAndNothingElse() throws IOException {
        Path good = wheel(dir.resolve("good").resolve(NAME), validFiles());
        byte[] original = Files.readAllBytes(good);
        java.util.Random random = new java.util.Random(7);
        Path wheel = dir.resolve(NAME);
        int rejected = 0;
        for (int round = 0; round < 400; round++) {
            byte[] bytes = original.clone();
            int flips = 1 + random.nextInt(3);
            for (int i = 0; i < flips; i++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            Files.write(wheel, bytes);
            try (WheelArchive archive = WheelArchive.open(wheel)) {
                // a harmless change (e.g. in a timestamp) still reads back the same files
                assertArrayEquals(files(archive).get("demo_pkg/a.txt"), validFiles().get("demo_pkg/a.txt"));
            } catch (InvalidWheelException e) {
                assertEquals(wheel, e.file());
                assertTrue(e.getMessage().startsWith(wheel + ": "), e.getMessage());
                rejected++;
            }
        }
        assertTrue(rejected > 100, "only " + rejected + " damaged copies were rejected");
    }

    private static Map<String, byte[]> files(WheelArchive archive) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (ZipEntryInfo entry : archive.entries()) {
            files.put(entry.name(), archive.openEntry(entry.name()).readAllBytes());
        }
        return files;
    }

    @Test
    void notAZip() throws IOException {
        Path wheel = dir.resolve(NAME);
        Files.writeString(wheel, "this is a text file, not a wheel\n");
        assertRejected(wheel, "not a zip archive");
    }

    @Test
    void emptyFile() throws IOException {
        Path wheel = dir.resolve(NAME);
        Files.write(wheel, new byte[0]);
        assertRejected(wheel, "not a zip archive");
    }

    @Test
    void truncatedZip() throws IOException {
        Path good = wheel(dir.resolve("good").resolve(NAME), validFiles());
        byte[] bytes = Files.readAllBytes(good);
        Path wheel = dir.resolve(NAME);
        Files.write(wheel, Arrays.copyOf(bytes, bytes.length * 2 / 3));
        assertRejected(wheel, "truncated zip archive");
    }

    @Test
    void recordHashMismatch() throws IOException {
        Map<String, byte[]> files = validFiles();
        Map<String, byte[]> all = new LinkedHashMap<>(files);
        String record = recordOf(files, DIST_INFO + "/RECORD");
        // RECORD describes other content for a.txt than what the archive holds
        all.put("demo_pkg/a.txt", "AAAA\n".getBytes(StandardCharsets.UTF_8));
        all.put(DIST_INFO + "/RECORD", record.getBytes(StandardCharsets.UTF_8));
        InvalidWheelException error = assertRejected(zip(dir.resolve(NAME), all), "RECORD mismatch");
        assertTrue(error.reason().contains("demo_pkg/a.txt"), error.getMessage());
    }

    @Test
    void metadataThatIsNotUtf8IsRefusedRatherThanRepaired() throws IOException {
        Map<String, byte[]> files = validFiles();
        byte[] metadata = files.get(DIST_INFO + "/METADATA");
        ByteArrayOutputStream broken = new ByteArrayOutputStream();
        broken.write(metadata);
        broken.write("Summary: caf".getBytes(StandardCharsets.US_ASCII));
        broken.write(0xff);
        broken.write('\n');
        files.put(DIST_INFO + "/METADATA", broken.toByteArray());
        InvalidWheelException error = assertRejected(wheel(dir.resolve(NAME), files), DIST_INFO + "/METADATA");
        assertTrue(error.reason().contains("not valid UTF-8 (byte " + (metadata.length + 12) + ")"), error.getMessage());
    }

    @Test
    void fileMissingFromRecord() throws IOException {
        Map<String, byte[]> files = validFiles();
        Map<String, byte[]> all = new LinkedHashMap<>(files);
        all.put(DIST_INFO + "/RECORD", recordOf(files, DIST_INFO + "/RECORD").getBytes(StandardCharsets.UTF_8));
        all.put("demo_pkg/sneaky.py", "print('x')\n".getBytes(StandardCharsets.UTF_8));
        assertRejected(zip(dir.resolve(NAME), all), "demo_pkg/sneaky.py is not listed in " + DIST_INFO + "/RECORD");
    }

    @Test
    void entryWithDotDot() throws IOException {
        Map<String, byte[]> files = validFiles();
        files.put("demo_pkg/../../evil.py", "import os\n".getBytes(StandardCharsets.UTF_8));
        assertRejected(wheel(dir.resolve(NAME), files), "unsafe entry name demo_pkg/../../evil.py");
    }

    @Test
    void absoluteAndBackslashNames() throws IOException {
        Map<String, byte[]> files = validFiles();
        files.put("/etc/evil.conf", new byte[] {1});
        assertRejected(wheel(dir.resolve("a").resolve(NAME), files), "absolute path");
        files = validFiles();
        files.put("demo_pkg\\..\\evil.py", new byte[] {1});
        assertRejected(wheel(dir.resolve("b").resolve(NAME), files), "backslash");
    }

    @Test
    void twoDistInfoDirectories() throws IOException {
        Map<String, byte[]> files = validFiles();
        files.put("other-2.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: other\nVersion: 2.0\n"
                .getBytes(StandardCharsets.UTF_8));
        assertRejected(wheel(dir.resolve(NAME), files), "more than one .dist-info directory");
    }

    @Test
    void distInfoNotMatchingTheFileName() throws IOException {
        Path wheel = wheel(dir.resolve("other_pkg-1.0-py3-none-any.whl"), validFiles());
        assertRejected(wheel, "does not match the file name");
    }

    @Test
    void fileNameThatDoesNotParse() throws IOException {
        Path wheel = wheel(dir.resolve("demo_pkg-1.0.whl"), validFiles());
        assertRejected(wheel, "not a valid wheel file name");
    }

    @Test
    void duplicateEntries() throws IOException {
        Path good = wheel(dir.resolve("good").resolve(NAME), validFiles());
        byte[] bytes = Files.readAllBytes(good);
        // rename b.txt to a.txt in the local and central headers: two entries of the same name
        byte[] from = "demo_pkg/b.txt".getBytes(StandardCharsets.UTF_8);
        byte[] to = "demo_pkg/a.txt".getBytes(StandardCharsets.UTF_8);
        int replaced = 0;
        for (int i = 0; i + from.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, bytes, i, to.length);
                replaced++;
            }
        }
        assertEquals(2, replaced);
        Path wheel = dir.resolve(NAME);
        Files.write(wheel, bytes);
        assertRejected(wheel, "duplicate entry demo_pkg/a.txt");
    }

    @Test
    void corruptEntryData() throws IOException {
        Map<String, byte[]> files = validFiles();
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ("abcdefgh".charAt(i % 8) + i / 5000);
        }
        files.put("demo_pkg/big.txt", big);
        Path good = wheel(dir.resolve("good").resolve(NAME), files);
        byte[] bytes = Files.readAllBytes(good);
        try (ZipArchive zip = ZipArchive.open(good)) {
            ZipEntryInfo entry = zip.entry("demo_pkg/big.txt");
            int middle = (int) (entry.dataOffset() + entry.compressedSize() / 2);
            bytes[middle] ^= 0x55;
            bytes[middle + 1] ^= 0x55;
        }
        Path wheel = dir.resolve(NAME);
        Files.write(wheel, bytes);
        InvalidWheelException error = assertRejected(wheel, "entry demo_pkg/big.txt");
        assertTrue(error.reason().matches(".*(CRC-32|corrupt deflate|size).*"), error.getMessage());
    }

    @Test
    void zipBombRatioIsRefused() throws IOException {
        Map<String, byte[]> files = validFiles();
        files.put("demo_pkg/zeros.bin", new byte[100 << 20]);
        assertRejected(wheel(dir.resolve(NAME), files), "compression ratio over");
    }

    @Test
    void trailingDataIsRefused() throws IOException {
        Path good = wheel(dir.resolve("good").resolve(NAME), validFiles());
        Path wheel = dir.resolve(NAME);
        byte[] bytes = Files.readAllBytes(good);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 10);
        Files.write(wheel, longer);
        assertRejected(wheel, "trailing data");
    }
}
