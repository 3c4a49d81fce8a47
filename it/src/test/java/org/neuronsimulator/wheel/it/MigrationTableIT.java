package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's migration table (section "Coming from NEURON's wheel scripts") honest: every command of NEURON's wheel documents has a row, every row
 * names tests that exist, and those tests (or the sample poms they build) use the properties and
 * profiles the row tells the reader to use.
 */
class MigrationTableIT {

    /** The commands of NEURON's wheel documents that the table must translate. */
    private static final List<String> NEURON_COMMANDS = List.of(
            "docker run", "neuron_wheel_gpu", "/nrnwheel/mpt", "docker pull",
            "build_wheels.bash linux 38`", "build_wheels.bash linux 38 coreneuron-gpu", "build_wheels.bash linux 3* coreneuron",
            "build_wheels.bash osx", "auditwheel repair --exclude", "auditwheel show",
            "test_wheels.sh python3.8 wheelhouse", "test_wheels.sh python3.8 \"-i https://test.pypi.org/simple/",
            "twine upload --repository-url", "docker build -t", "--build-arg MANYLINUX_IMAGE=",
            "docker login", "docker push", "NRN_RELEASE_UPLOAD", "CRON",
            "salloc -A proj16", "module load unstable python", "test_wheels.sh python3.7");

    private static final Pattern TEST_REFERENCE = Pattern.compile("`([A-Z][A-Za-z0-9]*(?:IT|Test))(?:#([a-zA-Z0-9_]+))?`");
    private static final Pattern PROPERTY = Pattern.compile("-D\"?(neuron\\.[a-zA-Z.]+)=");
    private static final Pattern PROFILE = Pattern.compile("-P([a-z0-9,]+)");

    private static final String SECTION = "## Coming from NEURON's wheel scripts";

    private static Path root() {
        return MavenInvocation.samplesDirectory().getParent().getParent();
    }

    private static List<String[]> rows() throws IOException {
        List<String[]> rows = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(root().resolve("README.md"))) {
            if (line.startsWith("## ")) {
                inSection = line.startsWith(SECTION);
            }
            if (!inSection || !line.startsWith("| ") || line.startsWith("| NEURON command")) {
                continue;
            }
            // cells are split at " | " so pipes inside commands (none are written with spaces) stay intact
            String[] cells = line.substring(2, line.length() - 2).split(" \\| ");
            assertEquals(3, cells.length, () -> "README migration table: a row needs 3 cells: " + line);
            rows.add(cells);
        }
        return rows;
    }

    @Test
    void everyNeuronCommandHasARow() throws IOException {
        List<String> neuronColumn = rows().stream().map(cells -> cells[0]).toList();
        for (String command : NEURON_COMMANDS) {
            assertTrue(neuronColumn.stream().anyMatch(cell -> cell.contains(command)),
                    () -> "README migration table has no row for NEURON's " + command);
        }
    }

    @Test
    void everyRowIsExercisedByTestsThatUseItsPropertiesAndProfiles() throws IOException {
        String samplePoms = samplePoms();
        List<String[]> rows = rows();
        assertFalse(rows.isEmpty(), "README migration table has no table");
        for (String[] cells : rows) {
            Matcher references = TEST_REFERENCE.matcher(cells[2]);
            StringBuilder tests = new StringBuilder();
            int count = 0;
            while (references.find()) {
                count++;
                String source = testSource(references.group(1));
                String method = references.group(2);
                if (method != null) {
                    assertTrue(Pattern.compile("@(Test|ParameterizedTest)[^;{]*?void " + method + "\\(").matcher(source).find(),
                            () -> references.group() + " is not a test method (row: " + cells[0] + ")");
                }
                tests.append(source);
            }
            assertTrue(count > 0, () -> "no test named for " + cells[0]);
            String exercised = tests + samplePoms;
            for (String name : found(PROPERTY, cells[1])) {
                assertTrue(exercised.contains(name), () -> "row " + cells[0] + ": no named test nor sample uses " + name);
            }
            for (String profiles : found(PROFILE, cells[1])) {
                for (String profile : profiles.split(",")) {
                    assertTrue(tests.toString().matches("(?s).*-P([a-z0-9]+,)*" + profile + "\\b.*"),
                            () -> "row " + cells[0] + ": no named test activates profile " + profile);
                }
            }
        }
    }

    private static Set<String> found(Pattern pattern, String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The source of a test class of any module of this build. */
    private static String testSource(String simpleName) throws IOException {
        List<Path> matches;
        try (Stream<Path> files = Files.walk(root(), 12)) {
            matches = files.filter(f -> f.getFileName().toString().equals(simpleName + ".java"))
                    .filter(f -> f.toString().contains("/src/test/java/") && !f.toString().contains("/target/")).toList();
        }
        assertEquals(1, matches.size(), () -> "README migration table names " + simpleName + ", found " + matches);
        return Files.readString(matches.get(0));
    }

    private static String samplePoms() throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> samples = Files.list(MavenInvocation.samplesDirectory())) {
            for (Path pom : samples.map(s -> s.resolve("pom.xml")).filter(Files::isRegularFile).sorted().toList()) {
                text.append(Files.readString(pom));
            }
        }
        return text.toString();
    }
}
