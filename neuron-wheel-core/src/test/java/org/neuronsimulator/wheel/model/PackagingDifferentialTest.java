package org.neuronsimulator.wheel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.process.ProcessResult;

/**
 * Compares the model with Python's {@code packaging} (installed from the machine's package index
 * into a virtual environment under {@code target/}) on seeded, generated versions, names, tag sets
 * and wheel filenames: the same parse result or error, the same normal forms, the same order.
 */
class PackagingDifferentialTest {

    private static final long SEED = 20240611L;
    private static final int VERSIONS = 4000;
    private static final int NAMES = 800;
    private static final int TAG_SETS = 1000;
    private static final int FILENAMES = 2500;
    private static final int PAIRS = 3000;
    private static final int METADATA_DOCUMENTS = 400;

    private static final Path WORK = PackagingEnvironment.WORK;
    private static final HexFormat HEX = HexFormat.of();

    private static Path python;

    private final List<String[]> cases = new ArrayList<>();

    @BeforeAll
    static void createEnvironment() throws IOException {
        python = PackagingEnvironment.python();
    }

    private void addCase(String kind, String... inputs) {
        String[] c = new String[inputs.length + 1];
        c[0] = kind;
        System.arraycopy(inputs, 0, c, 1, inputs.length);
        cases.add(c);
    }

