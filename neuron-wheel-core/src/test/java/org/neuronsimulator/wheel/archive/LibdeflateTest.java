package org.neuronsimulator.wheel.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native libdeflate binding against the JDK's inflater: blocks compressed on their own and
 * joined must inflate to the original whatever the content, block sizes and level.
 */
class LibdeflateTest {

    /** True where the build put the binding into the classes and the system has libdeflate.so.0, so it must load. */
    static boolean systemHasLibdeflate() {
        return systemHas(Libdeflate.resourceName(), "libdeflate.so.0");
    }

    /** True where the build put the binding {@code resource} into the classes and the system has {@code soname}. */
    static boolean systemHas(String resource, String soname) {
        if (!System.getProperty("os.name").equals("Linux")
                || LibdeflateTest.class.getClassLoader().getResource(resource) == null) {
            return false;
        }
        for (String ldconfig : new String[] {"ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig"}) {
            try {
                Process process = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
                String cache = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.waitFor() == 0) {
                    return cache.contains(soname);
                }
            } catch (IOException e) {
                // not on this path; try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @BeforeAll
    static void requireLibdeflate() {
        assumeTrue(systemHasLibdeflate(), "no libdeflate binding was built or this machine has no libdeflate.so.0");
        assertNull(Libdeflate.unavailableReason(), "libdeflate is installed, so the binding must load");
    }

    private static byte[] inflate(byte[] stream, int length, int expected) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        inflater.setInput(stream, 0, length);
        byte[] out = new byte[expected + 1];
        int n = 0;
        while (!inflater.finished() && n < out.length) {
            int got = inflater.inflate(out, n, out.length - n);
            if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                break;
            }
            n += got;
        }
        assertTrue(inflater.finished(), "the joined stream must end with a final block");
        assertEquals(0, inflater.getRemaining(), "nothing may follow the final block");
        inflater.end();
        return java.util.Arrays.copyOf(out, n);
    }

