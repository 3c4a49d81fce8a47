package org.neuronsimulator.wheel.config;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * One effective setting of the plugin with its provenance.
 *
 * @param property the Maven property (or configuration element) that sets it in a pom, e.g. {@code neuron.image}
 * @param value    the effective value; null when unset
 * @param origin   where it comes from
 * @param source   what set it, e.g. {@code pyproject.toml [tool.cibuildwheel.linux] repair-wheel-command}
 */
public record Setting<T>(String property, T value, Origin origin, String source) {

    public Setting {
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(source, "source");
    }

    static <T> Setting<T> pom(String property, T value) {
        return new Setting<>(property, value, Origin.POM, "pom (" + property + ")");
    }

    static <T> Setting<T> defaulted(String property, T value) {
        return new Setting<>(property, value, Origin.DEFAULT, "default");
    }

    /** True when a value is set (a non-empty one, for text, lists and maps). */
    public boolean isSet() {
        return isGiven(value);
    }

    static boolean isGiven(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof String text) {
            return !text.isBlank();
        }
        if (value instanceof Collection<?> items) {
            return !items.isEmpty();
        }
        if (value instanceof Map<?, ?> map) {
            return !map.isEmpty();
        }
        return true;
    }

    /** The value as the config goal prints it. */
    public String display() {
        if (value == null) {
            return "(unset)";
        }
        if (value instanceof Collection<?> items) {
            return items.isEmpty() ? "(none)" : String.join(", ", items.stream().map(String::valueOf).toList());
        }
        if (value instanceof Map<?, ?> map) {
            return map.isEmpty() ? "(none)" : String.join(", ", map.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
        String text = String.valueOf(value);
        return text.isEmpty() ? "(empty)" : text;
    }
}
