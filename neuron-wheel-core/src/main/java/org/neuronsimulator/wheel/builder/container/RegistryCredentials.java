package org.neuronsimulator.wheel.builder.container;

import java.util.Objects;

/**
 * A user name and password (or token) for an image registry. {@link #toString()} never shows the
 * password.
 *
 * @param registry the registry address, e.g. {@code https://index.docker.io/v1/} or {@code quay.io}
 */
public record RegistryCredentials(String username, String password, String registry) {

    public RegistryCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return username + "@" + (registry == null ? "default registry" : registry) + " (password hidden)";
    }
}
