package org.neuronsimulator.wheel.builder;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * Which builds to make, by identifier ({@link BuildIdentifier}), as cibuildwheel's {@code build},
 * {@code skip} and {@code enable} options choose them: an identifier is built when it matches a build
 * selector (none given: every one), matches no skip selector, and belongs to an enabled group. Plain
 * CPython is always enabled; PyPy, GraalPy and free-threaded CPython must be enabled
 * ({@code pypy}, {@code graalpy}, {@code cpython-freethreading}, or {@code all}).
 */
public final class BuildSelection {

    /** The groups {@code enable} can switch on. */
    public enum Group {
        PYPY("pypy"), PYPY_EOL("pypy-eol"), GRAALPY("graalpy"), CPYTHON_FREETHREADING("cpython-freethreading"),
        CPYTHON_PRERELEASE("cpython-prerelease"), PYODIDE_PRERELEASE("pyodide-prerelease"), ALL("all");

        private final String word;

        Group(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        static Group parse(String text) {
            for (Group group : values()) {
                if (group.word.equals(text.toLowerCase(Locale.ROOT))) {
                    return group;
                }
            }
            List<String> words = new ArrayList<>();
            for (Group group : values()) {
                words.add(group.word);
            }
            throw new InvalidSettingException("neuron.enable", "enable: '" + text + "' is not one of " + String.join(", ", words));
        }
    }

    /** Every plain CPython, nothing else. */
    public static final BuildSelection DEFAULT = new BuildSelection(List.of(), List.of(), EnumSet.noneOf(Group.class));

    private final List<IdentifierPattern> build;
    private final List<IdentifierPattern> skip;
    private final Set<Group> enabled;

    private BuildSelection(List<IdentifierPattern> build, List<IdentifierPattern> skip, Set<Group> enabled) {
        this.build = List.copyOf(build);
        this.skip = List.copyOf(skip);
        this.enabled = Set.copyOf(enabled);
    }

    /**
     * @param build  build selectors; each item may hold several separated by spaces (cibuildwheel's
     *               string form) or commas (a Maven list property); empty: every identifier
     * @param skip   skip selectors, in the same forms
     * @param enable groups to enable, in the same forms
     * @throws IllegalArgumentException naming a malformed selector or an unknown group
     */
    public static BuildSelection of(List<String> build, List<String> skip, List<String> enable) {
        List<IdentifierPattern> buildPatterns = new ArrayList<>();
        for (String item : split(build)) {
            buildPatterns.add(IdentifierPattern.parse(item));
        }
        List<IdentifierPattern> skipPatterns = new ArrayList<>();
        for (String item : split(skip)) {
            skipPatterns.add(IdentifierPattern.parse(item));
        }
        Set<Group> groups = EnumSet.noneOf(Group.class);
        for (String item : split(enable)) {
            groups.add(Group.parse(item));
        }
        return new BuildSelection(buildPatterns, skipPatterns, groups);
    }

    /** Selector lists split at whitespace and at commas that are not inside braces. */
    static List<String> split(List<String> items) {
        List<String> words = new ArrayList<>();
        if (items == null) {
            return words;
        }
        for (String item : items) {
            if (item == null) {
                continue;
            }
            StringBuilder word = new StringBuilder();
            int depth = 0;
            for (char c : item.toCharArray()) {
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                }
                if (Character.isWhitespace(c) || (c == ',' && depth == 0)) {
                    if (word.length() > 0) {
                        words.add(word.toString());
                        word.setLength(0);
                    }
                } else {
                    word.append(c);
                }
            }
            if (word.length() > 0) {
                words.add(word.toString());
            }
        }
        return words;
    }

    public boolean isDefault() {
        return build.isEmpty() && skip.isEmpty() && enabled.isEmpty();
    }

    public List<String> buildSelectors() {
        return build.stream().map(IdentifierPattern::toString).toList();
    }

    public List<String> skipSelectors() {
        return skip.stream().map(IdentifierPattern::toString).toList();
    }

    public Set<Group> enabled() {
        return enabled;
    }

    /** True when the identifier is built; see {@link #whyNot}. */
    public boolean selects(BuildIdentifier identifier) {
        return whyNot(identifier, false).isEmpty();
    }

    /**
     * Why an identifier is not built, or empty when it is.
     *
     * @param freeThreadedAsked the user named this free-threaded interpreter explicitly (e.g.
     *                          {@code neuron.python=cp313t}), which enables it
     */
    public Optional<String> whyNot(BuildIdentifier identifier, boolean freeThreadedAsked) {
        String id = identifier.toString();
        if (!build.isEmpty() && build.stream().noneMatch(p -> p.matches(id))) {
            return Optional.of("matches no build selector (" + String.join(" ", buildSelectors()) + ")");
        }
        for (IdentifierPattern pattern : skip) {
            if (pattern.matches(id)) {
                return Optional.of("matches the skip selector " + pattern);
            }
        }
        return switch (identifier.kind()) {
            case PYPY -> enabled(Group.PYPY, Group.PYPY_EOL) ? Optional.empty()
                    : Optional.of("PyPy is not enabled (enable: pypy)");
            case GRAALPY -> enabled(Group.GRAALPY) ? Optional.empty()
                    : Optional.of("GraalPy is not enabled (enable: graalpy)");
            case CPYTHON_FREE_THREADED -> freeThreadedAsked || enabled(Group.CPYTHON_FREETHREADING) ? Optional.empty()
                    : Optional.of("free-threaded CPython is not enabled (enable: cpython-freethreading)");
            case OTHER -> Optional.of("only CPython, PyPy and GraalPy interpreters are built");
            case CPYTHON -> Optional.empty();
        };
    }

    private boolean enabled(Group... groups) {
        if (enabled.contains(Group.ALL)) {
            return true;
        }
        for (Group group : groups) {
            if (enabled.contains(group)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "build=" + buildSelectors() + " skip=" + skipSelectors() + " enable=" + enabled;
    }
}
