package org.neuronsimulator.wheel.archive;

/**
 * Compresses one block of a file so that the blocks of a file, compressed independently and joined
 * in order, form one deflate stream: every block but the last ends byte-aligned and non-final.
 * One instance per thread.
 */
interface BlockCompressor extends AutoCloseable {

    /** Largest output for {@code length} input bytes. */
    int bound(int length);

    /**
     * Compresses {@code raw[0, length)} into {@code out}, which holds at least {@link #bound(int)} bytes;
     * returns the compressed length. {@code dictionary}: the file's previous 32 KiB where the engine
     * {@link DeflateEngine#usesDictionary() uses one}, else null.
     */
    int compress(byte[] raw, int length, byte[] dictionary, boolean last, byte[] out);

    @Override
    void close();
}
