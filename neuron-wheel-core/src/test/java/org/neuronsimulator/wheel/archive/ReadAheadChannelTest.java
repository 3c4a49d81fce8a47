package org.neuronsimulator.wheel.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadAheadChannelTest {

    @TempDir
    Path dir;

    @Test
    void readsWhatTheFileHoldsAtAnyPositionAndLength() throws IOException {
        Random random = new Random(11);
        byte[] data = new byte[300_000];
        random.nextBytes(data);
        Path file = Files.write(dir.resolve("data"), data);
        try (FileChannel channel = FileChannel.open(file); ReadAheadChannel view = new ReadAheadChannel(channel)) {
            assertEquals(data.length, view.size());
            for (int i = 0; i < 2000; i++) {
                int position = random.nextInt(data.length + 10);
                int length = random.nextInt(4) == 0 ? 70_000 + random.nextInt(100_000) : random.nextInt(200);
                view.position(position);
                ByteBuffer target = ByteBuffer.allocate(length);
                int n = view.read(target);
                if (position >= data.length) {
                    assertEquals(length == 0 ? 0 : -1, n, "at " + position);
                    continue;
                }
                int expected = Math.min(length, data.length - position);
                // a read may stop at the window's end; the bytes it gives are the file's
                byte[] got = Arrays.copyOf(target.array(), Math.max(n, 0));
                assertArrayEquals(Arrays.copyOfRange(data, position, position + got.length), got, "at " + position);
                assertEquals(position + got.length, view.position());
                assertEquals(expected > 0, n > 0);
            }
            // positional reads of others leave its position alone
            view.position(1234);
            channel.read(ByteBuffer.allocate(10), 99_000);
            assertEquals(1234, view.position());
        }
    }

    @Test
    void closingItClosesTheFileAndLaterReadsFail() throws IOException {
        Path file = Files.write(dir.resolve("small"), new byte[] {1, 2, 3});
        FileChannel channel = FileChannel.open(file);
        ReadAheadChannel view = new ReadAheadChannel(channel);
        view.close();
        assertFalse(channel.isOpen());
        assertThrows(ClosedChannelException.class, () -> view.read(ByteBuffer.allocate(1)));
    }
}
