package org.neuronsimulator.wheel.audit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A C library release as its policies name it: {@code musllinux_1_2} is musl 1.2. */
public record LibcVersion(int major, int minor) implements Comparable<LibcVersion> {

    private static final Pattern LEADING = Pattern.compile("^(\\d+)\\.(\\d+)");

    /** Reads the leading {@code major.minor} of a version such as {@code 1.2.3} or {@code 1.2.4-r2}, or null. */
    public static LibcVersion parse(String text) {
        Matcher m = LEADING.matcher(text.trim());
        return m.find() ? new LibcVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : null;
    }

    @Override
    public int compareTo(LibcVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
