package org.neuronsimulator.wheel.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version: parsing with every spelling the specification allows, the normalised form,
 * and the specification's ordering (the same as Python's {@code packaging.version.Version}).
 *
 * <p>Equality follows the ordering, so {@code 1.0} equals {@code 1.0.0}; {@link #toString()} still
 * keeps each one's own release segment.
 */
public final class Version implements Comparable<Version> {

    /** A pre-release segment: kind {@code a}, {@code b} or {@code rc} and its number. */
    public record PreRelease(String kind, long number) {
        public PreRelease {
            if (!kind.equals("a") && !kind.equals("b") && !kind.equals("rc")) {
                throw new IllegalArgumentException("pre-release kind must be a, b or rc, not '" + kind + "'");
            }
            if (number < 0) {
                throw new IllegalArgumentException("pre-release number must not be negative: " + number);
            }
        }

        @Override
        public String toString() {
            return kind + number;
        }

        private int rank() {
            return switch (kind) {
                case "a" -> 0;
                case "b" -> 1;
                default -> 2;
            };
        }
    }

    // The grammar of PEP 440's appendix, with possessive quantifiers where packaging uses them.
    private static final Pattern PATTERN = Pattern.compile(
            "v?+"
                    + "(?:(?<epoch>[0-9]+)!)?+"
                    + "(?<release>[0-9]+(?:\\.[0-9]+)*+)"
                    + "(?<pre>[._-]?+(?<preL>alpha|a|beta|b|preview|pre|c|rc)[._-]?+(?<preN>[0-9]+)?)?+"
                    + "(?<post>(?:-(?<postN1>[0-9]+))|(?:[._-]?(?<postL>post|rev|r)[._-]?(?<postN2>[0-9]+)?))?+"
                    + "(?<dev>[._-]?+(?<devL>dev)[._-]?+(?<devN>[0-9]+)?)?+"
                    + "(?:\\+(?<local>[a-z0-9]+(?:[._-][a-z0-9]+)*+))?+",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern LOCAL_SEPARATORS = Pattern.compile("[._-]");
    private static final Pattern LOCAL_PATTERN = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*", Pattern.CASE_INSENSITIVE);

    private final int epoch;
    private final long[] release;
    private final PreRelease pre;
    private final Long post;
    private final Long dev;
    /** Local segments, lower-cased; numeric ones without leading zeros. Null when absent. */
    private final List<String> local;

    private Version(int epoch, long[] release, PreRelease pre, Long post, Long dev, List<String> local) {
        this.epoch = epoch;
        this.release = release;
        this.pre = pre;
        this.post = post;
        this.dev = dev;
        this.local = local;
    }

    /**
     * Parses a version as PEP 440 (and packaging) allow: surrounding white space, a leading
     * {@code v}, any case, alternative spellings ({@code alpha}, {@code c}, {@code rev}, ...),
     * separators and implicit numbers.
     *
     * @throws InvalidVersionException naming the input when it is not a valid version
     */
    public static Version parse(String text) {
        Objects.requireNonNull(text, "version");
        String stripped = PythonText.stripSpace(text);
        Matcher m = PATTERN.matcher(stripped);
        if (!m.matches()) {
            throw new InvalidVersionException(text, "not a PEP 440 version");
        }
        int epoch = m.group("epoch") == null ? 0 : toInt(text, m.group("epoch"), "epoch");
        String[] parts = m.group("release").split("\\.");
        long[] release = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            release[i] = toLong(text, parts[i], "release number");
        }
        PreRelease pre = null;
        if (m.group("preL") != null) {
            String kind = switch (m.group("preL").toLowerCase(Locale.ROOT)) {
                case "alpha", "a" -> "a";
                case "beta", "b" -> "b";
                default -> "rc";
            };
            pre = new PreRelease(kind, m.group("preN") == null ? 0 : toLong(text, m.group("preN"), "pre-release number"));
        }
        Long post = null;
        if (m.group("postN1") != null) {
            post = toLong(text, m.group("postN1"), "post-release number");
        } else if (m.group("postL") != null) {
            post = m.group("postN2") == null ? 0L : toLong(text, m.group("postN2"), "post-release number");
        }
        Long dev = null;
        if (m.group("devL") != null) {
            dev = m.group("devN") == null ? 0L : toLong(text, m.group("devN"), "dev-release number");
        }
        List<String> local = m.group("local") == null ? null : localSegments(m.group("local"));
        return new Version(epoch, release, pre, post, dev, local);
    }

    /** Whether {@link #parse} accepts the text. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (InvalidVersionException e) {
            return false;
        }
    }

    /** A version from its parts; {@code pre}, {@code post}, {@code dev} and {@code local} may be null. */
    public static Version of(int epoch, List<Integer> release, PreRelease pre, Long post, Long dev, String local) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative: " + epoch);
        }
        if (release.isEmpty()) {
            throw new IllegalArgumentException("release segment must not be empty");
        }
        long[] numbers = new long[release.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = release.get(i);
            if (numbers[i] < 0) {
                throw new IllegalArgumentException("release numbers must not be negative: " + release);
            }
        }
        if (post != null && post < 0 || dev != null && dev < 0) {
            throw new IllegalArgumentException("post and dev numbers must not be negative");
        }
        return new Version(epoch, numbers, pre, post, dev, local == null ? null : checkedLocal(local));
    }

    private static List<String> checkedLocal(String local) {
        if (!LOCAL_PATTERN.matcher(local).matches()) {
            throw new IllegalArgumentException("invalid local version label '" + local + "'");
        }
        return localSegments(local);
    }

    private static List<String> localSegments(String local) {
        List<String> segments = new ArrayList<>();
        for (String part : LOCAL_SEPARATORS.split(local, -1)) {
            segments.add(isDigits(part) ? stripLeadingZeros(part) : part.toLowerCase(Locale.ROOT));
        }
        return Collections.unmodifiableList(segments);
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    private static int toInt(String input, String digits, String what) {
        long value = toLong(input, digits, what);
        if (value > Integer.MAX_VALUE) {
            throw new InvalidVersionException(input, what + " " + digits + " is larger than " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    private static long toLong(String input, String digits, String what) {
        String d = stripLeadingZeros(digits);
        if (d.length() > 18) {
            throw new InvalidVersionException(input, what + " " + digits + " is too large");
        }
        return Long.parseLong(d);
    }

    public int epoch() {
        return epoch;
    }

    /**
     * The release numbers as written (trailing zeros kept).
     *
     * @throws ArithmeticException when a number does not fit an int; {@link #releaseNumbers()} has them all
     */
    public List<Integer> release() {
        List<Integer> list = new ArrayList<>(release.length);
        for (long n : release) {
            list.add(Math.toIntExact(n));
        }
        return Collections.unmodifiableList(list);
    }

    /** The release numbers as written, as longs (date-like numbers such as 20240101123000 fit). */
    public List<Long> releaseNumbers() {
        List<Long> list = new ArrayList<>(release.length);
        for (long n : release) {
            list.add(n);
        }
        return Collections.unmodifiableList(list);
    }

    public Optional<PreRelease> preRelease() {
        return Optional.ofNullable(pre);
    }

    public OptionalLong postRelease() {
        return post == null ? OptionalLong.empty() : OptionalLong.of(post);
    }

    public OptionalLong devRelease() {
        return dev == null ? OptionalLong.empty() : OptionalLong.of(dev);
    }

    /** The normalised local label (lower case, '.' separators, numbers without leading zeros). */
    public Optional<String> local() {
        return local == null ? Optional.empty() : Optional.of(String.join(".", local));
    }

    /** True for pre-releases and dev releases, as in packaging's {@code is_prerelease}. */
    public boolean isPreRelease() {
        return pre != null || dev != null;
    }

    public boolean isPostRelease() {
        return post != null;
    }

    public boolean isDevRelease() {
        return dev != null;
    }

    public boolean hasLocal() {
        return local != null;
    }

    /** This version without its local label. */
    public Version publicVersion() {
        return withoutLocal();
    }

    /** Epoch and release only. */
    public Version baseVersion() {
        return new Version(epoch, release, null, null, null, null);
    }

    public Version withoutLocal() {
        return local == null ? this : new Version(epoch, release, pre, post, dev, null);
    }

    public Version withLocal(String label) {
        return new Version(epoch, release, pre, post, dev, checkedLocal(label));
    }

    public Version withDevRelease(long number) {
        if (number < 0) {
            throw new IllegalArgumentException("dev number must not be negative: " + number);
        }
        return new Version(epoch, release, pre, post, number, local);
    }

    public Version withPostRelease(long number) {
        if (number < 0) {
            throw new IllegalArgumentException("post number must not be negative: " + number);
        }
        return new Version(epoch, release, pre, number, dev, local);
    }

    public Version withPreRelease(PreRelease preRelease) {
        return new Version(epoch, release, preRelease, post, dev, local);
    }

    /** The normalised form, e.g. {@code 1!2.0rc1.post3.dev4+ubuntu.1}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (epoch != 0) {
            sb.append(epoch).append('!');
        }
        for (int i = 0; i < release.length; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(release[i]);
        }
        if (pre != null) {
            sb.append(pre.kind()).append(pre.number());
        }
        if (post != null) {
            sb.append(".post").append(post);
        }
        if (dev != null) {
            sb.append(".dev").append(dev);
        }
        if (local != null) {
            sb.append('+').append(String.join(".", local));
        }
        return sb.toString();
    }

    private int trimmedLength() {
        int n = release.length;
        while (n > 0 && release[n - 1] == 0) {
            n--;
        }
        return n;
    }

    @Override
    public int compareTo(Version other) {
        int c = Integer.compare(epoch, other.epoch);
        if (c != 0) {
            return c;
        }
        c = Arrays.compare(release, 0, trimmedLength(), other.release, 0, other.trimmedLength());
        if (c != 0) {
            return c;
        }
        c = Arrays.compare(suffixKey(), other.suffixKey());
        if (c != 0) {
            return c;
        }
        return compareLocal(local, other.local);
    }

    // (pre rank, pre number, post rank, post number, dev rank, dev number); a dev release with
    // neither pre nor post sorts before every pre-release of the same release.
    private long[] suffixKey() {
        long preRank;
        long preNumber = 0;
        if (pre == null && post == null && dev != null) {
            preRank = -1;
        } else if (pre == null) {
            preRank = 3;
        } else {
            preRank = pre.rank();
            preNumber = pre.number();
        }
        return new long[] {
            preRank, preNumber,
            post == null ? 0 : 1, post == null ? 0 : post,
            dev == null ? 1 : 0, dev == null ? 0 : dev
        };
    }

    private static int compareLocal(List<String> a, List<String> b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compareLocalSegment(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    // Numbers compare numerically, strings lexically, and any string sorts before any number.
    private static int compareLocalSegment(String a, String b) {
        boolean an = isDigits(a);
        boolean bn = isDigits(b);
        if (an && bn) {
            int c = Integer.compare(a.length(), b.length());
            return c != 0 ? c : a.compareTo(b);
        }
        if (an != bn) {
            return an ? 1 : -1;
        }
        return a.compareTo(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, Arrays.hashCode(Arrays.copyOf(release, trimmedLength())),
                Arrays.hashCode(suffixKey()), local);
    }
}
