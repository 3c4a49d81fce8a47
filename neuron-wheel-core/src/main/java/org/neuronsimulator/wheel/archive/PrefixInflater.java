package org.neuronsimulator.wheel.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Inflates the head of deflated zip entries in one native call (libdeflate), for readers that need
 * an entry's first part, not a stream: the audit reads each ELF object's headers and dynamic tables,
 * which end a long way into the file (440 MB of the 583 MB of the vtk 9.7.1 wheel's libraries).
 * libdeflate decodes about three times as fast as zlib, and the Java code around a stream no longer
 * runs interpreted beside the JIT compilers of a cold JVM. Not thread-safe: one per thread. Its
 * native buffers are kept from one entry to the next and released by {@link #close}.
 */
public final class PrefixInflater implements AutoCloseable {

    /** Bytes at the end of a truncated output that may be unfinished (one stored block and one match). */
    static final long UNFINISHED_TAIL = 65535 + 258;
    /**
     * Entries needing a larger head than this are left to the streaming reader, which keeps only the tables at
     * the start. The native buffer of each thread grows to the largest head it inflated, and on a virtual machine
     * a fresh page costs more to touch than to inflate into (about 3 ms per MB, where the streaming reader
     * inflates a MB in 1 ms): at 64 MiB, the audit of the vtk 9.7.1 wheel peaked at 270 MB and took about 0.15 s
     * longer than at 16 MiB (180 MB); a folder of 73 wheels peaked 95 MB higher at the same speed.
     */
    public static final long MAX_PREFIX = 16L << 20;

    private long handle;
    private ZipEntryInfo loaded;
    private ZipArchive loadedFrom;
    private long loadedInput;
    private long inflated;

    private PrefixInflater(long handle) {
        this.handle = handle;
    }

    /** A prefix inflater, or empty where the native libdeflate binding is not usable. */
    public static Optional<PrefixInflater> create() {
        if (!Libdeflate.available()) {
            return Optional.empty();
        }
        long handle = Libdeflate.allocateDecoder();
        return handle == 0 ? Optional.empty() : Optional.of(new PrefixInflater(handle));
    }

    /**
     * At least the first {@code length} bytes of a deflated entry (all of it when it is shorter),
     * valid until the next call or {@link #close}; empty when this inflater does not take the entry
     * (stored, or {@code length} above {@link #MAX_PREFIX}) or its data is not what its header says
     * (bad deflate data, another size, another CRC-32), which a streaming read then reports in full.
     */
    public Optional<ByteBuffer> inflate(ZipArchive zip, ZipEntryInfo entry, long length) throws IOException {
        if (handle == 0) {
            throw new IllegalStateException("closed");
        }
        if (entry.method() != ZipEntryInfo.DEFLATED || length > MAX_PREFIX || entry.compressedSize() > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        long whole = entry.size();
        long capacity = Math.min(whole, Math.max(length, 0) + UNFINISHED_TAIL);
        // Deflate grows no data by more than 5 bytes per 65535 (stored blocks): this much input yields the capacity.
        long input = Math.min(entry.compressedSize(), capacity + capacity / 8192 + (256 << 10));
        if (loaded != entry || loadedFrom != zip || loadedInput < input) {
            ByteBuffer buffer = Libdeflate.decoderInput(handle, input);
            if (buffer == null) {
                return Optional.empty();
            }
            loaded = null;
            zip.readRaw(entry, buffer);
            loaded = entry;
            loadedFrom = zip;
            loadedInput = input;
        }
        long produced = Libdeflate.decode(handle, loadedInput, capacity);
        inflated += capacity;
        if (produced == -3 && capacity < whole) {
            return Optional.of(output(capacity - UNFINISHED_TAIL));
        }
        if (produced != whole || capacity != whole) {
            return Optional.empty(); // bad data, too short or too long, out of memory
        }
        ByteBuffer all = output(whole);
        CRC32 crc = new CRC32();
        crc.update(all.duplicate());
        return crc.getValue() == entry.crc() ? Optional.of(all) : Optional.empty();
    }

    private ByteBuffer output(long length) {
        ByteBuffer output = Libdeflate.decoderOutput(handle, length);
        if (output == null) {
            throw new IllegalStateException("the native output is shorter than " + length + " bytes");
        }
        return output.asReadOnlyBuffer();
    }

    /** How many bytes this inflater has inflated so far. */
    public long inflated() {
        return inflated;
    }

    @Override
    public void close() {
        if (handle != 0) {
            Libdeflate.releaseDecoder(handle);
            handle = 0;
        }
    }
}
