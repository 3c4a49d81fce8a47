package org.neuronsimulator.wheel.elf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * Which dynamic symbols a reader keeps. Large C++ libraries carry tens of thousands of symbols; an
 * audit needs only a few, so names are tested on their bytes before any string is made.
 */
public final class SymbolFilter {

    /** Keeps every symbol. */
    public static final SymbolFilter ALL = new SymbolFilter(true, List.of(), Set.of());

    private final boolean all;
    /** An array, not a list: keep runs for every defined symbol, and C1 code allocates an iterator per loop over a list. */
    private final byte[][] definedPrefixes;
    private final Set<String> undefinedNames;
    private final BitSet undefinedLengths = new BitSet();
    private final int longestName;
    private final int longestDefinedPrefix;

    private SymbolFilter(boolean all, List<String> definedPrefixes, Set<String> undefinedNames) {
        this.all = all;
        List<byte[]> prefixes = new ArrayList<>();
        for (String p : definedPrefixes) {
            prefixes.add(p.getBytes(StandardCharsets.UTF_8));
        }
        this.definedPrefixes = prefixes.toArray(new byte[0][]);
        this.undefinedNames = Set.copyOf(undefinedNames);
        int longest = 0;
        for (byte[] p : prefixes) {
            longest = Math.max(longest, p.length);
        }
        this.longestDefinedPrefix = longest;
        for (String name : undefinedNames) {
            int length = name.getBytes(StandardCharsets.UTF_8).length;
            undefinedLengths.set(length);
            longest = Math.max(longest, length);
        }
        this.longestName = longest;
    }

    /** Keeps defined symbols starting with one of the prefixes and imports of the named symbols. */
    public static SymbolFilter of(List<String> definedPrefixes, Set<String> undefinedNames) {
        return new SymbolFilter(false, definedPrefixes, undefinedNames);
    }

    boolean keepsAll() {
        return all;
    }

    /** How many bytes of a name {@link #keep} needs to decide: no name longer than this is an undefined one it keeps. */
    int longestName() {
        return longestName;
    }

    /** How many bytes of a defined symbol's name {@link #keep} needs to decide. */
    int longestDefinedPrefix() {
        return longestDefinedPrefix;
    }

    /**
     * Whether to keep a symbol, judged on the start of its name: {@code length} bytes of {@code name},
     * the whole name when {@code complete}, else its first {@link #longestDefinedPrefix()} bytes or more for a
     * defined symbol, {@link #longestName()} or more for an import.
     */
    boolean keep(byte[] name, int length, boolean complete, boolean defined) {
        if (all) {
            return true;
        }
        if (defined) {
            for (byte[] prefix : definedPrefixes) {
                if (length >= prefix.length && startsWith(name, 0, prefix)) {
                    return true;
                }
            }
            return false;
        }
        return complete && undefinedLengths.get(length)
                && undefinedNames.contains(new String(name, 0, length, StandardCharsets.UTF_8));
    }

    private static boolean startsWith(byte[] data, int offset, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (data[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
