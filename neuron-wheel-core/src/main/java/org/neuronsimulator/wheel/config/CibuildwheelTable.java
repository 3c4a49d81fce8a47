package org.neuronsimulator.wheel.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code [tool.cibuildwheel]} table of a {@code pyproject.toml} as it applies to one platform: the
 * base table with the keys of the platform's table ({@code [tool.cibuildwheel.linux]},
 * {@code [tool.cibuildwheel.macos]}) put over it, as cibuildwheel reads them. The file is parsed with
 * Jackson's TOML data format; each value remembers the table it came from, and a value of the wrong kind
 * is reported with the file, the table and the key.
 */
public final class CibuildwheelTable {

    /** The platforms whose tables override the base one. */
    public enum Platform {
        LINUX, MACOS, WINDOWS;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Sub-tables of {@code [tool.cibuildwheel]} that are platform tables, not options. */
    private static final List<String> PLATFORM_TABLES = List.of("linux", "macos", "windows", "ios", "android", "pyodide");

    /** One option's value and where it was written. */
    public record Entry(String key, JsonNode value, String table) {
        /** {@code pyproject.toml [tool.cibuildwheel.linux] skip}: where a setting came from. */
        public String where(Path file) {
            return file.getFileName() + " [" + table + "] " + key;
        }

        /** {@code /path/to/pyproject.toml [tool.cibuildwheel.linux] skip}: where a value is wrong. */
        public String located(Path file) {
            return file + " [" + table + "] " + key;
        }
    }

    private final Path file;
    private final Platform platform;
    private final Map<String, Entry> entries;

    private CibuildwheelTable(Path file, Platform platform, Map<String, Entry> entries) {
        this.file = file;
        this.platform = platform;
        this.entries = entries;
    }

    /** No {@code [tool.cibuildwheel]} at all. */
    public static CibuildwheelTable empty(Path file, Platform platform) {
        return new CibuildwheelTable(file, platform, Map.of());
    }

    /**
     * Reads the file; a missing file or one without {@code [tool.cibuildwheel]} gives an empty table.
     *
     * @throws ProjectConfigurationException when the file is no valid TOML or the tables are not tables
     */
    public static CibuildwheelTable read(Path file, Platform platform) throws ProjectConfigurationException {
        if (!Files.isRegularFile(file)) {
            return empty(file, platform);
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            throw new ProjectConfigurationException(file + (where == null || where.getLineNr() < 1 ? ""
                    : " line " + where.getLineNr()) + ": not valid TOML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ProjectConfigurationException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode tool = root == null ? null : root.get("tool");
        if (tool == null || tool.isMissingNode()) {
            return empty(file, platform);
        }
        if (!tool.isObject()) {
            throw new ProjectConfigurationException(file + ": 'tool' must be a table, not " + kind(tool));
        }
        JsonNode base = tool.get("cibuildwheel");
        if (base == null) {
            return empty(file, platform);
        }
        if (!base.isObject()) {
            throw new ProjectConfigurationException(file + ": [tool.cibuildwheel] must be a table, not " + kind(base));
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        collect((ObjectNode) base, "tool.cibuildwheel", entries);
        JsonNode specific = base.get(platform.key());
        if (specific != null) {
            if (!specific.isObject()) {
                throw new ProjectConfigurationException(file + ": [tool.cibuildwheel." + platform.key()
                        + "] must be a table, not " + kind(specific));
            }
            collect((ObjectNode) specific, "tool.cibuildwheel." + platform.key(), entries);
        }
        return new CibuildwheelTable(file, platform, entries);
    }

    private static void collect(ObjectNode table, String name, Map<String, Entry> entries) {
        Iterator<Map.Entry<String, JsonNode>> fields = table.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (name.equals("tool.cibuildwheel") && PLATFORM_TABLES.contains(field.getKey())) {
                continue;
            }
            entries.put(field.getKey(), new Entry(field.getKey(), field.getValue(), name));
        }
    }

    public Path file() {
        return file;
    }

    public Platform platform() {
        return platform;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Every option key that applies to this platform, in file order. */
    public List<String> keys() {
        return new ArrayList<>(entries.keySet());
    }

    public Optional<Entry> entry(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** A string option. */
    public Optional<Value<String>> string(String key) throws ProjectConfigurationException {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!entry.value().isTextual()) {
            throw wrongType(entry, "a string");
        }
        return Optional.of(new Value<>(entry.value().asText(), entry.where(file)));
    }

    /** A boolean option. */
    public Optional<Value<Boolean>> bool(String key) throws ProjectConfigurationException {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!entry.value().isBoolean()) {
            throw wrongType(entry, "true or false");
        }
        return Optional.of(new Value<>(entry.value().asBoolean(), entry.where(file)));
    }

    /** An option given as one string or as an array of strings; the string form is one item. */
    public Optional<Value<List<String>>> strings(String key) throws ProjectConfigurationException {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        JsonNode node = entry.value();
        if (node.isTextual()) {
            return Optional.of(new Value<>(List.of(node.asText()), entry.where(file)));
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                if (!item.isTextual()) {
                    throw new ProjectConfigurationException(entry.located(file) + ": item " + (i + 1) + " must be a string,"
                            + " not " + kind(item) + " (" + item + ")");
                }
                items.add(item.asText());
            }
            return Optional.of(new Value<>(List.copyOf(items), entry.where(file)));
        }
        throw wrongType(entry, "a string or an array of strings");
    }

    /** An option given as a table of strings (its order kept) or as one string. */
    public Optional<Value<Object>> stringOrTable(String key) throws ProjectConfigurationException {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        JsonNode node = entry.value();
        if (node.isTextual()) {
            return Optional.of(new Value<>(node.asText(), entry.where(file)));
        }
        if (node.isObject()) {
            return Optional.of(new Value<>(table(entry), entry.where(file)));
        }
        throw wrongType(entry, "a string or a table");
    }

    /** A table whose values are strings or arrays of strings (e.g. {@code { name = "pip", args = ["-v"] }}). */
    public Map<String, JsonNode> table(Entry entry) throws ProjectConfigurationException {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = entry.value().properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (!value.isTextual() && !value.isBoolean() && !(value.isArray() && allText(value))) {
                throw new ProjectConfigurationException(entry.located(file) + "." + field.getKey()
                        + " must be a string, a boolean or an array of strings, not " + kind(value));
            }
            values.put(field.getKey(), value);
        }
        return values;
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    ProjectConfigurationException wrongType(Entry entry, String expected) {
        return new ProjectConfigurationException(entry.located(file) + " must be " + expected + ", not " + kind(entry.value())
                + " (" + entry.value() + ")");
    }

    ProjectConfigurationException invalid(Entry entry, String reason) {
        return new ProjectConfigurationException(entry.located(file) + ": " + reason);
    }

    /** The TOML word for a value's kind. */
    static String kind(JsonNode node) {
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isIntegralNumber()) {
            return "an integer";
        }
        if (node.isNumber()) {
            return "a float";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "a table";
        }
        return "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /**
     * A value read from the file with where it was written.
     *
     * @param source e.g. {@code pyproject.toml [tool.cibuildwheel] skip}
     */
    public record Value<T>(T value, String source) {
    }
}
