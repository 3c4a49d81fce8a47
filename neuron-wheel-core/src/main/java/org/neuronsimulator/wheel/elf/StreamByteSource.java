package org.neuronsimulator.wheel.elf;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Random access over a stream that can only be read forwards (an inflating zip entry), inflating
 * each byte at most twice. Bytes that will be read again are kept: the head of the file (where ELF
 * headers and dynamic tables normally lie, see {@link #retain}) as the stream passes it, the first
 * {@link #MEMORY_LIMIT} bytes in memory and the rest in an unlinked temporary file. A region further
 * on is reached by skipping forwards without keeping it. The first read behind the stream's position
 * that was not kept opens the stream once more and from then on keeps every byte it inflates, so a
 * crafted object whose tables point back and forth costs one more pass over the entry, never one per
 * read (reopening for each backward read made a 50 KB wheel take minutes). The stream is never read
 * further than the last byte asked for, rounded up to a 64 KiB chunk.
 */
public final class StreamByteSource implements ByteSource {

    /** Opens the stream from its first byte. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    private static final int CHUNK = 64 * 1024;
    /** How much of the head is kept when the reader gives no hint. */
    static final int MAX_PREFIX = 32 * 1024 * 1024;
    /** Kept bytes beyond this lie in the temporary file, so that memory stays bounded per reader. */
    static final int MEMORY_LIMIT = 4 * 1024 * 1024;

    private final Opener opener;
    private final long size;
    private InputStream in;
    private long streamPosition;
    private byte[] memory = new byte[0];
    /** Bytes {@code [0, kept)} of the file are kept (in memory, then in {@link #spill}). */
    private long kept;
    private FileChannel spill;
    private boolean keepAll;
    private long retainLimit = MAX_PREFIX;
    private long consumed;
    private int opens;
    private byte[] scratch;

    public StreamByteSource(Opener opener, long size) throws IOException {
        this.opener = opener;
        this.size = size;
        this.in = opener.open();
        this.opens = 1;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long bytesConsumed() {
        return consumed;
    }

    /** How many times the stream was opened: 1, or 2 after a backward read of bytes that were not kept. */
    int opens() {
        return opens;
    }

    @Override
    public void read(long offset, byte[] target, int targetOffset, int length) throws IOException {
        long end = offset + length;
        if (offset < 0 || length < 0 || end < offset || (size >= 0 && end > size)) {
            throw new EOFException("bytes " + offset + ".." + end + " lie beyond the end (" + size + ")");
        }
        if (end <= kept) {
            copyKept(offset, target, targetOffset, length);
            return;
        }
        boolean contiguous = kept == streamPosition;
        if (contiguous && (keepAll || end <= retainLimit)) {
            keep(end, keepAll ? Long.MAX_VALUE : retainLimit);
            copyKept(offset, target, targetOffset, length);
            return;
        }
        if (offset < streamPosition) {
            // Only reachable before keepAll is set: in that mode the stream never runs ahead of what is kept.
            keepAll = true;
            in.close();
            in = opener.open();
            opens++;
            streamPosition = 0;
            skipFully(kept);
            keep(end, Long.MAX_VALUE);
            copyKept(offset, target, targetOffset, length);
            return;
        }
        if (contiguous && kept < retainLimit) {
            // Keep the head that will be read again before moving past it.
            keep(Math.min(retainLimit, offset), retainLimit);
        }
        skipFully(offset - streamPosition);
        readFully(target, targetOffset, length);
    }

    @Override
    public void retain(long limit) {
        retainLimit = Math.max(kept, Math.min(limit, MAX_PREFIX));
    }

    /**
     * Reads the stream on from {@code kept == streamPosition} and keeps what it reads: at least up to
     * {@code end}, and on to the next chunk boundary when the data and {@code cap} allow.
     */
    private void keep(long end, long cap) throws IOException {
        long want = Math.max(end, Math.min(cap, roundUp(end)));
        if (size >= 0) {
            want = Math.min(want, size);
        }
        if (scratch == null) {
            scratch = new byte[CHUNK];
        }
        while (kept < want) {
            int n;
            if (kept < MEMORY_LIMIT) {
                int memoryEnd = (int) Math.min(want, MEMORY_LIMIT);
                if (memory.length < memoryEnd) {
                    memory = Arrays.copyOf(memory, Math.max(memoryEnd, Math.min(MEMORY_LIMIT, 2 * memory.length)));
                }
                n = in.read(memory, (int) kept, memoryEnd - (int) kept);
            } else {
                n = in.read(scratch, 0, (int) Math.min(scratch.length, want - kept));
                if (n > 0) {
                    writeSpill(kept - MEMORY_LIMIT, n);
                }
            }
            if (n < 0) {
                if (kept >= end) {
                    break;
                }
                throw new EOFException("the data ends at byte " + kept + ", before byte " + end);
            }
            kept += n;
            streamPosition += n;
            consumed += n;
        }
    }

    private void writeSpill(long position, int length) throws IOException {
        if (spill == null) {
            Path file = Files.createTempFile("neuron-wheel-entry", ".tmp");
            try {
                spill = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } finally {
                // unlinked at once: the open channel keeps the data, nothing stays behind after any exit
                Files.deleteIfExists(file);
            }
        }
        ByteBuffer buffer = ByteBuffer.wrap(scratch, 0, length);
        long at = position;
        while (buffer.hasRemaining()) {
            at += spill.write(buffer, at);
        }
    }

    private void copyKept(long offset, byte[] target, int targetOffset, int length) throws IOException {
        int done = 0;
        if (offset < MEMORY_LIMIT) {
            done = (int) Math.min(length, MEMORY_LIMIT - offset);
            System.arraycopy(memory, (int) offset, target, targetOffset, done);
        }
        if (done < length) {
            ByteBuffer buffer = ByteBuffer.wrap(target, targetOffset + done, length - done);
            long at = offset + done - MEMORY_LIMIT;
            while (buffer.hasRemaining()) {
                int n = spill.read(buffer, at);
                if (n < 0) {
                    throw new EOFException("the kept data ends at byte " + (at + MEMORY_LIMIT));
                }
                at += n;
            }
        }
    }

    private static long roundUp(long end) {
        return (end + CHUNK - 1) / CHUNK * CHUNK;
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
        try {
            in.close();
        } finally {
            if (spill != null) {
                spill.close();
            }
        }
    }
}
