package org.neuronsimulator.wheel.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code WHEEL} file of a wheel's dist-info directory: {@code Wheel-Version},
 * {@code Generator}, {@code Root-Is-Purelib}, one {@code Tag} per expanded tag and an optional
 * {@code Build}. Unchanged fields serialise exactly as parsed.
 */
public final class WheelInfo extends HeaderFile {

    private static final String DEFAULT_SOURCE = "WHEEL";

    private WheelInfo(HeaderDocument document, String sourceName) {
        super(document, sourceName);
        String version = required("Wheel-Version");
        if (!version.matches("[0-9]+\\.[0-9]+")) {
            throw new InvalidMetadataException(sourceName, "invalid Wheel-Version '" + version + "'");
        }
        String purelib = required("Root-Is-Purelib");
        if (!purelib.equalsIgnoreCase("true") && !purelib.equalsIgnoreCase("false")) {
            throw new InvalidMetadataException(sourceName, "Root-Is-Purelib must be true or false, not '" + purelib + "'");
        }
        for (String tag : document.values("Tag")) {
            try {
                Tag.parseSingle(tag);
            } catch (InvalidTagException e) {
                throw new InvalidMetadataException(sourceName, e.getMessage(), e);
            }
        }
    }

    public static WheelInfo parse(String text) {
        return parse(text, DEFAULT_SOURCE);
    }

    /** @throws InvalidMetadataException naming the source when the text does not parse or a required field is missing */
    public static WheelInfo parse(String text, String sourceName) {
        Objects.requireNonNull(text, "text");
        return new WheelInfo(HeaderDocument.parse(text, sourceName), sourceName);
    }

    /** A {@code Wheel-Version: 1.0} file with these fields. */
    public static WheelInfo of(String generator, boolean rootIsPurelib, List<String> tags) {
        HeaderDocument doc = new HeaderDocument(List.of(), null, null)
                .with("Wheel-Version", List.of("1.0"))
                .with("Generator", List.of(generator))
                .with("Root-Is-Purelib", List.of(Boolean.toString(rootIsPurelib)))
                .with("Tag", List.copyOf(tags));
        return new WheelInfo(doc, DEFAULT_SOURCE);
    }

    /** E.g. {@code 1.0}. */
    public String wheelVersion() {
        return first("Wheel-Version").orElseThrow();
    }

    /** The major part of {@link #wheelVersion()}; installers refuse a major version they do not know. */
    public int wheelVersionMajor() {
        return Integer.parseInt(wheelVersion().substring(0, wheelVersion().indexOf('.')));
    }

    public Optional<String> generator() {
        return first("Generator");
    }

    public boolean rootIsPurelib() {
        return first("Root-Is-Purelib").orElseThrow().toLowerCase(Locale.ROOT).equals("true");
    }

    /** The {@code Tag} values in file order, e.g. {@code cp311-cp311-manylinux_2_17_x86_64}. */
    public List<String> tags() {
        return document.values("Tag");
    }

    public Optional<String> build() {
        return first("Build");
    }

    /** A copy whose {@code Tag} lines are these (each one tag, not a compressed set), where the old ones were. */
    public WheelInfo withTags(List<String> tags) {
        return new WheelInfo(document.with("Tag", List.copyOf(tags)), sourceName);
    }

    public WheelInfo withGenerator(String generator) {
        return new WheelInfo(document.with("Generator", List.of(generator)), sourceName);
    }

    public WheelInfo withRootIsPurelib(boolean purelib) {
        return new WheelInfo(document.with("Root-Is-Purelib", List.of(Boolean.toString(purelib))), sourceName);
    }

    /** @param build null to remove the field */
    public WheelInfo withBuild(String build) {
        return new WheelInfo(document.with("Build", build == null ? List.of() : List.of(build)), sourceName);
    }
}
