package org.neuronsimulator.wheel.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.ZipException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ISA-L streaming inflater against the JDK's deflater: same bytes, and clear errors for cut or damaged data. */
class IsalInflaterStreamTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void requireIsal() {
        assumeTrue(LibdeflateTest.systemHas(NativeBinding.resourceName("neuronwheelisal"), "libisal.so.2"),
                "no ISA-L binding was built or this machine has no libisal.so.2");
        assertTrue(IsalInflaterStream.usable(), "libisal is installed, so the binding must load");
    }

    private static byte[] deflate(byte[] data, int level) {
        Deflater deflater = new Deflater(level, true);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** Mixed content: text that compresses well, random runs that do not (stored blocks at level 0). */
    private static byte[] content(int length, long seed) {
        Random random = new Random(seed);
        byte[] data = new byte[length];
        byte[] text = "ELF tables, symbol names and version strings GLIBC_2.17 ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < length; ) {
            int run = Math.min(length - i, 1 + random.nextInt(40000));
            if (random.nextBoolean()) {
                for (int j = 0; j < run; j++) {
                    data[i + j] = text[(i + j) % text.length];
                }
            } else {
                byte[] noise = new byte[run];
                random.nextBytes(noise);
                System.arraycopy(noise, 0, data, i, run);
            }
            i += run;
        }
        return data;
    }

    /** The deflated bytes in a file after some leading bytes, as an entry's data lies in a zip. */
    private Path file(byte[] deflated, int before) throws IOException {
        byte[] all = new byte[before + deflated.length + 7];
        System.arraycopy(deflated, 0, all, before, deflated.length);
        Arrays.fill(all, before + deflated.length, all.length, (byte) 0x5a); // whatever follows the entry
        return Files.write(dir.resolve("data-" + before + "-" + deflated.length), all);
    }

    private byte[] inflate(byte[] deflated, long length, int before, int readSize) throws IOException {
        try (FileChannel channel = FileChannel.open(file(deflated, before));
             InputStream in = new IsalInflaterStream(channel, before, length)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[readSize];
            for (int n; (n = in.read(buffer, 0, buffer.length)) >= 0; ) {
                out.write(buffer, 0, n);
            }
            assertEquals(-1, in.read(), "the end stays the end");
            return out.toByteArray();
        }
    }

    @Test
    void inflatesWhatTheJdkDeflatedAtEveryLevelAndReadSize() throws IOException {
        for (int level : new int[] {0, 1, 6, 9}) {
            for (int length : new int[] {0, 1, 4095, 300_000, 3_000_000}) {
                byte[] data = content(length, 31L * level + length);
                byte[] deflated = deflate(data, level);
                for (int readSize : new int[] {1, 4, 65536, 1 << 20}) {
                    if (readSize == 1 && length > 300_000) {
                        continue;
                    }
                    assertArrayEquals(data, inflate(deflated, deflated.length, 13, readSize),
                            "level " + level + ", " + length + " bytes, reads of " + readSize);
                }
            }
        }
    }

    @Test
    void dataCutBeforeItsLastBlockIsAnEndOfFileError() throws IOException {
        byte[] deflated = deflate(content(500_000, 7), 6);
        EOFException e = assertThrows(EOFException.class, () -> inflate(deflated, deflated.length / 2, 0, 65536));
        assertTrue(e.getMessage().contains("before its last block"), e.getMessage());
    }

    @Test
    void damagedDataIsAZipExceptionNotACrash() throws IOException {
        byte[] deflated = deflate(content(200_000, 9), 6);
        deflated[0] = (byte) 0xff; // block type 3, which does not exist
        assertThrows(ZipException.class, () -> inflate(deflated, deflated.length, 0, 65536));
        Random random = new Random(5);
        int refused = 0;
        int agreed = 0;
        for (int i = 0; i < 200; i++) {
            byte[] damaged = deflate(content(20_000, i), 6);
            for (int j = 0; j < 4; j++) {
                damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
            }
            byte[] ours;
            try {
                ours = inflate(damaged, damaged.length, 0, 4096);
            } catch (ZipException | EOFException expected) {
                refused++;
                continue;
            }
            byte[] zlib = zlibInflate(damaged);
            if (zlib != null) { // where zlib takes the stream too, both make the same bytes
                assertArrayEquals(zlib, ours, "damaged stream " + i);
                agreed++;
            }
        }
        assertTrue(refused > 20 && agreed > 20, refused + " refused, " + agreed + " inflated as zlib does");
    }

    /** What zlib makes of a raw deflate stream; null where it refuses it or it does not end. */
    private static byte[] zlibInflate(byte[] deflated) {
        java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        inflater.setInput(deflated);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (java.util.zip.DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    @Test
    void aFileShorterThanTheEntrySaysWhereItEnds() throws IOException {
        byte[] deflated = deflate(content(100_000, 3), 6);
        Path file = file(deflated, 0);
        try (FileChannel channel = FileChannel.open(file);
             InputStream in = new IsalInflaterStream(channel, 0, deflated.length + 1000L)) {
            EOFException e = assertThrows(EOFException.class, () -> in.readAllBytes());
            assertTrue(e.getMessage().contains("the file ends at byte"), e.getMessage());
        }
    }
}
