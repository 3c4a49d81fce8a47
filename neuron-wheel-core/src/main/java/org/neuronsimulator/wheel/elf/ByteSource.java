package org.neuronsimulator.wheel.elf;

import java.io.Closeable;
import java.io.IOException;

/**
 * Random access to the bytes of one file, which may be backed by a stream that is only read as far
 * as needed. Reads past the end throw {@link java.io.EOFException}.
 */
public interface ByteSource extends Closeable {

    /** The file's size, or -1 when it is not known in advance. */
    long size();

    /** Fills {@code length} bytes from {@code offset}. */
    void read(long offset, byte[] target, int targetOffset, int length) throws IOException;

    /** How many bytes of the underlying file were actually read or inflated so far. */
    long bytesConsumed();

    /**
     * Hints that bytes below {@code limit} will be read again later (the tables at the start of an
     * object are read after the dynamic segment further on), so a stream should keep them.
     */
    default void retain(long limit) {
    }

    @Override
    default void close() throws IOException {
    }
}
