package org.neuronsimulator.wheel.archive;

import java.util.zip.Deflater;

/** Block compression with the JDK's zlib: each block primed with the previous 32 KiB and ended with a sync flush. */
final class ZlibCompressor implements BlockCompressor {

    private final Deflater deflater;

    ZlibCompressor(int level) {
        this.deflater = new Deflater(level, true);
    }

    @Override
    public int bound(int length) {
        return worstCase(length);
    }

    /** Well above zlib's worst case: stored blocks of at least 16 KiB, 5 header bytes each, plus the flush marker. */
    static int worstCase(int length) {
        return length + (length >> 6) + 64;
    }

    @Override
    public int compress(byte[] raw, int length, byte[] dictionary, boolean last, byte[] out) {
        deflater.reset();
        if (dictionary != null) {
            deflater.setDictionary(dictionary);
        }
        deflater.setInput(raw, 0, length);
        if (last) {
            deflater.finish();
        }
        int written = 0;
        while (true) {
            if (written == out.length) {
                throw new IllegalStateException("deflate output exceeded its bound of " + out.length + " bytes");
            }
            written += deflater.deflate(out, written, out.length - written, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
            if (last ? deflater.finished() : (written < out.length && deflater.needsInput())) {
                return written;
            }
        }
    }

    @Override
    public void close() {
        deflater.end();
    }
}
