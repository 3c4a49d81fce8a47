package org.neuronsimulator.wheel.elf;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Random access over a stream that can only be read forwards (an inflating zip entry). The start of
 * the file is kept in a growing buffer, because ELF headers, the dynamic segment and the dynamic
 * symbol tables normally lie there; a region further away is reached by skipping forwards, and a
 * region behind the stream's position by opening the stream again. The stream is never read further
 * than the last byte asked for.
 */
public final class StreamByteSource implements ByteSource {

    /** Opens the stream from its first byte. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    private static final int CHUNK = 64 * 1024;
    static final int MAX_PREFIX = 32 * 1024 * 1024;

    private final Opener opener;
    private final long size;
    private InputStream in;
    private long streamPosition;
    private byte[] prefix = new byte[0];
    private int prefixLength;
    private boolean prefixContiguous = true;
    private long retainLimit = MAX_PREFIX;
    private long consumed;
    private byte[] scratch;

    public StreamByteSource(Opener opener, long size) throws IOException {
        this.opener = opener;
        this.size = size;
        this.in = opener.open();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long bytesConsumed() {
        return consumed;
    }

    @Override
    public void read(long offset, byte[] target, int targetOffset, int length) throws IOException {
        long end = offset + length;
        if (offset < 0 || length < 0 || end < offset || (size >= 0 && end > size)) {
            throw new EOFException("bytes " + offset + ".." + end + " lie beyond the end (" + size + ")");
        }
        if (end <= prefixLength) {
            System.arraycopy(prefix, (int) offset, target, targetOffset, length);
            return;
        }
        if (prefixContiguous && end <= retainLimit) {
            fillPrefix((int) end);
            System.arraycopy(prefix, (int) offset, target, targetOffset, length);
            return;
        }
        if (prefixContiguous && streamPosition == prefixLength && prefixLength < retainLimit) {
            // Keep the head that will be read again before moving past it.
            fillPrefix((int) Math.min(retainLimit, offset));
        }
        prefixContiguous = false;
        if (offset < streamPosition) {
            in.close();
            in = opener.open();
            streamPosition = 0;
        }
        skipFully(offset - streamPosition);
        readFully(target, targetOffset, length);
    }

    @Override
    public void retain(long limit) {
        retainLimit = Math.max(prefixLength, Math.min(limit, MAX_PREFIX));
    }

    private void fillPrefix(int end) throws IOException {
        int want = Math.max(end, (int) Math.min(retainLimit, roundUp(end)));
        if (size >= 0) {
            want = (int) Math.min(want, size);
        }
        if (prefix.length < want) {
            prefix = Arrays.copyOf(prefix, want);
        }
        while (prefixLength < want) {
            int n = in.read(prefix, prefixLength, want - prefixLength);
            if (n < 0) {
                if (prefixLength >= end) {
                    break;
                }
                throw new EOFException("the data ends at byte " + prefixLength + ", before byte " + end);
            }
            prefixLength += n;
            streamPosition += n;
            consumed += n;
        }
    }

    private static int roundUp(int end) {
        long rounded = ((long) end + CHUNK - 1) / CHUNK * CHUNK;
        return (int) Math.min(rounded, Integer.MAX_VALUE);
    }

    private void skipFully(long count) throws IOException {
        // Reading into a large buffer: InflaterInputStream.skip inflates in 512-byte steps.
        long left = count;
        if (scratch == null && left > 0) {
            scratch = new byte[CHUNK];
        }
        while (left > 0) {
            int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (r < 0) {
                throw new EOFException("the data ends at byte " + (streamPosition + count - left));
            }
            left -= r;
        }
        streamPosition += count;
        consumed += count;
    }

    private void readFully(byte[] target, int targetOffset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(target, targetOffset + done, length - done);
            if (n < 0) {
                throw new EOFException("the data ends at byte " + (streamPosition + done));
            }
            done += n;
        }
        streamPosition += length;
        consumed += length;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
