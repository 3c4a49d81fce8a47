package org.neuronsimulator.wheel.macho;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A macOS (or SDK) version as Mach-O load commands store it: {@code xxxx.yy.zz} packed into 32 bits
 * (major in the upper 16 bits, then minor and patch in one byte each).
 */
public record MacosVersion(int major, int minor, int patch) implements Comparable<MacosVersion> {

    /** arm64 Macs started with macOS 11; no arm64 binary can need less. */
    public static final MacosVersion ARM64_FIRST = new MacosVersion(11, 0, 0);

    private static final Pattern TEXT = Pattern.compile("(\\d{1,5})(?:\\.(\\d{1,3}))?(?:\\.(\\d{1,3}))?");

    public MacosVersion {
        if (major < 0 || major > 0xFFFF || minor < 0 || minor > 0xFF || patch < 0 || patch > 0xFF) {
            throw new IllegalArgumentException("not a Mach-O version: " + major + "." + minor + "." + patch);
        }
    }

    public static MacosVersion ofPacked(long packed) {
        return new MacosVersion((int) (packed >>> 16) & 0xFFFF, (int) (packed >>> 8) & 0xFF, (int) packed & 0xFF);
    }

    /** Parses {@code 10.9}, {@code 11}, {@code 12.0.1}. */
    public static MacosVersion parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a macOS version like 10.9 or 12.0");
        }
        return new MacosVersion(Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    public long packed() {
        return ((long) major << 16) | ((long) minor << 8) | patch;
    }

    public static MacosVersion max(MacosVersion a, MacosVersion b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public int compareTo(MacosVersion other) {
        return Long.compare(packed(), other.packed());
    }

    /** {@code 10.9}, or {@code 10.9.5} when there is a patch level. */
    @Override
    public String toString() {
        return patch == 0 ? major + "." + minor : major + "." + minor + "." + patch;
    }
}
