package org.neuronsimulator.wheel.archive;

import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * Which deflate implementation compresses wheel entries. Both write standard deflate streams that
 * every unzip reads; they differ in speed and in the exact bytes, so byte-identical rebuilds need the
 * same engine (and the same version of it).
 */
public enum DeflateEngine {
    /** libdeflate when this machine has it (about twice zlib's speed at a similar ratio), else zlib. */
    AUTO,
    /** The system's libdeflate through the plugin's native binding; an error where it cannot load. */
    LIBDEFLATE,
    /** The JDK's zlib ({@link java.util.zip.Deflater}). */
    ZLIB;

    /** Parses {@code auto}, {@code libdeflate} or {@code zlib}, ignoring case. */
    public static DeflateEngine parse(String value) {
        for (DeflateEngine engine : values()) {
            if (engine.name().equalsIgnoreCase(value.trim())) {
                return engine;
            }
        }
        throw new InvalidSettingException("neuron.deflate", "unknown deflate engine '" + value + "' (expected auto, libdeflate or zlib)");
    }

    /** What this choice uses on this machine, and why libdeflate is not used where it is not. */
    public String describe() {
        if (this == ZLIB) {
            return "zlib";
        }
        if (Libdeflate.available()) {
            return "libdeflate";
        }
        String reason = Libdeflate.unavailableReason();
        return this == LIBDEFLATE ? "libdeflate, not usable here: " + reason : "zlib (" + reason + ")";
    }

    /** The engine this choice uses on this machine; an error for libdeflate where it cannot load. */
    public DeflateEngine resolve() {
        return switch (this) {
            case AUTO -> Libdeflate.available() ? LIBDEFLATE : ZLIB;
            case LIBDEFLATE -> {
                if (!Libdeflate.available()) {
                    throw new InvalidSettingException("neuron.deflate", "libdeflate is not usable here: " + Libdeflate.unavailableReason());
                }
                yield LIBDEFLATE;
            }
            case ZLIB -> ZLIB;
        };
    }

    /** Whether a block after a file's first is primed with the file's previous 32 KiB (zlib's blocks are; libdeflate takes no dictionary). */
    boolean usesDictionary() {
        return this == ZLIB;
    }

    /** A compressor for one thread; this engine must be resolved. */
    BlockCompressor newCompressor(int level) {
        return switch (this) {
            case LIBDEFLATE -> new Libdeflate.Compressor(level);
            case ZLIB -> new ZlibCompressor(level);
            case AUTO -> throw new IllegalStateException("resolve the engine first");
        };
    }
}
