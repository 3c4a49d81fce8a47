package org.neuronsimulator.wheel.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Core metadata (the {@code METADATA} file of a wheel, {@code PKG-INFO} of an sdist), metadata
 * versions 1.0 to 2.4 (2.5 is read too). Fields keep their order and, when unchanged, their exact
 * text, so {@code parse(text).serialize()} gives back {@code text}.
 */
public final class CoreMetadata extends HeaderFile {

    /** Fields that may occur more than once. */
    public static final Set<String> MULTIPLE_USE_FIELDS = Set.of(
            "platform", "supported-platform", "classifier", "requires-dist", "requires-external",
            "project-url", "provides-extra", "provides-dist", "obsoletes-dist", "dynamic", "license-file",
            "requires", "provides", "obsoletes");

    /** The specification's fields that may occur at most once (compared in lower case). */
    public static final Set<String> SINGLE_USE_FIELDS = Set.of(
            "metadata-version", "name", "version", "summary", "description", "description-content-type",
            "keywords", "home-page", "download-url", "author", "author-email", "maintainer", "maintainer-email",
            "license", "license-expression", "requires-python");

    private static final Pattern METADATA_VERSION = Pattern.compile("([12])\\.([0-9])");
    private static final String DEFAULT_SOURCE = "METADATA";

    private CoreMetadata(HeaderDocument document, String sourceName) {
        super(document, sourceName);
        Map<String, Integer> counts = new HashMap<>();
        for (HeaderDocument.Field f : document.fields()) {
            String key = f.name().toLowerCase(Locale.ROOT);
            if (SINGLE_USE_FIELDS.contains(key) && counts.merge(key, 1, Integer::sum) == 2) {
                throw new InvalidMetadataException(sourceName, "field " + f.name() + " occurs more than once; it may occur once");
            }
        }
        String metadataVersion = required("Metadata-Version");
        if (!METADATA_VERSION.matcher(metadataVersion).matches()) {
            throw new InvalidMetadataException(sourceName, "unsupported Metadata-Version '" + metadataVersion + "'");
        }
        String name = required("Name");
        if (name.isBlank()) {
            throw new InvalidMetadataException(sourceName, "empty Name");
        }
        String version = required("Version");
        try {
            Version.parse(version);
        } catch (InvalidVersionException e) {
            throw new InvalidMetadataException(sourceName, e.getMessage(), e);
        }
    }

    public static CoreMetadata parse(String text) {
        return parse(text, DEFAULT_SOURCE);
    }

    /**
     * @param sourceName named in error messages, e.g. {@code foo-1.0.dist-info/METADATA in foo-1.0-py3-none-any.whl}
     * @throws InvalidMetadataException naming the source when the text does not parse or lacks
     *     Metadata-Version, Name or a valid Version
     */
    public static CoreMetadata parse(String text, String sourceName) {
        Objects.requireNonNull(text, "text");
        return new CoreMetadata(HeaderDocument.parse(text, sourceName), sourceName);
    }

    /** A minimal document with the three required fields. */
    public static CoreMetadata of(String metadataVersion, String name, Version version) {
        HeaderDocument doc = new HeaderDocument(List.of(), null, null)
                .with("Metadata-Version", List.of(metadataVersion))
                .with("Name", List.of(ProjectNames.requireValid(name)))
                .with("Version", List.of(version.toString()));
        return new CoreMetadata(doc, DEFAULT_SOURCE);
    }

    public String metadataVersion() {
        return first("Metadata-Version").orElseThrow();
    }

    public String name() {
        return first("Name").orElseThrow();
    }

    public Version version() {
        return Version.parse(first("Version").orElseThrow());
    }

    /** The field names in file order (repeated names repeat). */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        for (HeaderDocument.Field f : document.fields()) {
            names.add(f.name());
        }
        return names;
    }

    /** The description: the body when there is one, otherwise the {@code Description} field. */
    public Optional<String> description() {
        String body = document.body();
        if (body != null && !body.isEmpty()) {
            return Optional.of(body);
        }
        return first("Description");
    }

    /**
     * A copy with the field's values replaced (an empty list removes it); they take the place of
     * the field's first occurrence, or go at the end of the headers.
     */
    public CoreMetadata with(String field, List<String> values) {
        if (values.size() > 1 && !MULTIPLE_USE_FIELDS.contains(field.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("field " + field + " takes a single value, got " + values.size());
        }
        for (String v : values) {
            if (v.indexOf('\n') >= 0 && !field.equalsIgnoreCase("Description") && !field.equalsIgnoreCase("License")) {
                throw new IllegalArgumentException("field " + field + ": value must be a single line: '" + v + "'");
            }
        }
        return new CoreMetadata(document.with(field, List.copyOf(values)), sourceName);
    }

    public CoreMetadata withName(String name) {
        return with("Name", List.of(ProjectNames.requireValid(name)));
    }

    public CoreMetadata withVersion(Version version) {
        return with("Version", List.of(version.toString()));
    }

    /**
     * A copy with this description: as the body from metadata 2.1 on (dropping any Description
     * field), as the Description field before.
     */
    public CoreMetadata withDescription(String description) {
        if (metadataVersion().compareTo("2.1") >= 0) {
            return new CoreMetadata(document.with("Description", List.of()).withBody(description), sourceName);
        }
        return new CoreMetadata(document.withBody(null).with("Description", List.of(description)), sourceName);
    }
}
