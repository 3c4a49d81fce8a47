package org.neuronsimulator.wheel.publish;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fields of one legacy upload, in the order they are sent, and the file that ends the form as
 * part {@code content}. A field with several values is several parts with the same name.
 */
public final class UploadForm {

    /** One form part: a name and its text. */
    public record Field(String name, String value) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    private final List<Field> fields;
    private final Path file;
    private final String filename;

    public UploadForm(List<Field> fields, Path file, String filename) {
        this.fields = List.copyOf(fields);
        this.file = Objects.requireNonNull(file, "file");
        this.filename = Objects.requireNonNull(filename, "filename");
    }

    public List<Field> fields() {
        return fields;
    }

    public Path file() {
        return file;
    }

    public String filename() {
        return filename;
    }

    /** The value of the first field with that name, or null. */
    public String first(String name) {
        for (Field f : fields) {
            if (f.name.equals(name)) {
                return f.value;
            }
        }
        return null;
    }

    /** Collects fields in order. */
    public static final class Builder {
        private final List<Field> fields = new ArrayList<>();

        /** One part; a missing value is sent as an empty part, as twine does. */
        public Builder single(String name, String value) {
            fields.add(new Field(name, value == null ? "" : value));
            return this;
        }

        /** One part per value; none when there are no values. */
        public Builder multiple(String name, List<String> values) {
            for (String v : values) {
                fields.add(new Field(name, v));
            }
            return this;
        }

        public UploadForm build(Path file, String filename) {
            return new UploadForm(fields, file, filename);
        }
    }
}