    /** Runs the oracle on every case added so far and returns its answers, one per case. */
    private List<String> askPackaging() throws IOException {
        Files.createDirectories(WORK);
        Path script = WORK.resolve("packaging_oracle.py");
        try (InputStream in = getClass().getResourceAsStream("packaging_oracle.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path input = WORK.resolve("cases.txt");
        Path output = WORK.resolve("answers.txt");
        StringBuilder sb = new StringBuilder();
        for (String[] c : cases) {
            sb.append(c[0]);
            for (int i = 1; i < c.length; i++) {
                sb.append('\t').append(HEX.formatHex(c[i].getBytes(StandardCharsets.UTF_8)));
            }
            sb.append('\n');
        }
        Files.writeString(input, sb.toString(), StandardCharsets.UTF_8);
        Files.deleteIfExists(output);
        ProcessResult result = PackagingEnvironment.run(python.toString(), script.toString(), input.toString(), output.toString());
        assertTrue(result.succeeded(), () -> "the packaging oracle failed:\n" + result.tailText());
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertTrue(lines.get(0).startsWith("packaging "), lines.get(0));
        List<String> answers = lines.subList(1, lines.size());
        assertEquals(cases.size(), answers.size(), "one answer per case");
        return answers;
    }

    private static String esc(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String line(String... fields) {
        return java.util.Arrays.stream(fields).map(PackagingDifferentialTest::esc).collect(Collectors.joining("\t"));
    }

    private static String opt(java.util.OptionalLong value) {
        return value.isPresent() ? Long.toString(value.getAsLong()) : "-";
    }

    static String versionAnswer(String text) {
        Version v;
        try {
            v = Version.parse(text);
        } catch (InvalidVersionException e) {
            return "invalid";
        }
        return line("ok", v.toString(), Integer.toString(v.epoch()),
                v.releaseNumbers().stream().map(String::valueOf).collect(Collectors.joining(".")),
                v.preRelease().map(Version.PreRelease::toString).orElse("-"),
                opt(v.postRelease()), opt(v.devRelease()), v.local().orElse("-"),
                Boolean.toString(v.isPreRelease()), Boolean.toString(v.isPostRelease()), Boolean.toString(v.isDevRelease()),
                v.publicVersion().toString(), v.baseVersion().toString());
    }

    static String nameAnswer(String text) {
        return line(ProjectNames.normalize(text), ProjectNames.filenameEscape(text),
                Boolean.toString(ProjectNames.isValid(text)), Boolean.toString(ProjectNames.isNormalized(text)));
    }

    static String filenameAnswer(String text) {
        WheelFileName w;
        try {
            w = WheelFileName.parse(text);
        } catch (InvalidWheelFileNameException e) {
            assertTrue(e.getMessage().contains(text), "the error names the filename: " + e.getMessage());
            return line("error", e.reason().name());
        }
        String build = w.buildTag().map(b -> {
            int digits = 0;
            while (digits < b.length() && b.charAt(digits) >= '0' && b.charAt(digits) <= '9') {
                digits++;
            }
            return new BigInteger(b.substring(0, digits)) + "|" + b.substring(digits);
        }).orElse("-");
        return line("ok", w.projectName(), w.version().toString(), build, sortedTags(w.tags()));
    }

    private static String sortedTags(java.util.Set<Tag> tags) {
        return tags.stream().map(Tag::toString).collect(Collectors.toCollection(TreeSet::new)).stream()
                .collect(Collectors.joining(","));
    }

    static String tagAnswer(String text) {
        try {
            return line("ok", sortedTags(Tag.parse(text)));
        } catch (InvalidTagException e) {
            return "error";
        }
    }

    static String metadataAnswer(String text, String withDescription) {
        CoreMetadata m = CoreMetadata.parse(text);
        assertEquals(text, m.serialize(), "serialises unchanged");
        String sep = "\u001f";
        return line(m.metadataVersion(), m.name(), m.first("Version").orElseThrow(), m.first("Summary").orElse("-"),
                String.join(sep, m.get("Classifier")), String.join(sep, m.get("Requires-Dist")),
                String.join(sep, m.get("Provides-Extra")), String.join(sep, m.get("License-File")),
                String.join(sep, m.get("Dynamic")), String.join(sep, m.get("Project-URL")),
                withDescription.equals("1") ? m.description().orElse("-") : "skip");
    }

    private void assertAnswers(List<String> expected) {
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            String[] c = cases.get(i);
            String actual = switch (c[0]) {
                case "version" -> versionAnswer(c[1]);
                case "name" -> nameAnswer(c[1]);
                case "filename" -> filenameAnswer(c[1]);
                case "tag" -> tagAnswer(c[1]);
                case "metadata" -> metadataAnswer(c[1], c[2]);
                default -> throw new IllegalStateException(c[0]);
            };
            if (!actual.equals(expected.get(i))) {
                mismatches.add(c[0] + " '" + esc(c[1]) + "'\n  packaging: " + expected.get(i) + "\n  model:     " + actual);
            }
        }
        assertTrue(mismatches.isEmpty(), () -> mismatches.size() + " of " + cases.size() + " cases differ:\n"
                + String.join("\n", mismatches.subList(0, Math.min(40, mismatches.size()))));
    }

    @Test
    void versionsParseAndNormaliseAsPackagingDoes() throws IOException {
        ModelCaseGenerator generator = new ModelCaseGenerator(SEED);
        for (int i = 0; i < VERSIONS; i++) {
            addCase("version", generator.version());
        }
        List<String> answers = askPackaging();
        assertAnswers(answers);
        long valid = answers.stream().filter(a -> a.startsWith("ok")).count();
        assertTrue(valid > VERSIONS / 3 && valid < VERSIONS - VERSIONS / 5,
                "the generator gives a mix of valid and invalid versions: " + valid + " valid of " + VERSIONS);
    }

    @Test
    void namesTagSetsAndFilenamesParseAsPackagingDoes() throws IOException {
        ModelCaseGenerator generator = new ModelCaseGenerator(SEED + 1);
        for (int i = 0; i < NAMES; i++) {
            addCase("name", generator.projectName());
        }
        for (int i = 0; i < TAG_SETS; i++) {
            addCase("tag", generator.tagSet());
        }
        for (int i = 0; i < FILENAMES; i++) {
            addCase("filename", generator.wheelFileName());
        }
        List<String> answers = askPackaging();
        assertAnswers(answers);
        List<String> filenameAnswers = answers.subList(NAMES + TAG_SETS, answers.size());
        long parsed = filenameAnswers.stream().filter(a -> a.startsWith("ok")).count();
        assertTrue(parsed > FILENAMES / 4 && parsed < FILENAMES - FILENAMES / 10,
                "the generator gives a mix of valid and invalid filenames: " + parsed + " parsed of " + FILENAMES);
        for (String reason : List.of("EXTENSION", "PARTS", "NAME", "VERSION", "BUILD_TAG", "TAGS")) {
            assertTrue(filenameAnswers.contains("error\t" + reason), "some filename fails with " + reason);
        }
    }

    @Test
    void metadataReadsAsPackagingReadsIt() throws IOException {
        ModelCaseGenerator generator = new ModelCaseGenerator(SEED + 3);
        for (int i = 0; i < METADATA_DOCUMENTS; i++) {
            addCase("metadata", generator.metadataDocument());
        }
        // The real documents of the environment's own distributions (pip, packaging, setuptools).
        try (var dirs = Files.newDirectoryStream(PackagingEnvironment.sitePackages(), "*.dist-info")) {
            for (Path dir : dirs) {
                String text = Files.readString(dir.resolve("METADATA"), StandardCharsets.UTF_8);
                addCase("metadata", text, CoreMetadata.parse(text).first("Description").isPresent() ? "0" : "1");
            }
        }
        assertAnswers(askPackaging());
    }

    @Test
    void versionsSortAndCompareAsPackagingDoes() throws IOException {
        ModelCaseGenerator generator = new ModelCaseGenerator(SEED + 2);
        List<String> versions = new ArrayList<>();
        while (versions.size() < VERSIONS) {
            String v = generator.validVersion();
            if (Version.isValid(v)) {
                versions.add(v);
            }
        }
        addCase("sort", String.join("\n", versions.stream().map(String::strip).toList()));
        Random random = new Random(SEED);
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            int[] pair = {random.nextInt(versions.size()), random.nextInt(versions.size())};
            pairs.add(pair);
            addCase("compare", versions.get(pair[0]).strip(), versions.get(pair[1]).strip());
        }
        List<String> answers = askPackaging();

        List<Version> parsed = versions.stream().map(Version::parse).toList();
        List<Integer> order = IntStream.range(0, parsed.size()).boxed()
                .sorted(Comparator.comparing(parsed::get)).toList();
        String[] expected = answers.get(0).split("\t", -1);
        assertEquals(expected[0], order.stream().map(String::valueOf).collect(Collectors.joining(",")),
                "sorted order of " + versions.size() + " versions");
        String steps = IntStream.range(0, order.size() - 1)
                .mapToObj(i -> Integer.toString(Integer.signum(parsed.get(order.get(i + 1)).compareTo(parsed.get(order.get(i))))))
                .collect(Collectors.joining(","));
        assertEquals(expected[1], steps, "comparison of neighbours in sorted order");
        assertTrue(steps.contains("0"), "some generated versions compare equal");

        for (int i = 0; i < PAIRS; i++) {
            Version a = parsed.get(pairs.get(i)[0]);
            Version b = parsed.get(pairs.get(i)[1]);
            int c = Integer.signum(a.compareTo(b));
            assertEquals(answers.get(1 + i), Integer.toString(c), a + " vs " + b);
            assertEquals(c == 0, a.equals(b), "equals agrees with compareTo for " + a + " and " + b);
            if (c == 0) {
                assertEquals(a.hashCode(), b.hashCode(), "equal versions hash alike: " + a + ", " + b);
            }
        }
    }
}
