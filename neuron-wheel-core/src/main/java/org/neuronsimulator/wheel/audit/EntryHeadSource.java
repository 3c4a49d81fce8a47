package org.neuronsimulator.wheel.audit;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.neuronsimulator.wheel.archive.PrefixInflater;
import org.neuronsimulator.wheel.archive.ZipArchive;
import org.neuronsimulator.wheel.archive.ZipEntryInfo;
import org.neuronsimulator.wheel.elf.ByteSource;

/**
 * Random access to the head of a deflated wheel entry, inflated natively as far as the reads reach.
 * A read past the inflated head inflates again from the start, at least twice as far, so that an
 * object whose tables lie far apart costs a few passes, not one per read. Where the prefix inflater
 * declines (a head larger than its cap, damaged data), reads go to the streaming source, whose
 * errors say what is wrong.
 */
final class EntryHeadSource implements ByteSource {

    /**
     * The first inflation: the ELF header and program headers of real objects, or a non-ELF file's
     * magic. An entry up to {@link #SMALL} bytes is inflated whole at once: its dynamic segment lies
     * near its end, and a second pass from the start would cost more than the bytes saved.
     */
    private static final long FIRST_HEAD = 64 * 1024;
    private static final long SMALL = 1 << 20;

    private final PrefixInflater inflater;
    private final ZipArchive zip;
    private final ZipEntryInfo entry;
    private final StreamOpener fallback;
    private ByteBuffer head = ByteBuffer.allocate(0);
    private ByteSource stream;
    private long retained = -1;
    private long consumed;

    /** Makes the streaming source that takes over when the prefix inflater declines. */
    @FunctionalInterface
    interface StreamOpener {
        ByteSource open() throws IOException;
    }

    EntryHeadSource(PrefixInflater inflater, ZipArchive zip, ZipEntryInfo entry, StreamOpener fallback) {
        this.inflater = inflater;
        this.zip = zip;
        this.entry = entry;
        this.fallback = fallback;
    }

    @Override
    public long size() {
        return entry.size();
    }

    @Override
    public void read(long offset, byte[] target, int targetOffset, int length) throws IOException {
        long end = offset + length;
        if (offset < 0 || length < 0 || end < offset || end > entry.size()) {
            throw new EOFException("bytes " + offset + ".." + end + " lie beyond the end (" + entry.size() + ")");
        }
        if (stream == null && end > head.limit()) {
            long before = inflater.inflated();
            long first = entry.size() <= SMALL ? entry.size() : FIRST_HEAD;
            // A read in the last quarter inflates all: patchelf moves the dynamic tables to a segment at the end.
            long reach = end >= entry.size() - entry.size() / 4 ? entry.size() : Math.max(end, Math.max(first, 2L * head.limit()));
            Optional<ByteBuffer> inflated = inflater.inflate(zip, entry, reach);
            consumed += inflater.inflated() - before;
            if (inflated.isPresent()) {
                head = inflated.get();
            } else {
                stream = fallback.open();
                if (retained >= 0) {
                    stream.retain(retained);
                }
            }
        }
        if (stream != null) {
            stream.read(offset, target, targetOffset, length);
            return;
        }
        head.get((int) offset, target, targetOffset, length);
    }

    @Override
    public long bytesConsumed() {
        return consumed + (stream == null ? 0 : stream.bytesConsumed());
    }

    @Override
    public void retain(long limit) {
        retained = limit;
        if (stream != null) {
            stream.retain(limit);
        }
    }

    @Override
    public void close() throws IOException {
        if (stream != null) {
            stream.close();
        }
    }
}
