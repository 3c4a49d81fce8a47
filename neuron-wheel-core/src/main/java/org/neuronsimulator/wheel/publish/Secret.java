package org.neuronsimulator.wheel.publish;

import java.util.Objects;

/**
 * A password or API token. Its {@link #toString()} never shows the value, so it can travel through
 * string concatenation, logs and exception messages without leaking; only {@link #reveal()} gives it.
 */
public final class Secret {

    private static final String MASK = "********";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "secret");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The value itself, for the one place that must send it (the HTTP Authorization header). */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
