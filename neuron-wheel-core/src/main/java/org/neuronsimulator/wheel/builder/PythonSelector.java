package org.neuronsimulator.wheel.builder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * Which Pythons to build or test with, as users write it in {@code neuron.python}: a
 * comma- or space-separated list of {@code 3.11}, {@code 311}, {@code cp312}, {@code 3*}
 * (globs), {@code cp313t} (free-threaded) or interpreter paths. Empty means {@code python3} on
 * the {@code PATH}.
 */
public final class PythonSelector {

    private static final Pattern VERSION = Pattern.compile("(?:cp)?(\\d)\\.?([\\d*?]*)(t?)");

    private final String text;
    private final List<Pattern> tagPatterns = new ArrayList<>();
    private final List<Path> paths = new ArrayList<>();

    private PythonSelector(String text) {
        this.text = text;
    }

    /**
     * @throws IllegalArgumentException naming the item that is neither a version, a glob nor a path
     */
    public static PythonSelector parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        PythonSelector selector = new PythonSelector(trimmed);
        for (String item : trimmed.split("[,\\s]+")) {
            if (item.isEmpty()) {
                continue;
            }
            if (item.contains("/") || item.contains("\\")) {
                selector.paths.add(Path.of(item));
                continue;
            }
            String lower = item.toLowerCase(Locale.ROOT);
            int dash = lower.indexOf('-');
            if (dash > 0) {
                lower = lower.substring(0, dash); // cp311-cp311 as in /opt/python folder names
            }
            var matcher = VERSION.matcher(lower);
            if (!matcher.matches()) {
                throw new InvalidSettingException("neuron.python", "neuron.python: '" + item
                        + "' is not a Python version (3.11, 311, cp311, 3*) nor an interpreter path");
            }
            String glob = "cp" + matcher.group(1) + matcher.group(2) + matcher.group(3);
            selector.tagPatterns.add(globToRegex(glob));
        }
        return selector;
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append("\\d*");
                case '?' -> regex.append("\\d");
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** True when nothing was selected: the default interpreter is meant. */
    public boolean isDefault() {
        return tagPatterns.isEmpty() && paths.isEmpty();
    }

    /** Interpreters named by path. */
    public List<Path> paths() {
        return List.copyOf(paths);
    }

    /** True when there are version patterns to match against discovered interpreters. */
    public boolean hasVersionPatterns() {
        return !tagPatterns.isEmpty();
    }

    /**
     * Whether an interpreter's CPython tag (e.g. {@code cp311}, {@code cp313t}) is selected.
     * Free-threaded builds are chosen only by a pattern ending in {@code t}.
     */
    public boolean matchesTag(String cpythonTag) {
        for (Pattern pattern : tagPatterns) {
            if (pattern.matcher(cpythonTag).matches()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text.isEmpty() ? "python3" : text;
    }
}
