package org.neuronsimulator.wheel.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamByteSourceTest {

    @Test
    void readsBackAndForthInflateTheDataAtMostTwice() throws IOException {
        byte[] bytes = new byte[StreamByteSource.MAX_PREFIX + 8 * 1024 * 1024];
        new Random(11).nextBytes(bytes);
        int[] opens = {0};
        Random random = new Random(5);
        try (StreamByteSource source = new StreamByteSource(() -> {
            opens[0]++;
            return new ByteArrayInputStream(bytes);
        }, bytes.length)) {
            source.retain(1024 * 1024);
            for (int i = 0; i < 2000; i++) {
                // alternate between the far end and places behind it, across the memory and file parts
                long offset = i % 2 == 0 ? bytes.length - 4096 - random.nextInt(4096)
                        : random.nextInt(bytes.length - 100_000);
                byte[] got = new byte[1 + random.nextInt(i % 2 == 0 ? 4096 : 70_000)];
                source.read(offset, got, 0, got.length);
                assertArrayEquals(Arrays.copyOfRange(bytes, (int) offset, (int) offset + got.length), got);
            }
            assertEquals(2, opens[0]);
            assertEquals(2, source.opens());
            assertTrue(source.bytesConsumed() <= 2L * bytes.length, "inflated " + source.bytesConsumed());
        }
    }
}
