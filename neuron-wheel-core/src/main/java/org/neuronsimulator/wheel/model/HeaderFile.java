package org.neuronsimulator.wheel.model;

import java.util.List;
import java.util.Optional;

/**
 * A dist-info file in email-header form ({@code METADATA}, {@code WHEEL}): its fields by name, and its text, which keeps
 * every unchanged field exactly as parsed. Two files are equal when their texts are.
 */
abstract sealed class HeaderFile permits CoreMetadata, WheelInfo {

    final HeaderDocument document;
    /** Named in error messages, e.g. {@code foo-1.0.dist-info/WHEEL in foo-1.0-py3-none-any.whl}. */
    final String sourceName;

    HeaderFile(HeaderDocument document, String sourceName) {
        this.document = document;
        this.sourceName = sourceName;
    }

    /** Every value of the field, in file order; field names are case-insensitive. */
    public List<String> get(String field) {
        return document.values(field);
    }

    public Optional<String> first(String field) {
        List<String> values = document.values(field);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The field's first value; refused, naming the file, when the field is missing. */
    String required(String field) {
        return first(field).orElseThrow(() -> new InvalidMetadataException(sourceName, "missing required field " + field));
    }

    /** The document text; unchanged fields and the body are written exactly as parsed. */
    public String serialize() {
        return document.serialize();
    }

    @Override
    public String toString() {
        return serialize();
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && serialize().equals(((HeaderFile) o).serialize());
    }

    @Override
    public int hashCode() {
        return serialize().hashCode();
    }
}