    /** Compresses the data in blocks of the given sizes and joins them. */
    private static byte[] joined(byte[] data, int level, Random random, int maxBlock) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        try (BlockCompressor compressor = DeflateEngine.LIBDEFLATE.newCompressor(level)) {
            int offset = 0;
            do {
                int length = Math.min(data.length - offset, 1 + random.nextInt(maxBlock));
                byte[] block = java.util.Arrays.copyOfRange(data, offset, offset + length);
                offset += length;
                byte[] out = new byte[compressor.bound(length)];
                int n = compressor.compress(block, length, null, offset == data.length, out);
                stream.write(out, 0, n);
            } while (offset < data.length);
        }
        return stream.toByteArray();
    }

    static byte[] content(String kind, int size, Random random) {
        byte[] data = new byte[size];
        switch (kind) {
            case "random" -> random.nextBytes(data);
            case "zeros" -> { }
            case "text" -> {
                StringBuilder text = new StringBuilder();
                while (text.length() < size) {
                    text.append("def f").append(random.nextInt(500)).append("(x):\n    return x * ")
                            .append(random.nextInt(100)).append('\n');
                }
                data = text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
            }
            default -> {
                // library-like: zero runs, random code, repeated tables
                int i = 0;
                while (i < size) {
                    int run = Math.min(size - i, 1 + random.nextInt(5000));
                    int what = random.nextInt(3);
                    for (int k = 0; k < run; k++) {
                        data[i + k] = what == 0 ? 0 : what == 1 ? (byte) random.nextInt() : (byte) (k % 251);
                    }
                    i += run;
                }
            }
        }
        return data;
    }

    @Test
    void joinedBlocksInflateToTheOriginalForEveryKindOfContentAndLevel() throws DataFormatException {
        Random random = new Random(7);
        int cases = 0;
        for (String kind : new String[] {"text", "random", "zeros", "mixed"}) {
            for (int level : new int[] {0, 1, 6, 9}) {
                for (int size : new int[] {1, 2, 100, 70_000, 1_300_000}) {
                    byte[] data = content(kind, size, random);
                    for (int maxBlock : new int[] {1 << 20, 65_536, 777}) {
                        if (size / maxBlock > 2000) {
                            continue;
                        }
                        byte[] stream = joined(data, level, random, maxBlock);
                        assertArrayEquals(data, inflate(stream, stream.length, data.length),
                                kind + " " + size + " bytes, level " + level + ", blocks up to " + maxBlock);
                        cases++;
                    }
                }
            }
        }
        assertTrue(cases > 150, "cases: " + cases);
    }

    @Test
    void aSingleLastBlockIsAPlainCompleteStreamCloseToZlibsSize() throws DataFormatException {
        byte[] data = content("text", 1 << 20, new Random(1));
        try (BlockCompressor fast = DeflateEngine.LIBDEFLATE.newCompressor(6);
                BlockCompressor zlib = DeflateEngine.ZLIB.newCompressor(6)) {
            byte[] out = new byte[fast.bound(data.length)];
            int n = fast.compress(data, data.length, null, true, out);
            assertArrayEquals(data, inflate(out, n, data.length));
            byte[] zout = new byte[zlib.bound(data.length)];
            int zn = zlib.compress(data, data.length, null, true, zout);
            // the ratio depends on the content (better than zlib on the benchmark's tree), never far off
            assertTrue(n <= zn * 1.10, "libdeflate " + n + " bytes, zlib " + zn + " bytes");
        }
    }

    /** Run in a separate JVM by the fallback test: the binding loads once per class loader. */
    public static void main(String[] args) throws IOException {
        System.out.println("describe=" + DeflateEngine.AUTO.describe());
        System.out.println("resolved=" + DeflateEngine.AUTO.resolve());
        new WheelWriter(WheelWriter.Options.withSourceDateEpoch("1700000000"))
                .write(WheelWriterTest.demoContents(), java.nio.file.Path.of(args[0]));
        try {
            DeflateEngine.LIBDEFLATE.resolve();
            System.out.println("libdeflate-error=none");
        } catch (IllegalArgumentException e) {
            System.out.println("libdeflate-error=" + e.getMessage());
        }
    }

    @Test
    void withoutLibdeflateTheWriterFallsBackToZlibAndSaysWhy(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path wheel = dir.resolve("demo_pkg-1.0-py3-none-any.whl");
        String missing = dir.resolve("no-such-libdeflate.so.0").toString();
        Process probe = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dneuron.libdeflate=" + missing, "-cp", System.getProperty("java.class.path"),
                LibdeflateTest.class.getName(), wheel.toString()).redirectErrorStream(true).start();
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, probe.waitFor(), out);
        assertTrue(out.contains("describe=zlib (native binding did not load: ") && out.contains(missing), out);
        assertTrue(out.contains("resolved=ZLIB"), out);
        assertTrue(out.contains("libdeflate-error=libdeflate is not usable here: ") && out.contains(missing), out);
        // the zlib-written wheel is the one this JVM writes with zlib, byte for byte
        java.nio.file.Path zlib = new WheelWriter(WheelWriter.Options.withSourceDateEpoch("1700000000")
                .deflateEngine(DeflateEngine.ZLIB)).write(WheelWriterTest.demoContents(), dir.resolve("zlib")
                        .resolve(wheel.getFileName()));
        assertArrayEquals(java.nio.file.Files.readAllBytes(zlib), java.nio.file.Files.readAllBytes(wheel));
    }

    @Test
    void engineNamesParseAndAnUnknownOneIsRefusedWithTheChoices() {
        assertEquals(DeflateEngine.LIBDEFLATE, DeflateEngine.parse(" LibDeflate "));
        assertEquals(DeflateEngine.LIBDEFLATE, DeflateEngine.AUTO.resolve());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeflateEngine.parse("gzip"));
        assertTrue(e.getMessage().contains("'gzip'") && e.getMessage().contains("auto, libdeflate or zlib"),
                e.getMessage());
    }
}
