package org.neuronsimulator.wheel.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A wheel filename {@code {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl}, parsed with
 * the rules of {@code packaging.utils.parse_wheel_filename}.
 */
public final class WheelFileName {

    private final String distribution;
    private final Version version;
    private final String buildTag;
    private final List<String> pythonTags;
    private final List<String> abiTags;
    private final List<String> platformTags;

    private WheelFileName(String distribution, Version version, String buildTag,
            List<String> pythonTags, List<String> abiTags, List<String> platformTags) {
        this.distribution = distribution;
        this.version = version;
        this.buildTag = buildTag;
        this.pythonTags = List.copyOf(pythonTags);
        this.abiTags = List.copyOf(abiTags);
        this.platformTags = List.copyOf(platformTags);
    }

    /**
     * Builds a filename from its parts; the name is escaped, the tags checked.
     *
     * @param buildTag null when there is none
     */
    public static WheelFileName of(String projectName, Version version, String buildTag,
            List<String> pythonTags, List<String> abiTags, List<String> platformTags) {
        Objects.requireNonNull(version, "version");
        String escaped = ProjectNames.filenameEscape(ProjectNames.requireValid(projectName));
        if (buildTag != null) {
            checkBuildTag(buildTag);
        }
        return withCheckedTags(escaped, version, buildTag, pythonTags, abiTags, platformTags);
    }

    private static WheelFileName withCheckedTags(String escapedName, Version version, String buildTag,
            List<String> pythonTags, List<String> abiTags, List<String> platformTags) {
        Tag.components(String.join(".", pythonTags) + "-" + String.join(".", abiTags) + "-" + String.join(".", platformTags));
        return new WheelFileName(escapedName, version, buildTag, pythonTags, abiTags, platformTags);
    }

    private static void checkBuildTag(String buildTag) {
        if (buildTag.isEmpty() || buildTag.charAt(0) < '0' || buildTag.charAt(0) > '9' || buildTag.contains("-")) {
            throw new IllegalArgumentException("Invalid build tag '" + buildTag + "': it must start with a digit and contain no '-'");
        }
    }

    /**
     * Parses a wheel filename (no directory part).
     *
     * @throws InvalidWheelFileNameException naming the filename and what is wrong with it
     */
    public static WheelFileName parse(String filename) {
        Objects.requireNonNull(filename, "filename");
        if (!filename.endsWith(".whl")) {
            throw new InvalidWheelFileNameException(filename, InvalidWheelFileNameException.Reason.EXTENSION,
                    "the extension must be '.whl'");
        }
        String stem = filename.substring(0, filename.length() - 4);
        int dashes = (int) stem.chars().filter(c -> c == '-').count();
        if (dashes != 4 && dashes != 5) {
            throw new InvalidWheelFileNameException(filename, InvalidWheelFileNameException.Reason.PARTS,
                    "expected name-version(-build)-python-abi-platform.whl (4 or 5 '-'), found " + dashes + " '-'");
        }
        String[] parts = stem.split("-", dashes - 1);
        String namePart = parts[0];
        if (!isEscapedName(namePart)) {
            throw new InvalidWheelFileNameException(filename, InvalidWheelFileNameException.Reason.NAME,
                    "invalid project name '" + namePart + "' (letters, digits, '.' and single '_' only)");
        }
        Version version;
        try {
            version = Version.parse(parts[1]);
        } catch (InvalidVersionException e) {
            throw new InvalidWheelFileNameException(filename, InvalidWheelFileNameException.Reason.VERSION,
                    "invalid version '" + parts[1] + "'", e);
        }
        String buildTag = null;
        if (dashes == 5) {
            buildTag = parts[2];
            if (buildTag.isEmpty() || buildTag.charAt(0) < '0' || buildTag.charAt(0) > '9') {
                throw new InvalidWheelFileNameException(filename, InvalidWheelFileNameException.Reason.BUILD_TAG,
                        "invalid build tag '" + buildTag + "' (it must start with a digit)");
            }
        }
        List<List<String>> components;
        try {
            components = Tag.components(parts[parts.length - 1]);
        } catch (InvalidTagException e) {
            throw new InvalidWheelFileNameException(filename, InvalidWheelFileNameException.Reason.TAGS, e.getMessage(), e);
        }
        return new WheelFileName(ProjectNames.filenameEscape(namePart), version, buildTag,
                components.get(0), components.get(1), components.get(2));
    }

    // At least one word character, '.' or '_', and no "__" (an escaped name never has a run of separators).
    private static boolean isEscapedName(String name) {
        if (name.isEmpty() || name.contains("__")) {
            return false;
        }
        return name.codePoints().allMatch(cp -> cp == '.' || PythonText.isWordChar(cp));
    }

    /** The distribution name as written in wheel filenames (escaped: lower case, '_' for separators). */
    public String distribution() {
        return distribution;
    }

    /** The PEP 503 normalised project name, e.g. {@code neuron-nightly}. */
    public String projectName() {
        return ProjectNames.normalize(distribution);
    }

    public Version version() {
        return version;
    }

    public Optional<String> buildTag() {
        return Optional.ofNullable(buildTag);
    }

    public List<String> pythonTags() {
        return pythonTags;
    }

    public List<String> abiTags() {
        return abiTags;
    }

    public List<String> platformTags() {
        return platformTags;
    }

    /** The compressed tag set as it appears in the filename, e.g. {@code cp311-cp311-manylinux_2_17_x86_64}. */
    public String compressedTags() {
        return String.join(".", pythonTags) + "-" + String.join(".", abiTags) + "-" + String.join(".", platformTags);
    }

    /** Every tag the wheel supports (the cartesian product of the three components). */
    public Set<Tag> tags() {
        return Tag.parse(compressedTags());
    }

    public WheelFileName withDistribution(String projectName) {
        return new WheelFileName(ProjectNames.filenameEscape(ProjectNames.requireValid(projectName)), version, buildTag,
                pythonTags, abiTags, platformTags);
    }

    public WheelFileName withVersion(Version newVersion) {
        return new WheelFileName(distribution, Objects.requireNonNull(newVersion, "version"), buildTag,
                pythonTags, abiTags, platformTags);
    }

    /** @param newBuildTag null to drop the build tag */
    public WheelFileName withBuildTag(String newBuildTag) {
        if (newBuildTag != null) {
            checkBuildTag(newBuildTag);
        }
        return new WheelFileName(distribution, version, newBuildTag, pythonTags, abiTags, platformTags);
    }

    public WheelFileName withPythonTags(List<String> tags) {
        return withCheckedTags(distribution, version, buildTag, tags, abiTags, platformTags);
    }

    public WheelFileName withAbiTags(List<String> tags) {
        return withCheckedTags(distribution, version, buildTag, pythonTags, tags, platformTags);
    }

    public WheelFileName withPlatformTags(List<String> tags) {
        return withCheckedTags(distribution, version, buildTag, pythonTags, abiTags, tags);
    }

    /** {@code name-version.dist-info}. */
    public String distInfoDirectory() {
        return distribution + "-" + version + ".dist-info";
    }

    /** {@code name-version.data}. */
    public String dataDirectory() {
        return distribution + "-" + version + ".data";
    }

    /** The canonical filename: escaped name, normalised version, build tag, tags in their order. */
    @Override
    public String toString() {
        return distribution + "-" + version + (buildTag == null ? "" : "-" + buildTag) + "-" + compressedTags() + ".whl";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WheelFileName w && toString().equals(w.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
