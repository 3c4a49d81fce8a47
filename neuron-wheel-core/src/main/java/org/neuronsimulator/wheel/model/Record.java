package org.neuronsimulator.wheel.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code RECORD} file of a wheel: CSV rows {@code path,hash,size}, read with CSV quoting
 * (commas and quotes in paths) and written as the {@code wheel} tool writes it ('\n' line ends,
 * quotes only where needed).
 */
public final class Record {

    private final List<RecordEntry> entries;
    private final Map<String, RecordEntry> byPath;

    private Record(List<RecordEntry> entries, String sourceName) {
        this.entries = List.copyOf(entries);
        Map<String, RecordEntry> map = new HashMap<>();
        for (RecordEntry e : this.entries) {
            if (map.put(e.path(), e) != null) {
                throw new InvalidMetadataException(sourceName, "path " + e.path() + " is listed twice");
            }
        }
        this.byPath = map;
    }

    /**
     * @throws InvalidMetadataException when a path is listed twice
     */
    public static Record of(List<RecordEntry> entries) {
        return new Record(entries, "RECORD");
    }

    /** The entries followed by RECORD's own row (no hash, no size). */
    public static Record withOwnRow(List<RecordEntry> files, String recordPath) {
        List<RecordEntry> all = new ArrayList<>(files);
        all.add(RecordEntry.unhashed(recordPath));
        return of(all);
    }

    /**
     * Parses RECORD text.
     *
     * @param sourceName named in errors, e.g. {@code foo-1.0.dist-info/RECORD in foo-1.0-py3-none-any.whl}
     * @throws InvalidMetadataException naming the source and line of a malformed row, a forbidden
     *     hash algorithm, a bad size or a path listed twice
     */
    public static Record parse(String text, String sourceName) {
        Objects.requireNonNull(text, "text");
        List<RecordEntry> entries = new ArrayList<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        CsvReader reader = new CsvReader(text, sourceName);
        List<String> row;
        while ((row = reader.next()) != null) {
            int line = reader.rowLine();
            if (row.size() == 1 && row.get(0).isEmpty()) {
                continue;
            }
            if (row.size() != 3) {
                throw new InvalidMetadataException(sourceName, line,
                        "expected 3 columns (path,hash,size), found " + row.size());
            }
            String path = row.get(0);
            if (path.isEmpty()) {
                throw new InvalidMetadataException(sourceName, line, "empty path");
            }
            Optional<String> hash = row.get(1).isEmpty() ? Optional.empty() : Optional.of(row.get(1));
            OptionalLong size;
            if (row.get(2).isEmpty()) {
                size = OptionalLong.empty();
            } else if (row.get(2).matches("[0-9]{1,18}")) {
                size = OptionalLong.of(Long.parseLong(row.get(2)));
            } else {
                throw new InvalidMetadataException(sourceName, line, "invalid size '" + row.get(2) + "' for " + path);
            }
            try {
                entries.add(new RecordEntry(path, hash, size));
            } catch (IllegalArgumentException e) {
                throw new InvalidMetadataException(sourceName, line, e.getMessage());
            }
            Integer previous = lines.put(path, line);
            if (previous != null) {
                throw new InvalidMetadataException(sourceName, line, "path " + path + " is already listed on line " + previous);
            }
        }
        return new Record(entries, sourceName);
    }

    public List<RecordEntry> entries() {
        return entries;
    }

    public Optional<RecordEntry> find(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    /** A copy with this entry added, or replacing the entry of the same path in place. */
    public Record with(RecordEntry entry) {
        List<RecordEntry> list = new ArrayList<>(entries);
        boolean replaced = false;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).path().equals(entry.path())) {
                list.set(i, entry);
                replaced = true;
            }
        }
        if (!replaced) {
            list.add(entry);
        }
        return of(list);
    }

    public Record without(String path) {
        List<RecordEntry> list = new ArrayList<>(entries);
        list.removeIf(e -> e.path().equals(path));
        return of(list);
    }

    /** The CSV text, one row per entry in order, '\n' line ends. */
    public String serialize() {
        StringBuilder sb = new StringBuilder();
        for (RecordEntry e : entries) {
            appendField(sb, e.path());
            sb.append(',');
            appendField(sb, e.hash().orElse(""));
            sb.append(',');
            if (e.size().isPresent()) {
                sb.append(e.size().getAsLong());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    // Python's csv module (QUOTE_MINIMAL) quotes fields holding the delimiter, the quote or a line break.
    private static void appendField(StringBuilder sb, String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            sb.append(field);
            return;
        }
        sb.append('"').append(field.replace("\"", "\"\"")).append('"');
    }

    /** {@code sha256=<urlsafe base64 digest without padding>} of the bytes. */
    public static String sha256Hash(byte[] content) {
        return RecordDigest.sha256().update(content).hash();
    }

    /** {@link #sha256Hash(byte[])} of a stream, read to its end (not closed). */
    public static String sha256Hash(InputStream in) throws IOException {
        return digest(in, RecordDigest.sha256()).hash();
    }

    /** Feeds the rest of the stream to the digest and returns it, for {@link RecordDigest#hash()} and {@link RecordDigest#size()}. */
    public static RecordDigest digest(InputStream in, RecordDigest digest) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            digest.update(buffer, 0, n);
        }
        return digest;
    }

    @Override
    public String toString() {
        return serialize();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r && entries.equals(r.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    /** A CSV reader with Python's default dialect: ',' delimiter, '"' quotes doubled inside quotes. */
    private static final class CsvReader {
        private final String text;
        private final String sourceName;
        private int pos;
        private int line = 1;
        private int rowLine;

        CsvReader(String text, String sourceName) {
            this.text = text;
            this.sourceName = sourceName;
        }

        int rowLine() {
            return rowLine;
        }

        /** The next row, or null at the end of the text. */
        List<String> next() {
            if (pos >= text.length()) {
                return null;
            }
            rowLine = line;
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean fieldStart = true;
            boolean afterQuote = false;
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (quoted) {
                    if (c == '"') {
                        if (pos < text.length() && text.charAt(pos) == '"') {
                            field.append('"');
                            pos++;
                        } else {
                            quoted = false;
                            afterQuote = true;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        field.append(c);
                    }
                    continue;
                }
                if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                    fieldStart = true;
                    afterQuote = false;
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && pos < text.length() && text.charAt(pos) == '\n') {
                        pos++;
                    }
                    line++;
                    row.add(field.toString());
                    return row;
                } else if (c == '"' && fieldStart) {
                    quoted = true;
                    fieldStart = false;
                } else if (afterQuote) {
                    throw new InvalidMetadataException(sourceName, line, "text after a closing quote");
                } else {
                    field.append(c);
                    fieldStart = false;
                }
            }
            if (quoted) {
                throw new InvalidMetadataException(sourceName, rowLine, "unterminated quoted field");
            }
            row.add(field.toString());
            return row;
        }
    }
}
