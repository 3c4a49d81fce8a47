package org.neuronsimulator.wheel.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.ZipException;

/**
 * Raw deflate data of a zip entry inflated by Intel's ISA-L through its binding
 * ({@code src/main/c/wheel_isal.c}), about 2.5 times as fast as zlib. The compressed bytes are read
 * from the archive's channel with positional reads, so streams of one archive may run on several
 * threads. Its native state (about 400 KB) is freed on close. Use {@link #usable()} first: where
 * the binding or {@code libisal.so.2} is missing, entries stream through zlib.
 */
final class IsalInflaterStream extends InputStream {

    private static final String UNAVAILABLE = NativeBinding.load(IsalInflaterStream.class, "neuronwheelisal");

    private final FileChannel channel;
    private final long end;
    private long position;
    private long handle;
    private final ByteBuffer input;
    private boolean finished;
    /** The next read's size: small at first, since many readers want only an entry's first bytes. */
    private int step = 4096;

    /** Inflates the {@code length} deflated bytes that start at {@code start} in {@code channel}. */
    IsalInflaterStream(FileChannel channel, long start, long length) throws IOException {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException("ISA-L is not usable here: " + UNAVAILABLE);
        }
        handle = allocate();
        if (handle == 0) {
            throw new IOException("out of native memory for an ISA-L inflater");
        }
        this.channel = channel;
        this.position = start;
        this.end = start + length;
        this.input = input(handle);
    }

    /** Whether the binding loaded (and with it libisal.so.2). */
    static boolean usable() {
        return UNAVAILABLE == null;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (handle == 0) {
            throw new IOException("stream closed");
        }
        if ((offset | length) < 0 || length > target.length - offset) {
            throw new IndexOutOfBoundsException();
        }
        if (length == 0) {
            return 0;
        }
        if (finished) {
            return -1;
        }
        int fresh = 0;
        int before = -1;
        while (true) {
            int produced = inflate(handle, fresh, target, offset, length);
            if (produced > 0) {
                return produced;
            }
            if (produced == -1) {
                finished = true;
                return -1;
            }
            if (produced == -2) {
                throw new ZipException("invalid deflate data");
            }
            int remaining = remainingInput(handle);
            if (remaining > 0) {
                if (remaining == before) {
                    throw new ZipException("invalid deflate data: the inflater stopped before the end of its input");
                }
                before = remaining;
                fresh = 0;
                continue;
            }
            fresh = fill();
            before = -1;
            if (fresh == 0) {
                throw new EOFException("the deflate data ends before its last block");
            }
        }
    }

    /** Reads the next compressed bytes into the input buffer; how many (0 at the end of the entry). */
    private int fill() throws IOException {
        input.clear();
        input.limit((int) Math.min(step, end - position));
        step = Math.min(input.capacity(), step * 4);
        while (input.hasRemaining()) {
            int n = channel.read(input, position + input.position());
            if (n < 0) {
                throw new EOFException("the file ends at byte " + (position + input.position())
                        + ", before the end of the entry's data at byte " + end);
            }
        }
        position += input.position();
        return input.position();
    }

    @Override
    public void close() {
        if (handle != 0) {
            release(handle);
            handle = 0;
        }
    }

    private static native long allocate();

    private static native void release(long handle);

    private static native ByteBuffer input(long handle);

    private static native int inflate(long handle, int fresh, byte[] target, int offset, int length);

    private static native int remainingInput(long handle);
}
