package org.neuronsimulator.wheel.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native prefix inflater against the entries' real content: every prefix it returns must equal
 * the start of the data, whatever the block types (stored blocks of incompressible data, which
 * libdeflate cannot cut short, and Huffman blocks), and damaged data must be declined, not returned.
 */
class PrefixInflaterTest {

    @TempDir
    Path folder;

    @BeforeAll
    static void requireLibdeflate() {
        assumeTrue(LibdeflateTest.systemHasLibdeflate(), "no libdeflate binding was built or this machine has no libdeflate.so.0");
    }

    private static Map<String, byte[]> contents() {
        Random random = new Random(7);
        Map<String, byte[]> contents = new LinkedHashMap<>();
        byte[] noise = new byte[3 << 20];
        random.nextBytes(noise);
        contents.put("noise.bin", noise);
        byte[] text = new byte[5 << 20];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ("abcdefgh".charAt(random.nextInt(8)) + (i % 4096 == 0 ? 1 : 0));
        }
        contents.put("text.bin", text);
        byte[] mixed = new byte[2 << 20];
        for (int i = 0; i < mixed.length; i += 70_000) {
            byte[] part = new byte[Math.min(70_000, mixed.length - i)];
            if ((i / 70_000) % 2 == 0) {
                random.nextBytes(part);
            } else {
                Arrays.fill(part, (byte) i);
            }
            System.arraycopy(part, 0, mixed, i, part.length);
        }
        contents.put("mixed.bin", mixed);
        contents.put("tiny.bin", new byte[] {1, 2, 3});
        return contents;
    }

    private Path zip(Map<String, byte[]> contents) throws IOException {
        return WheelArchiveTest.zip(folder.resolve("test.zip"), contents);
    }

    @Test
    void everyPrefixIsTheStartOfTheContent() throws IOException {
        Map<String, byte[]> contents = contents();
        try (ZipArchive zip = ZipArchive.open(zip(contents)); PrefixInflater inflater = PrefixInflater.create().orElseThrow()) {
            for (ZipEntryInfo entry : zip.entries()) {
                byte[] expected = contents.get(entry.name());
                for (long length : new long[] {1, 4096, 65_536, 100_000, 1 << 20, expected.length - 1, expected.length,
                        expected.length + 10}) {
                    Optional<ByteBuffer> head = inflater.inflate(zip, entry, length);
                    assertTrue(head.isPresent(), entry.name() + " up to " + length);
                    ByteBuffer data = head.get();
                    assertTrue(data.limit() >= Math.min(length, expected.length), entry.name() + ": " + data.limit()
                            + " bytes for a prefix of " + length);
                    byte[] got = new byte[data.limit()];
                    data.get(0, got);
                    assertArrayEquals(Arrays.copyOf(expected, got.length), got, entry.name() + " up to " + length);
                }
            }
            assertTrue(inflater.inflated() > 0);
        }
    }

    @Test
    void damagedDataIsDeclinedForTheStreamingReaderToReport() throws IOException {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        contents.put("text.bin", contents().get("text.bin"));
        Path file = zip(contents);
        long dataOffset;
        long compressedSize;
        try (ZipArchive zip = ZipArchive.open(file)) {
            dataOffset = zip.entries().get(0).dataOffset();
            compressedSize = zip.entries().get(0).compressedSize();
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int i = (int) (dataOffset + compressedSize / 2); i < dataOffset + compressedSize / 2 + 64; i++) {
            bytes[i] = (byte) 0xFF;
        }
        Files.write(file, bytes);
        try (ZipArchive zip = ZipArchive.open(file); PrefixInflater inflater = PrefixInflater.create().orElseThrow()) {
            ZipEntryInfo entry = zip.entries().get(0);
            assertEquals(Optional.empty(), inflater.inflate(zip, entry, entry.size()));
        }
    }

    @Test
    void aPooledInflaterServesTheNextTakerUntilThePoolCloses() throws IOException {
        Map<String, byte[]> contents = contents();
        PrefixInflater first;
        PrefixInflater other;
        try (ZipArchive zip = ZipArchive.open(zip(contents)); PrefixInflaterPool pool = new PrefixInflaterPool()) {
            first = pool.take().orElseThrow();
            other = pool.take().orElseThrow(); // none idle: a second one
            ZipEntryInfo text = zip.entries().stream().filter(e -> e.name().equals("text.bin")).findFirst().orElseThrow();
            assertTrue(first.inflate(zip, text, 4 << 20).isPresent()); // its buffers grow to about 4 MB
            pool.give(other);
            pool.give(first);
            assertSame(first, pool.take().orElseThrow(), "the most recently returned inflater comes first");
            // kept buffers hold earlier output: a smaller head of another entry must still be that entry's
            ZipEntryInfo mixed = zip.entries().stream().filter(e -> e.name().equals("mixed.bin")).findFirst().orElseThrow();
            ByteBuffer head = first.inflate(zip, mixed, 100_000).orElseThrow();
            byte[] got = new byte[100_000];
            head.get(0, got);
            assertArrayEquals(Arrays.copyOf(contents.get("mixed.bin"), got.length), got);
            pool.give(first);
        }
        // closing the pool released the idle inflaters, and one handed back later is released at once
        assertThrows(IllegalStateException.class, () -> first.inflate(null, null, 1));
        assertThrows(IllegalStateException.class, () -> other.inflate(null, null, 1));
        PrefixInflaterPool closed = new PrefixInflaterPool();
        PrefixInflater late = closed.take().orElseThrow();
        closed.close();
        closed.give(late);
        assertThrows(IllegalStateException.class, () -> late.inflate(null, null, 1));
        assertThrows(IllegalStateException.class, closed::take);
    }
}
