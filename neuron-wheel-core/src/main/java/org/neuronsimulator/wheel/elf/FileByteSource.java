package org.neuronsimulator.wheel.elf;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Positional reads from a file on disk. */
public final class FileByteSource implements ByteSource {

    private final FileChannel channel;
    private final long size;
    private long consumed;

    public FileByteSource(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.size = channel.size();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void read(long offset, byte[] target, int targetOffset, int length) throws IOException {
        if (offset < 0 || offset + length > size) {
            throw new EOFException("bytes " + offset + ".." + (offset + length) + " lie beyond the end (" + size + ")");
        }
        ByteBuffer buffer = ByteBuffer.wrap(target, targetOffset, length);
        long position = offset;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new EOFException("file ended at " + position);
            }
            position += n;
        }
        consumed += length;
    }

    @Override
    public long bytesConsumed() {
        return consumed;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
