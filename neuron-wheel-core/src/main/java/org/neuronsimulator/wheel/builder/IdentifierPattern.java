package org.neuronsimulator.wheel.builder;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.audit.Glob;

/**
 * One build or skip selector: a shell glob as Python's {@code fnmatch} reads it ({@code *} any run of
 * characters, {@code ?} one character, {@code [seq]} and {@code [!seq]} sets), after expanding
 * {@code {a,b}} alternatives (nested too), as cibuildwheel's selectors do. Matching is case-sensitive.
 */
public final class IdentifierPattern {

    private final String text;
    private final List<Pattern> alternatives;

    private IdentifierPattern(String text, List<Pattern> alternatives) {
        this.text = text;
        this.alternatives = alternatives;
    }

    /** @throws IllegalArgumentException when braces do not balance */
    public static IdentifierPattern parse(String text) {
        List<Pattern> compiled = new ArrayList<>();
        for (String expanded : expandBraces(text)) {
            compiled.add(Glob.compile(expanded));
        }
        return new IdentifierPattern(text, List.copyOf(compiled));
    }

    public boolean matches(String identifier) {
        for (Pattern alternative : alternatives) {
            if (alternative.matcher(identifier).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Every spelling of a pattern with {@code {a,b,...}} groups expanded, left to right. */
    static List<String> expandBraces(String text) {
        int open = -1;
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                if (depth++ == 0) {
                    open = i;
                }
            } else if (c == '}') {
                if (depth == 0) {
                    throw new InvalidSettingException("selector", "selector '" + text + "' has a '}' without a '{'");
                }
                if (--depth == 0) {
                    List<String> expanded = new ArrayList<>();
                    String prefix = text.substring(0, open);
                    List<String> suffixes = expandBraces(text.substring(i + 1));
                    for (String option : splitTopLevel(text.substring(open + 1, i))) {
                        for (String inner : expandBraces(option)) {
                            for (String suffix : suffixes) {
                                expanded.add(prefix + inner + suffix);
                            }
                        }
                    }
                    return expanded;
                }
            }
        }
        if (depth != 0) {
            throw new InvalidSettingException("selector", "selector '" + text + "' has a '{' without a '}'");
        }
        return List.of(text);
    }

    private static List<String> splitTopLevel(String body) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(body.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(body.substring(start));
        return parts;
    }

    @Override
    public String toString() {
        return text;
    }
}
