package org.neuronsimulator.wheel.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/** What {@link ZipArchive#inspect} lists (the upload preflight reports it) and {@link ZipArchive#open} refuses. */
class ZipArchiveTest {

    @TempDir
    Path dir;

    private Path written() throws IOException {
        WheelContents contents = new WheelContents();
        WheelArchiveTest.validFiles().forEach(contents::put);
        return new WheelWriter().write(contents, dir.resolve("out").resolve(WheelArchiveTest.NAME));
    }

    @Test
    void cleanWheelHasNoProblems() throws IOException {
        Path wheel = written();
        try (ZipArchive zip = ZipArchive.inspect(wheel, ZipArchive.Limits.DEFAULT)) {
            assertEquals(List.of(), zip.problems());
            assertEquals(6, zip.entries().size());
            assertTrue(zip.entries().stream().noneMatch(ZipEntryInfo::hasDataDescriptor));
        }
    }

    @Test
    void symlinksDevicesAndPipesAreRefusedWithTheEntryNamed() throws IOException {
        String[][] cases = {{"120777", "symbolic link"}, {"20644", "character device"}, {"60644", "block device"},
                {"10644", "named pipe"}, {"140644", "socket"}};
        for (String[] c : cases) {
            Path wheel = dir.resolve("mode-" + c[0] + ".whl");
            try (org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream out =
                         new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(wheel)) {
                org.apache.commons.compress.archivers.zip.ZipArchiveEntry entry =
                        new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("demo_pkg/passwd");
                entry.setUnixMode(Integer.parseInt(c[0], 8));
                out.putArchiveEntry(entry);
                out.write("/etc/passwd".getBytes(StandardCharsets.US_ASCII));
                out.closeArchiveEntry();
            }
            InvalidWheelException refused = assertThrows(InvalidWheelException.class, () -> ZipArchive.open(wheel));
            assertEquals("entry demo_pkg/passwd is a " + c[1] + "; a wheel holds only regular files and directories",
                    refused.reason());
            assertTrue(refused.getMessage().contains(wheel.getFileName().toString()), refused.getMessage());
        }
    }

    @Test
    void dataDescriptorsAreFound() throws IOException {
        // java.util.zip writes deflated entries with data descriptors
        Path wheel = WheelArchiveTest.wheel(dir.resolve(WheelArchiveTest.NAME), WheelArchiveTest.validFiles());
        try (ZipArchive zip = ZipArchive.open(wheel)) {
            assertEquals(List.of(), zip.problems());
            assertTrue(zip.entry("demo_pkg/__init__.py").hasDataDescriptor());
        }
    }

