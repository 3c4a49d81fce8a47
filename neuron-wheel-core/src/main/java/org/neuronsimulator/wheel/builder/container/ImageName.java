package org.neuronsimulator.wheel.builder.container;

import java.util.Locale;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * An image reference split as a registry sees it: {@code quay.io/pypa/manylinux2014_x86_64:2024.01.01}
 * is registry {@code quay.io}, repository {@code pypa/manylinux2014_x86_64}, reference
 * {@code 2024.01.01}. Names without a registry are Docker Hub's ({@code neuronsimulator/neuron_wheel}
 * → {@code docker.io}; {@code debian} → {@code library/debian}); a missing tag is {@code latest}.
 *
 * @param reference a tag or a digest ({@code sha256:...})
 */
public record ImageName(String registry, String repository, String reference) {

    public static final String DOCKER_HUB = "docker.io";

    /**
     * @throws IllegalArgumentException when the text is no image reference
     */
    public static ImageName parse(String text) {
        String name = text.strip();
        if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidSettingException("image", "'" + text + "' is not an image name");
        }
        String reference;
        int at = name.indexOf('@');
        if (at >= 0) {
            reference = name.substring(at + 1);
            name = name.substring(0, at);
        } else {
            int slash = name.lastIndexOf('/');
            int colon = name.lastIndexOf(':');
            if (colon > slash) {
                reference = name.substring(colon + 1);
                name = name.substring(0, colon);
            } else {
                reference = "latest";
            }
        }
        String registry = DOCKER_HUB;
        int slash = name.indexOf('/');
        if (slash > 0) {
            String first = name.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                name = name.substring(slash + 1);
            }
        }
        if (registry.equals(DOCKER_HUB) && !name.contains("/")) {
            name = "library/" + name;
        }
        if (name.isEmpty() || reference.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT))) {
            throw new InvalidSettingException("image", "'" + text + "' is not an image name (repositories are lower case)");
        }
        return new ImageName(registry, name, reference);
    }

    /** The host the registry API answers on ({@code registry-1.docker.io} for Docker Hub). */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
    }

    /** Whether the registry is on this machine's loopback, which the Docker engine treats as an insecure registry. */
    public boolean isLoopback() {
        String host = registry.startsWith("[") ? registry.substring(0, registry.indexOf(']') + 1)
                : registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    public boolean isDigest() {
        return reference.contains(":");
    }

    /** The same repository with another tag or digest. */
    public ImageName withReference(String value) {
        return new ImageName(registry, repository, value);
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (isDigest() ? "@" : ":") + reference;
    }
}
