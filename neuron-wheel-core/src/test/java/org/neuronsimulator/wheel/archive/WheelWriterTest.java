package org.neuronsimulator.wheel.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WheelWriterTest {

    static final String DIST_INFO = "demo_pkg-1.0.dist-info";

    @TempDir
    Path dir;

    /** A pure wheel with small, empty, executable, multi-block compressible and incompressible files. */
    static WheelContents demoContents() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 3_500_000; i++) {
            text.append("line ").append(i).append(" of a compressible text file, value ").append(i * 7 % 1000)
                    .append('\n');
        }
        byte[] random = new byte[2_500_000];
        new Random(42).nextBytes(random);
        WheelContents contents = new WheelContents();
        contents.put("demo_pkg/__init__.py", "VALUE = 42\n".getBytes(StandardCharsets.UTF_8));
        contents.put("demo_pkg/data.txt", text.toString().getBytes(StandardCharsets.UTF_8));
        contents.put("demo_pkg/blob.bin", random);
        contents.put("demo_pkg/empty.txt", new byte[0]);
        contents.put("demo_pkg/run.sh", EntrySource.of("#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8)),
                0100755);
        contents.put("demo_pkg/ünïcode.txt", "utf-8 name\n".getBytes(StandardCharsets.UTF_8));
        contents.put(DIST_INFO + "/METADATA", ("Metadata-Version: 2.1\nName: demo-pkg\nVersion: 1.0\n"
                + "Summary: test wheel\n").getBytes(StandardCharsets.UTF_8));
        contents.put(DIST_INFO + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
                + "Tag: py3-none-any\n").getBytes(StandardCharsets.UTF_8));
        return contents;
    }

    static Path writeDemo(Path folder, WheelWriter.Options options) throws IOException {
        return new WheelWriter(options).write(demoContents(), folder.resolve("demo_pkg-1.0-py3-none-any.whl"));
    }

    @Test
    void identicalInputsGiveIdenticalBytesWhateverTheThreadCount() throws IOException {
        WheelWriter.Options options = WheelWriter.Options.withSourceDateEpoch("1700000000");
        byte[] one = Files.readAllBytes(writeDemo(dir.resolve("a"), options.threads(1)));
        byte[] two = Files.readAllBytes(writeDemo(dir.resolve("b"), options.threads(4)));
        byte[] three = Files.readAllBytes(writeDemo(dir.resolve("c"), options.threads(2)));
        assertArrayEquals(one, two);
        assertArrayEquals(one, three);
        byte[] otherTime = Files.readAllBytes(writeDemo(dir.resolve("d"), options.sourceDateEpoch(1600000000)));
        assertNotEquals(one.length, 0);
        assertFalse(java.util.Arrays.equals(one, otherTime), "the timestamp must be part of the output");
    }

    /** A local header as Commons Compress's streaming reader sees it, and where the entry's data starts. */
    private record Local(ZipArchiveEntry header, long dataOffset) {
    }

    /** Walks the local headers from offset 0 in file order, with the sizes each local header declares. */
    private static List<Local> localHeaders(Path zip) throws IOException {
        List<Local> headers = new ArrayList<>();
        try (ZipArchiveInputStream in = new ZipArchiveInputStream(Files.newInputStream(zip))) {
            ZipArchiveEntry header;
            while ((header = in.getNextEntry()) != null) {
                headers.add(new Local(header, in.getBytesRead()));
            }
        }
        return headers;
    }

    private static List<ZipArchiveEntry> centralHeaders(Path zip) throws IOException {
        try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
            return Collections.list(file.getEntries());
        }
    }

    @Test
    void noEntryHasADataDescriptorAndLocalHeadersCarryTheRealSizes() throws IOException {
        Path zip = writeDemo(dir, WheelWriter.Options.defaults());
        List<Local> locals = localHeaders(zip);
        List<ZipArchiveEntry> centrals = centralHeaders(zip);
        assertEquals(9, locals.size());
        assertEquals(locals.size(), centrals.size());
        for (int i = 0; i < locals.size(); i++) {
            ZipArchiveEntry local = locals.get(i).header();
            ZipArchiveEntry central = centrals.get(i);
            assertFalse(local.getGeneralPurposeBit().usesDataDescriptor(), local.getName());
            assertFalse(central.getGeneralPurposeBit().usesDataDescriptor(), central.getName());
            assertEquals(central.getName(), local.getName());
            assertEquals(central.getCrc(), local.getCrc(), local.getName());
            assertEquals(central.getCompressedSize(), local.getCompressedSize(), local.getName());
            assertEquals(central.getSize(), local.getSize(), local.getName());
            assertEquals(central.getDataOffset(), locals.get(i).dataOffset(), local.getName());
        }
        // entries sorted, dist-info after the package, RECORD last; the random blob is stored
        List<String> names = locals.stream().map(l -> l.header().getName()).toList();
        assertEquals(List.of("demo_pkg/__init__.py", "demo_pkg/blob.bin", "demo_pkg/data.txt", "demo_pkg/empty.txt",
                "demo_pkg/run.sh", "demo_pkg/ünïcode.txt", DIST_INFO + "/METADATA", DIST_INFO + "/WHEEL",
                DIST_INFO + "/RECORD"), names);
        assertEquals(ZipEntryInfo.STORED, locals.get(1).header().getMethod());
        assertEquals(ZipEntryInfo.DEFLATED, locals.get(2).header().getMethod());
        assertTrue(locals.get(2).header().getCompressedSize() < locals.get(2).header().getSize() / 4);
        assertEquals(0100755, centrals.get(4).getExternalAttributes() >>> 16);
        assertEquals(0100644, centrals.get(0).getExternalAttributes() >>> 16);
    }

    @Test
    void bothDeflateEnginesAreDeterministicAndWriteTheSameContent() throws IOException {
        WheelWriter.Options options = WheelWriter.Options.withSourceDateEpoch("1700000001");
        List<DeflateEngine> engines = LibdeflateTest.systemHasLibdeflate()
                ? List.of(DeflateEngine.ZLIB, DeflateEngine.LIBDEFLATE) : List.of(DeflateEngine.ZLIB);
        byte[] previous = null;
        for (DeflateEngine engine : engines) {
            Path wheel = writeDemo(dir.resolve(engine + "-1"), options.deflateEngine(engine).threads(1));
            byte[] bytes = Files.readAllBytes(wheel);
            assertArrayEquals(bytes, Files.readAllBytes(
                    writeDemo(dir.resolve(engine + "-3"), options.deflateEngine(engine).threads(3))), engine.name());
            assertReadsBackAsWritten(wheel);
            if (previous != null) {
                assertFalse(java.util.Arrays.equals(previous, bytes), "the engines compress differently");
            }
            previous = bytes;
        }
    }

    @Test
    void streamingReaderAndOurReaderReadBackTheSameContentAndTimestamps() throws IOException {
        assertReadsBackAsWritten(writeDemo(dir, WheelWriter.Options.withSourceDateEpoch("1700000001")));
    }

    /** The DOS date and time fields of an entry (Commons Compress reads them as local time). */
    private static LocalDateTime dosFields(ZipArchiveEntry entry) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(entry.getTime()), ZoneId.systemDefault());
    }

    /** Every entry's content as read by Commons Compress's streaming reader, which follows the local headers. */
    private static java.util.Map<String, byte[]> streamed(Path wheel, java.util.Map<String, LocalDateTime> times)
            throws IOException {
        java.util.Map<String, byte[]> contents = new java.util.LinkedHashMap<>();
        try (ZipArchiveInputStream in = new ZipArchiveInputStream(Files.newInputStream(wheel))) {
            ZipArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                contents.put(entry.getName(), in.readAllBytes());
                times.put(entry.getName(), dosFields(entry));
            }
        }
        return contents;
    }

    private static void assertReadsBackAsWritten(Path wheel) throws IOException {
        WheelContents expected = demoContents();
        java.util.Map<String, LocalDateTime> times = new java.util.HashMap<>();
        java.util.Map<String, byte[]> streamed = streamed(wheel, times);
        try (ZipArchive archive = ZipArchive.open(wheel)) {
            for (WheelContents.Entry entry : expected.entries()) {
                byte[] want;
                try (InputStream in = entry.source().open()) {
                    want = in.readAllBytes();
                }
                assertArrayEquals(want, streamed.get(entry.name()), entry.name());
                try (InputStream in = archive.openEntry(entry.name())) {
                    assertArrayEquals(want, in.readAllBytes(), entry.name());
                }
                assertEquals(entry.mode(), archive.entry(entry.name()).unixMode());
                // 2023-11-14T22:13:21Z, DOS time has two-second steps
                assertEquals(LocalDateTime.of(2023, 11, 14, 22, 13, 20), times.get(entry.name()));
            }
            String record = new String(archive.openEntry(DIST_INFO + "/RECORD").readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(record.contains("demo_pkg/empty.txt,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\n"),
                    record);
            assertTrue(record.endsWith(DIST_INFO + "/RECORD,,\n"), record);
        }
    }

    @Test
    void timestampsBefore1980AreClampedAndUnsetMeansAFixedTime() throws IOException {
        Path early = writeDemo(dir.resolve("early"), WheelWriter.Options.defaults().sourceDateEpoch(0));
        Path unset = writeDemo(dir.resolve("unset"), WheelWriter.Options.defaults());
        assertEquals(LocalDateTime.of(1980, 1, 1, 0, 0), dosFields(centralHeaders(early).get(0)));
        assertArrayEquals(Files.readAllBytes(early), Files.readAllBytes(unset));
    }

    @Test
    void pythonZipfileAndWheelUnpackAcceptTheWheelAndPipInstallsIt() throws IOException {
        Path wheel = writeDemo(dir, WheelWriter.Options.withSourceDateEpoch("1700000000"));
        Path tools = TestPython.toolsVenv();
        String python = TestPython.python(tools).toString();
        TestPython.check(TestPython.run(dir, List.of(python, "-c",
                "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(len(z.namelist()))",
                wheel.toString())));
        Path unpacked = dir.resolve("unpacked");
        TestPython.check(TestPython.run(dir, List.of(python, "-m", "wheel", "unpack", "-d", unpacked.toString(),
                wheel.toString())));
        Path root = unpacked.resolve("demo_pkg-1.0");
        assertEquals("VALUE = 42\n", Files.readString(root.resolve("demo_pkg/__init__.py")));
        assertTrue(Files.isExecutable(root.resolve("demo_pkg/run.sh")));

        Path venv = TestPython.createVenv(dir.resolve("venv"));
        TestPython.check(TestPython.run(dir, List.of(TestPython.python(venv).toString(), "-m", "pip", "install",
                "-q", "--no-index", "--no-deps", "--disable-pip-version-check", wheel.toString())));
        String out = TestPython.check(TestPython.run(dir, List.of(TestPython.python(venv).toString(), "-c",
                "import demo_pkg, os; print('value', demo_pkg.VALUE);"
                        + "print('exec', os.access(os.path.join(os.path.dirname(demo_pkg.__file__), 'run.sh'), os.X_OK))")))
                .tailText();
        assertTrue(out.contains("value 42"), out);
        assertTrue(out.contains("exec True"), out);
    }

    @Test
    void aFailureWhileWritingLeavesNoTemporaryFileAndKeepsThePreviousWheel() throws IOException {
        Path out = dir.resolve("wheelhouse");
        Path target = writeDemo(out, WheelWriter.Options.defaults());
        byte[] before = Files.readAllBytes(target);
        WheelContents broken = demoContents();
        broken.put("demo_pkg/missing.txt", EntrySource.of(dir.resolve("does-not-exist.txt")));
        IOException error = assertThrows(IOException.class, () -> new WheelWriter().write(broken, target));
        assertTrue(error.getMessage().contains("does-not-exist.txt"), error.getMessage());
        try (var files = Files.list(out)) {
            assertEquals(List.of(target.getFileName()), files.map(Path::getFileName).toList());
        }
        assertArrayEquals(before, Files.readAllBytes(target));
    }

    @Test
    void corruptSourceDataFoundMidWriteLeavesNothingBehind() throws IOException {
        // a wheel whose largest entry is damaged in the middle of its compressed data
        Path good = writeDemo(dir.resolve("good"), WheelWriter.Options.defaults());
        byte[] bytes = Files.readAllBytes(good);
        try (ZipArchive zip = ZipArchive.open(good)) {
            ZipEntryInfo entry = zip.entry("demo_pkg/data.txt");
            int middle = (int) (entry.dataOffset() + entry.compressedSize() * 3 / 4);
            for (int i = 0; i < 64; i++) {
                bytes[middle + i] ^= (byte) 0xA5;
            }
        }
        Path damaged = dir.resolve("damaged/demo_pkg-1.0-py3-none-any.whl");
        Files.createDirectories(damaged.getParent());
        Files.write(damaged, bytes);
        Path out = dir.resolve("wheelhouse");
        try (ZipArchive zip = ZipArchive.open(damaged)) {
            WheelContents contents = WheelContents.of(zip);
            InvalidWheelException error = assertThrows(InvalidWheelException.class,
                    () -> new WheelWriter().write(contents, out.resolve("demo_pkg-1.0-py3-none-any.whl")));
            assertEquals(damaged, error.file());
            assertTrue(error.reason().startsWith("entry demo_pkg/data.txt: "), error.getMessage());
        }
        try (var files = Files.list(out)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void anEntryLargerThanTheMemoryBufferWaitsInATemporaryFileThatIsRemoved() throws IOException {
        // 48 MiB of random hex digits deflate to about half: more than the writer holds in memory, so
        // the compressed data goes through a temporary file beside the wheel
        byte[] large = new byte[48 << 20];
        Random random = new Random(3);
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) "0123456789abcdef".charAt(random.nextInt(16));
        }
        WheelContents contents = demoContents();
        contents.put("demo_pkg/large.txt", large);
        Path out = dir.resolve("wheelhouse");
        Path wheel = new WheelWriter().write(contents, out.resolve("demo_pkg-1.0-py3-none-any.whl"));
        try (var files = Files.list(out)) {
            assertEquals(List.of(wheel.getFileName()), files.map(Path::getFileName).toList());
        }
        try (WheelArchive archive = WheelArchive.open(wheel)) {
            assertArrayEquals(large, archive.openEntry("demo_pkg/large.txt").readAllBytes());
            assertEquals(ZipEntryInfo.DEFLATED, archive.zip().entry("demo_pkg/large.txt").method());
        }
        // damaged at its end, the entry fails after its data went to the temporary file: nothing is left
        byte[] bytes = Files.readAllBytes(wheel);
        try (ZipArchive zip = ZipArchive.open(wheel)) {
            ZipEntryInfo entry = zip.entry("demo_pkg/large.txt");
            for (int i = 64; i > 32; i--) {
                bytes[(int) (entry.dataOffset() + entry.compressedSize() - i)] ^= 0x5A;
            }
        }
        Path damaged = Files.write(dir.resolve("damaged.whl"), bytes);
        Path again = dir.resolve("again");
        try (ZipArchive zip = ZipArchive.open(damaged)) {
            InvalidWheelException error = assertThrows(InvalidWheelException.class,
                    () -> new WheelWriter().write(WheelContents.of(zip), again.resolve("demo_pkg-1.0-py3-none-any.whl")));
            assertTrue(error.reason().startsWith("entry demo_pkg/large.txt: "), error.getMessage());
        }
        try (var files = Files.list(again)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void contentsWithoutOneDistInfoDirectoryAreRefused() throws IOException {
        WheelContents contents = demoContents();
        contents.put("other-2.0.dist-info/METADATA", new byte[] {'x'});
        Path target = dir.resolve("out/demo_pkg-1.0-py3-none-any.whl");
        InvalidWheelException error = assertThrows(InvalidWheelException.class,
                () -> new WheelWriter().write(contents, target));
        assertTrue(error.getMessage().contains("2 .dist-info directories"), error.getMessage());
        assertFalse(Files.exists(WheelWriter.temporaryFile(target)));
    }

    @Test
    void manyEntriesUseZip64EndRecordsThatReadersAccept() throws IOException {
        WheelContents contents = new WheelContents();
        for (int i = 0; i < 70_000; i++) {
            contents.put("many/f" + i + ".txt", ("file " + i).getBytes(StandardCharsets.UTF_8));
        }
        contents.put("many-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: many\nVersion: 1.0\n"
                .getBytes(StandardCharsets.UTF_8));
        Path wheel = new WheelWriter().write(contents, dir.resolve("many-1.0-py3-none-any.whl"));
        try (ZipArchive archive = ZipArchive.open(wheel)) {
            assertEquals(70_002, archive.entries().size());
            assertEquals("file 69999", new String(archive.openEntry("many/f69999.txt").readAllBytes(),
                    StandardCharsets.UTF_8));
        }
        assertEquals(70_002, streamed(wheel, new java.util.HashMap<>()).size());
        Path python = TestPython.python(TestPython.toolsVenv());
        TestPython.check(TestPython.run(dir, List.of(python.toString(), "-c",
                "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert len(z.namelist())==70002; "
                        + "assert z.read('many/f12345.txt')==b'file 12345'", wheel.toString())));
    }
}
