package org.neuronsimulator.wheel.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * What is installed for testing: a wheel file from the wheelhouse, or a published release named by
 * a requirement ({@code neuron==8.2.0}), optionally from a given package index.
 */
public final class TestSubject {

    private static final Pattern REQUIREMENT_NAME = Pattern.compile("\\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)");

    private final Path wheel;
    private final String requirement;
    private final String index;

    private TestSubject(Path wheel, String requirement, String index) {
        this.wheel = wheel;
        this.requirement = requirement;
        this.index = index;
    }

    public static TestSubject wheel(Path file) {
        return new TestSubject(file.toAbsolutePath().normalize(), null, null);
    }

    /**
     * @param requirement a PEP 508 requirement, e.g. {@code neuron==8.2.0}
     * @param index       a package index URL ({@code https://test.pypi.org/simple/}); null or blank: pip's configured one
     * @throws IllegalArgumentException when the requirement names no project or the index is no http(s)/file URL
     */
    public static TestSubject requirement(String requirement, String index) {
        if (requirement == null || !REQUIREMENT_NAME.matcher(requirement).lookingAt()) {
            throw new InvalidSettingException("neuron.test.requirement", "neuron.test.requirement: '" + requirement
                    + "' does not start with a project name (e.g. neuron==8.2.0)");
        }
        String trimmedIndex = index == null || index.isBlank() ? null : index.strip();
        if (trimmedIndex != null) {
            String scheme;
            try {
                scheme = URI.create(trimmedIndex).getScheme();
            } catch (IllegalArgumentException e) {
                scheme = null; // not a URL: named below
            }
            if (scheme == null || !List.of("http", "https", "file").contains(scheme.toLowerCase(Locale.ROOT))) {
                throw new InvalidSettingException("neuron.test.index", "neuron.test.index: '" + trimmedIndex
                        + "' is not an http(s) or file URL of a package index");
            }
        }
        return new TestSubject(null, requirement.strip(), trimmedIndex);
    }

    /** Whether an index URL is out of this machine (not a file, nor on localhost or a loopback address). */
    public static boolean needsNetwork(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            return false; // requirement() names the malformed URL
        }
        String host = uri.getHost();
        return host != null && !host.equals("localhost") && !host.startsWith("127.") && !host.equals("[::1]");
    }

    public boolean isWheel() {
        return wheel != null;
    }

    /** The wheel file; null for a requirement. */
    public Path wheelFile() {
        return wheel;
    }

    /** The wheel's file name or the requirement: what reports call it. */
    public String label() {
        return isWheel() ? wheel.getFileName().toString() : requirement;
    }

    /** What {@code {wheel}} stands for in commands. */
    public String placeholderValue() {
        return isWheel() ? wheel.toString() : requirement;
    }

    /** The distribution name of a requirement (for locating the installed package). */
    String requirementName() {
        Matcher m = REQUIREMENT_NAME.matcher(requirement);
        if (!m.lookingAt()) {
            throw new IllegalStateException(requirement);
        }
        return m.group(1);
    }

    /** Arguments for {@code pip install} that select this subject. */
    List<String> pipArguments() {
        return pipArguments(wheel);
    }

    /** Arguments for {@code pip install}, with the wheel where the installing machine sees it. */
    List<String> pipArguments(Path wheelLocation) {
        List<String> args = new ArrayList<>();
        if (isWheel()) {
            args.add(wheelLocation.toString());
            return args;
        }
        if (index != null) {
            args.add("--index-url");
            args.add(index);
            URI uri = URI.create(index);
            if ("http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) {
                args.add("--trusted-host"); // the user named this plain-http index explicitly
                args.add(uri.getHost());
            }
        }
        args.add(requirement);
        return args;
    }

    @Override
    public String toString() {
        return label() + (index == null ? "" : " from " + index);
    }
}
