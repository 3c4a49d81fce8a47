package org.neuronsimulator.wheel.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The email-header format of {@code METADATA} and {@code WHEEL}: {@code Name: value} lines,
 * continuation lines that start with white space, then an optional body after an empty line.
 * Parsed fields keep their exact text so that an unchanged document serialises byte for byte.
 */
final class HeaderDocument {

    /** One header field; {@code raw} is its exact source text, or null for a field built here. */
    record Field(String name, String value, String raw) {
        boolean named(String other) {
            return name.equalsIgnoreCase(other);
        }
    }

    private static final String CONTINUATION_INDENT = "        ";

    private final List<Field> fields;
    /** The empty line before the body as written, or null when there is none. */
    private final String separator;
    private final String body;

    HeaderDocument(List<Field> fields, String separator, String body) {
        this.fields = List.copyOf(fields);
        this.separator = separator;
        this.body = body;
    }

    static HeaderDocument parse(String text, String sourceName) {
        List<Field> fields = new ArrayList<>();
        String name = null;
        StringBuilder raw = null;
        List<String> lines = null;
        int lineNumber = 0;
        int pos = 0;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? text.length() : nl + 1;
            String rawLine = text.substring(pos, end);
            String line = stripLineEnd(rawLine);
            lineNumber++;
            if (line.isEmpty()) {
                if (name != null) {
                    fields.add(field(name, lines, raw.toString()));
                }
                return new HeaderDocument(fields, rawLine, text.substring(end));
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                if (name == null) {
                    throw new InvalidMetadataException(sourceName, lineNumber, "continuation line before any field");
                }
                lines.add(line);
                raw.append(rawLine);
            } else {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new InvalidMetadataException(sourceName, lineNumber,
                            "expected 'Field: value', found '" + line + "'");
                }
                String fieldName = line.substring(0, colon);
                if (!fieldName.chars().allMatch(c -> c > ' ' && c < 127)) {
                    throw new InvalidMetadataException(sourceName, lineNumber, "invalid field name '" + fieldName + "'");
                }
                if (name != null) {
                    fields.add(field(name, lines, raw.toString()));
                }
                name = fieldName;
                lines = new ArrayList<>();
                lines.add(line.substring(colon + 1));
                raw = new StringBuilder(rawLine);
            }
            pos = end;
        }
        if (name != null) {
            fields.add(field(name, lines, raw.toString()));
        }
        return new HeaderDocument(fields, null, null);
    }

    private static String stripLineEnd(String line) {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\n') {
            end--;
        }
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        return line.substring(0, end);
    }

    // The first line loses the blanks after the colon; continuation lines lose their indentation
    // (up to 8 blanks, as setuptools writes it). A Description whose continuation lines all carry
    // the old '|' margin loses that too.
    private static Field field(String name, List<String> lines, String raw) {
        StringBuilder value = new StringBuilder(lines.get(0).replaceFirst("^[ \t]+", "").stripTrailing());
        List<String> rest = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            int i = 0;
            if (line.startsWith("\t")) {
                i = 1;
            } else {
                while (i < line.length() && i < CONTINUATION_INDENT.length() && line.charAt(i) == ' ') {
                    i++;
                }
            }
            rest.add(line.substring(i));
        }
        if (name.equalsIgnoreCase("Description") && !rest.isEmpty()
                && rest.stream().allMatch(l -> l.stripLeading().startsWith("|"))) {
            rest.replaceAll(l -> l.stripLeading().substring(1));
        }
        for (String line : rest) {
            value.append('\n').append(line.stripTrailing());
        }
        return new Field(name, value.toString(), raw);
    }

    List<Field> fields() {
        return fields;
    }

    /** The body after the empty line, or null when the document has none. */
    String body() {
        return body;
    }

    List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (Field f : fields) {
            if (f.named(name)) {
                values.add(f.value());
            }
        }
        return Collections.unmodifiableList(values);
    }

    /**
     * Replaces every field of that name by the given values, placed where the first one was (or
     * at the end); fields whose value is unchanged keep their source text.
     */
    HeaderDocument with(String name, List<String> values) {
        List<Field> old = new ArrayList<>();
        int at = -1;
        List<Field> kept = new ArrayList<>();
        for (Field f : fields) {
            if (f.named(name)) {
                if (at < 0) {
                    at = kept.size();
                }
                old.add(f);
            } else {
                kept.add(f);
            }
        }
        if (at < 0) {
            at = kept.size();
        }
        List<Field> replacement = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            checkValue(name, value);
            if (i < old.size() && old.get(i).value().equals(value)) {
                replacement.add(old.get(i));
            } else {
                replacement.add(new Field(i < old.size() ? old.get(i).name() : name, value, null));
            }
        }
        kept.addAll(at, replacement);
        return new HeaderDocument(kept, separator, body);
    }

    private static void checkValue(String name, String value) {
        if (name.isEmpty() || !name.chars().allMatch(c -> c > ' ' && c < 127 && c != ':')) {
            throw new IllegalArgumentException("invalid field name '" + name + "'");
        }
        if (value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("field " + name + ": value must not contain a carriage return");
        }
    }

    /** Sets the body (null: none). */
    HeaderDocument withBody(String newBody) {
        String eol = fields.stream().map(Field::raw).anyMatch(r -> r != null && r.endsWith("\r\n")) ? "\r\n" : "\n";
        return new HeaderDocument(fields, newBody == null ? null : (separator == null ? eol : separator), newBody);
    }

    String serialize() {
        // New fields follow the line ends of the parsed ones.
        String eol = fields.stream().map(Field::raw).filter(r -> r != null && r.endsWith("\n")).findFirst()
                .map(r -> r.endsWith("\r\n") ? "\r\n" : "\n").orElse("\n");
        StringBuilder sb = new StringBuilder();
        for (Field f : fields) {
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') {
                sb.append(eol);
            }
            if (f.raw() != null) {
                sb.append(f.raw());
            } else {
                String[] lines = f.value().split("\n", -1);
                sb.append(f.name()).append(": ").append(lines[0]).append(eol);
                for (int i = 1; i < lines.length; i++) {
                    sb.append(CONTINUATION_INDENT).append(lines[i]).append(eol);
                }
            }
        }
        if (separator != null) {
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') {
                sb.append(eol);
            }
            sb.append(separator).append(body);
        }
        return sb.toString();
    }
}