    @Test
    void trailingDataIsFound() throws IOException {
        Path wheel = written();
        try (OutputStream out = Files.newOutputStream(wheel, StandardOpenOption.APPEND)) {
            out.write("extra bytes".getBytes(StandardCharsets.US_ASCII));
        }
        try (ZipArchive zip = ZipArchive.inspect(wheel, ZipArchive.Limits.DEFAULT)) {
            assertEquals(List.of("11 bytes of trailing data after the end of central directory record"), zip.problems());
        }
        InvalidWheelException refused = assertThrows(InvalidWheelException.class, () -> ZipArchive.open(wheel));
        assertEquals("11 bytes of trailing data after the end of central directory record", refused.reason());
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
        try (ZipArchive zip = ZipArchive.inspect(dup, ZipArchive.Limits.DEFAULT)) {
            assertEquals(List.of("duplicate entry a/x.py"), zip.problems());
            assertEquals("one", new String(zip.openEntry("a/x.py").readAllBytes(), StandardCharsets.US_ASCII));
        }
        assertTrue(assertThrows(InvalidWheelException.class, () -> ZipArchive.open(dup)).reason()
                .contains("duplicate entry a/x.py"));
        try (ZipArchive zip = ZipArchive.open(z64)) {
            assertEquals(1005, zip.entries().stream().mapToLong(ZipEntryInfo::size).sum());
            assertEquals(List.of("big.bin", "small.txt"), zip.entries().stream().map(ZipEntryInfo::name).toList());
            assertEquals("x".repeat(1000), new String(zip.openEntry("big.bin").readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aRatioOverTheCapIsListedAndReadingStaysBounded() throws IOException {
        Path wheel = dir.resolve("zeros.zip");
        WheelArchiveTest.zip(wheel, java.util.Map.of("zeros.bin", new byte[100 << 20]));
        try (ZipArchive zip = ZipArchive.inspect(wheel, ZipArchive.Limits.DEFAULT)) {
            assertEquals(2, zip.problems().size(), zip.problems().toString());
            assertTrue(zip.problems().get(0).startsWith("entry zeros.bin has a compression ratio over 500"),
                    zip.problems().toString());
            assertTrue(zip.problems().get(1).startsWith("archive has a compression ratio over 50"), zip.problems().toString());
        }
    }

    /** The written wheel's bytes with the first occurrence of {@code from} (a local header's copy) replaced. */
    private byte[] withFirst(String from, String to) throws IOException {
        byte[] bytes = Files.readAllBytes(written());
        byte[] a = from.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + a.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + a.length, a, 0, a.length)) {
                System.arraycopy(to.getBytes(StandardCharsets.UTF_8), 0, bytes, i, a.length);
                return bytes;
            }
        }
        throw new AssertionError(from + " not found");
    }

    @Test
    void aLocalHeaderThatDiffersFromTheCentralDirectoryIsRefused() throws IOException {
        // readers that follow the local headers would see another file than those that read the central directory
        Path wheel = Files.write(dir.resolve(WheelArchiveTest.NAME), withFirst("demo_pkg/a.txt", "demo_pkg/x.txt"));
        InvalidWheelException e = assertThrows(InvalidWheelException.class,
                () -> ZipArchive.inspect(wheel, ZipArchive.Limits.DEFAULT));
        assertTrue(e.reason().startsWith("entry demo_pkg/a.txt: the local header at offset "), e.reason());
        assertTrue(e.reason().endsWith(" differs from the central directory"), e.reason());
    }

    @Test
    void everyLocalHeaderIsCheckedAlsoWhereOneReaderReadsARunOfSmallEntries() throws IOException {
        // the last entry's header is reached by the reader that read past the small entries before it
        String record = WheelArchiveTest.DIST_INFO + "/RECORD";
        Path wheel = Files.write(dir.resolve(WheelArchiveTest.NAME), withFirst(record, WheelArchiveTest.DIST_INFO + "/RECORX"));
        InvalidWheelException e = assertThrows(InvalidWheelException.class,
                () -> ZipArchive.inspect(wheel, ZipArchive.Limits.DEFAULT));
        assertTrue(e.reason().startsWith("entry " + record + ": the local header at offset "), e.reason());
    }

    @Test
    void aLocalSizeOtherThanTheCentralOneDoesNotMoveTheNextHeaderCheck() throws IOException {
        // readers take sizes from the central directory; a reader reading past an entry must not take the local one
        byte[] bytes = Files.readAllBytes(written());
        bytes[18]++; // the first local header's compressed size
        Path wheel = Files.write(dir.resolve(WheelArchiveTest.NAME), bytes);
        try (ZipArchive zip = ZipArchive.inspect(wheel, ZipArchive.Limits.DEFAULT)) {
            assertEquals(6, zip.entries().size());
        }
    }

    @Test
    void unsafeMemberNamesAreNamedByWhatIsWrong() {
        for (String fine : List.of("a", "a/", "a/b", "a/b/", "pkg/.hidden", "pkg/..x", "pkg/x..", "a/.../b")) {
            assertEquals(null, ZipArchive.unsafeNameReason(fine), fine);
        }
        String[][] cases = {{"", "empty name"}, {"/etc/passwd", "absolute path"}, {"C:/x", "drive letter"},
            {"a\\b", "contains a backslash"}, {"a\0b", "contains a NUL character"}, {"..", "'..' segment"},
            {"a/../b", "'..' segment"}, {"a/..", "'..' segment"}, {"../", "'..' segment"}, {"a//b", "empty or '.' segment"},
            {"a//", "empty or '.' segment"}, {"./a", "empty or '.' segment"}, {"a/./b", "empty or '.' segment"},
            {"a/.", "empty or '.' segment"}, {"a/./", "empty or '.' segment"}};
        for (String[] c : cases) {
            assertEquals(c[1], ZipArchive.unsafeNameReason(c[0]), c[0]);
        }
    }

    @Test
    void bytesBeforeTheFirstEntryAreRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(written());
        byte[] longer = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, longer, 7, bytes.length);
        Path wheel = Files.write(dir.resolve(WheelArchiveTest.NAME), longer);
        InvalidWheelException e = assertThrows(InvalidWheelException.class, () -> ZipArchive.open(wheel));
        assertTrue(e.reason().startsWith("damaged zip archive (7 bytes before the first entry"), e.reason());
    }

    @Test
    void notAZip() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk-1.0-py3-none-any.whl"), "not a zip at all, just text".repeat(3));
        InvalidWheelException e = assertThrows(InvalidWheelException.class,
                () -> ZipArchive.inspect(junk, ZipArchive.Limits.DEFAULT));
        assertEquals(junk, e.file());
        assertTrue(e.getMessage().contains(junk.toString()) && e.reason().startsWith("not a zip archive"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("missing.whl")));
        assertEquals("file does not exist", assertThrows(InvalidWheelException.class,
                () -> ZipArchive.open(dir.resolve("missing.whl"))).reason());
    }

    @Test
    void readStartGivesAnEntrysFirstBytesWhateverItsMethodAndNamesTheEntryWhenItsDataIsBad() throws IOException {
        Random random = new Random(3);
        byte[] noise = new byte[100_000];
        random.nextBytes(noise);
        noise[0] = 0x7f;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            text.append("symbol_").append(random.nextInt(1000)).append(i % 7 == 0 ? '\n' : ' ');
        }
        Map<String, byte[]> deflated = new LinkedHashMap<>();
        deflated.put("pkg/noise.so", noise);
        deflated.put("pkg/text.txt", text.toString().getBytes(StandardCharsets.US_ASCII));
        deflated.put("pkg/two.bin", new byte[] {1, 2});
        Path wheel = dir.resolve("start.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(wheel))) {
            for (Map.Entry<String, byte[]> e : deflated.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
            ZipEntry stored = new ZipEntry("pkg/stored.bin");
            stored.setMethod(ZipEntry.STORED);
            stored.setSize(noise.length);
            CRC32 crc = new CRC32();
            crc.update(noise);
            stored.setCrc(crc.getValue());
            zip.putNextEntry(stored);
            zip.write(noise);
            zip.closeEntry();
        }
        deflated.put("pkg/stored.bin", noise);
        long textData;
        try (ZipArchive zip = ZipArchive.open(wheel)) {
            for (Map.Entry<String, byte[]> e : deflated.entrySet()) {
                ZipEntryInfo entry = zip.entry(e.getKey());
                for (int length : new int[] {1, 4, 5000, 200_000}) {
                    byte[] expected = Arrays.copyOf(e.getValue(), Math.min(length, e.getValue().length));
                    assertArrayEquals(expected, zip.readStart(entry, length), e.getKey() + ", " + length + " bytes");
                }
            }
            textData = zip.entry("pkg/text.txt").dataOffset();
        }
        byte[] bytes = Files.readAllBytes(wheel);
        bytes[(int) textData] = (byte) 0xff; // a final block of type 3, which deflate does not have
        Files.write(wheel, bytes);
        try (ZipArchive zip = ZipArchive.open(wheel)) {
            InvalidWheelException e = assertThrows(InvalidWheelException.class,
                    () -> zip.readStart(zip.entry("pkg/text.txt"), 4));
            assertTrue(e.getMessage().contains("pkg/text.txt") && e.getMessage().contains("corrupt deflate data"),
                    e.getMessage());
        }
    }
}
