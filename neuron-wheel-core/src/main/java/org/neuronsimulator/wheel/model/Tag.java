package org.neuronsimulator.wheel.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One PEP 425 compatibility tag, e.g. {@code cp311-cp311-manylinux_2_17_x86_64}. Components are
 * lower-cased, as packaging does.
 */
public record Tag(String interpreter, String abi, String platform) {

    public Tag {
        interpreter = Objects.requireNonNull(interpreter, "interpreter").toLowerCase(Locale.ROOT);
        abi = Objects.requireNonNull(abi, "abi").toLowerCase(Locale.ROOT);
        platform = Objects.requireNonNull(platform, "platform").toLowerCase(Locale.ROOT);
    }

    /**
     * Expands a tag or compressed tag set such as {@code py2.py3-none-any} into the cartesian
     * product of its components, in order (the set iterates interpreter-major).
     *
     * @throws InvalidTagException unless there are exactly three components, none empty, and
     *     every interpreter is an identifier
     */
    public static Set<Tag> parse(String compressed) {
        List<List<String>> components = components(compressed);
        Set<Tag> tags = new LinkedHashSet<>();
        for (String interpreter : components.get(0)) {
            for (String abi : components.get(1)) {
                for (String platform : components.get(2)) {
                    tags.add(new Tag(interpreter, abi, platform));
                }
            }
        }
        return Collections.unmodifiableSet(tags);
    }

    /** Parses exactly one tag (no compressed sets). */
    public static Tag parseSingle(String tag) {
        Set<Tag> tags = parse(tag);
        if (tags.size() != 1) {
            throw new InvalidTagException(tag, "a single tag was expected, not a compressed tag set");
        }
        return tags.iterator().next();
    }

    /** The three components of a (compressed) tag, each split at '.', checked as {@link #parse} does. */
    static List<List<String>> components(String compressed) {
        Objects.requireNonNull(compressed, "tag");
        String[] fields = compressed.split("-", -1);
        List<List<String>> components = new ArrayList<>();
        for (String field : fields) {
            List<String> parts = List.of(field.split("\\.", -1));
            if (parts.contains("")) {
                throw new InvalidTagException(compressed, "empty component in '" + field + "'");
            }
            components.add(parts);
        }
        if (components.size() != 3) {
            throw new InvalidTagException(compressed, "a tag has exactly three '-'-separated components (python-abi-platform)");
        }
        for (String interpreter : components.get(0)) {
            if (!PythonText.isIdentifier(interpreter)) {
                throw new InvalidTagException(compressed, "interpreter '" + interpreter + "' is not an identifier");
            }
        }
        return components;
    }

    @Override
    public String toString() {
        return interpreter + "-" + abi + "-" + platform;
    }
}
