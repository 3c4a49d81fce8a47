package org.neuronsimulator.wheel.archive;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The native binding to the system's libdeflate ({@code src/main/c/wheel_deflate.c}), built into the
 * jar for the platforms the project was built on. Loading never fails loudly: where the binding is
 * missing for this platform or {@code libdeflate.so.0} is not installed, {@link #available()} is
 * false and {@link #unavailableReason()} says why. The system property {@code neuron.libdeflate}
 * names another build of {@code libdeflate.so.0} (same soname) to load instead of the system's.
 */
final class Libdeflate {

    private static final String BINDING = "neuronwheeldeflate";
    private static final String UNAVAILABLE = load();

    private Libdeflate() {
    }

    static boolean available() {
        return UNAVAILABLE == null;
    }

    /** Why the binding could not be used; null when it can. */
    static String unavailableReason() {
        return UNAVAILABLE;
    }

    /** Where the jar holds the binding for this platform. */
    static String resourceName() {
        return NativeBinding.resourceName(BINDING);
    }

    private static String load() {
        String library = System.getProperty("neuron.libdeflate");
        try {
            if (library != null && !library.isBlank()) {
                // loaded first, its soname satisfies the binding's dependency on libdeflate.so.0
                System.load(Path.of(library.strip()).toAbsolutePath().toString());
            }
        } catch (UnsatisfiedLinkError | SecurityException e) {
            return "native binding did not load: " + e.getMessage();
        }
        String failure = NativeBinding.load(Libdeflate.class, BINDING);
        if (failure != null) {
            return failure;
        }
        long probe = allocate(6);
        if (probe == 0) {
            return "libdeflate could not allocate a compressor";
        }
        release(probe);
        return null;
    }

    private static native long allocate(int level);

    private static native void release(long handle);

    private static native int bound(long handle, int length);

    private static native int compress(long handle, byte[] in, int length, byte[] out, boolean last);

    static native long allocateDecoder();

    static native void releaseDecoder(long handle);

    /** A direct buffer over the decoder's input, grown to {@code length} bytes; null when out of memory. */
    static native ByteBuffer decoderInput(long handle, long length);

    /**
     * Decodes {@code inLength} input bytes into an output of {@code outLength} bytes: the output size
     * when the data ended within it, -3 when it goes on (all but the last 65535 + 258 bytes are then
     * final), -1 for bad data, -4 when out of memory.
     */
    static native long decode(long handle, long inLength, long outLength);

    /** A direct buffer over the first {@code length} bytes of the decoder's output. */
    static native ByteBuffer decoderOutput(long handle, long length);

    /** One libdeflate compressor; blocks stand alone (libdeflate takes no dictionary). */
    static final class Compressor implements BlockCompressor {
        private final int level;
        /** 0 when this libdeflate lacks the level (level 0 came in 1.7). */
        private long handle;
        private ZlibCompressor zlib;

        Compressor(int level) {
            if (!available()) {
                throw new IllegalStateException("libdeflate is not usable here: " + UNAVAILABLE);
            }
            this.level = level;
            handle = allocate(level);
        }

        @Override
        public int bound(int length) {
            return handle == 0 ? ZlibCompressor.worstCase(length)
                    : Math.max(Libdeflate.bound(handle, length), ZlibCompressor.worstCase(length));
        }

        @Override
        public int compress(byte[] raw, int length, byte[] dictionary, boolean last, byte[] out) {
            if (handle != 0) {
                int written = Libdeflate.compress(handle, raw, length, out, last);
                switch (written) {
                    case -1 -> throw new IllegalStateException("libdeflate output exceeded its bound of " + out.length + " bytes");
                    case -2 -> throw new IllegalStateException("out of native memory for libdeflate");
                    case -3 -> { } // a stream the binding cannot join, which a correct libdeflate never gives
                    case -4 -> throw new IllegalStateException("bad block length " + length + " for a buffer of "
                            + raw.length + " bytes");
                    default -> {
                        return written;
                    }
                }
            }
            // blocks stand alone here, so a zlib block without dictionary joins just as well
            if (zlib == null) {
                zlib = new ZlibCompressor(level);
            }
            return zlib.compress(raw, length, null, last, out);
        }

        @Override
        public void close() {
            if (handle != 0) {
                release(handle);
                handle = 0;
            }
            if (zlib != null) {
                zlib.close();
            }
        }
    }
}
