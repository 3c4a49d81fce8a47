package org.neuronsimulator.wheel.publish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code .pypirc} file: INI sections, one per repository, with {@code repository},
 * {@code username} and {@code password} keys ({@code key = value} or {@code key: value}).
 */
public final class Pypirc {

    private final Path file;
    private final Map<String, Map<String, String>> sections;

    private Pypirc(Path file, Map<String, Map<String, String>> sections) {
        this.file = file;
        this.sections = sections;
    }

    public static Pypirc parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        String lastKey = null;
        int number = 0;
        for (String raw : lines) {
            number++;
            String trimmed = raw.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
                continue;
            }
            if (Character.isWhitespace(raw.charAt(0)) && current != null && lastKey != null) {
                // Continuation line, as in "index-servers =\n    pypi\n    testpypi".
                current.merge(lastKey, trimmed, (a, b) -> a.isEmpty() ? b : a + "\n" + b);
                continue;
            }
            if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
                current = sections.computeIfAbsent(trimmed.substring(1, trimmed.length() - 1).strip(), k -> new LinkedHashMap<>());
                lastKey = null;
                continue;
            }
            int eq = indexOfSeparator(trimmed);
            if (current == null || eq < 0) {
                // Never echo the line: it may hold a password.
                throw new IOException(file + ": line " + number + " is neither a [section] nor a key = value pair");
            }
            lastKey = trimmed.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            current.put(lastKey, trimmed.substring(eq + 1).strip());
        }
        return new Pypirc(file, sections);
    }

    private static int indexOfSeparator(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    public Path file() {
        return file;
    }

    public Optional<Map<String, String>> section(String name) {
        return Optional.ofNullable(sections.get(name));
    }

    /**
     * The section for a repository: the one named like it, else the one whose {@code repository}
     * key is its upload URL (trailing slashes ignored). {@code pypi} and {@code testpypi} sections
     * without a {@code repository} key stand for the public indexes.
     */
    public Optional<Map.Entry<String, Map<String, String>>> sectionFor(PackageRepository repository) {
        String url = stripSlash(repository.uploadUrl().toString());
        for (Map.Entry<String, Map<String, String>> e : sections.entrySet()) {
            String declared = e.getValue().get("repository");
            if (declared == null) {
                declared = switch (e.getKey()) {
                    case "pypi" -> PackageRepository.PYPI.uploadUrl().toString();
                    case "testpypi" -> PackageRepository.TESTPYPI.uploadUrl().toString();
                    default -> null;
                };
            }
            if (declared != null && stripSlash(declared).equals(url)) {
                return Optional.of(e);
            }
        }
        Map<String, String> byName = sections.get(repository.name());
        if (byName != null && !byName.containsKey("repository")) {
            return Optional.of(Map.entry(repository.name(), byName));
        }
        return Optional.empty();
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
