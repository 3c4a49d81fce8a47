package org.neuronsimulator.wheel.builder.container;

import java.util.Locale;
import java.util.regex.Pattern;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * The network of build and test containers, as {@code docker run --network} takes it:
 * {@code default} (the engine's default network, what {@code docker run} gives: pip reaches its index),
 * {@code none} (hermetic: no network at all), {@code host} (the host's network, e.g. for an index on
 * the host's loopback), or the name of a network created with {@code docker network create}.
 *
 * @param name {@code default}, {@code none}, {@code host} or a network name
 */
public record ContainerNetwork(String name) {

    public static final ContainerNetwork DEFAULT = new ContainerNetwork("default");
    public static final ContainerNetwork NONE = new ContainerNetwork("none");
    public static final ContainerNetwork HOST = new ContainerNetwork("host");

    /** Docker's rule for network names. */
    private static final Pattern NETWORK_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    /**
     * @throws IllegalArgumentException when the text can be no network name
     */
    public static ContainerNetwork parse(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT;
        }
        String value = text.strip();
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals("default")) {
            return DEFAULT;
        }
        if (lower.equals("none")) {
            return NONE;
        }
        if (lower.equals("host")) {
            return HOST;
        }
        if (!NETWORK_NAME.matcher(value).matches()) {
            throw new InvalidSettingException("neuron.network", "neuron.network: '" + value + "' is not default, none, host or the name"
                    + " of a Docker network (letters, digits, '_', '.', '-')");
        }
        return new ContainerNetwork(value);
    }

    public boolean isDefault() {
        return this.equals(DEFAULT);
    }

    public boolean isNone() {
        return this.equals(NONE);
    }

    /** A network the engine must have been given by name ({@code docker network create}). */
    public boolean isNamed() {
        return !isDefault() && !isNone() && !this.equals(HOST);
    }

    /** For log lines: {@code no network}, {@code the engine's default network}, {@code network host}. */
    public String describe() {
        if (isNone()) {
            return "no network";
        }
        if (isDefault()) {
            return "the engine's default network";
        }
        return "network " + name;
    }

    @Override
    public String toString() {
        return name;
    }
}
