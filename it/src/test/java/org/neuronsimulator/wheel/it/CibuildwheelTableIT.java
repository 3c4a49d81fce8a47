package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.config.ProjectSettings;

/**
 * Keeps the README's section "Coming from cibuildwheel" honest: every cibuildwheel option the plugin reads
 * has a row, every option it ignores is named as ignored, and every row names test methods that exist.
 */
class CibuildwheelTableIT {

    private static final String SECTION = "## Coming from cibuildwheel";
    private static final Pattern TEST_REFERENCE = Pattern.compile("`([A-Z][A-Za-z0-9]*(?:IT|Test))#([a-zA-Z0-9_]+)`");

    private static Path root() {
        return MavenInvocation.samplesDirectory().getParent().getParent();
    }

    private static String section() throws IOException {
        String readme = Files.readString(root().resolve("README.md"));
        int start = readme.indexOf(SECTION);
        assertTrue(start >= 0, "README has no section " + SECTION);
        int end = readme.indexOf("\n## ", start + SECTION.length());
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static List<String[]> rows() throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : section().split("\n")) {
            if (line.startsWith("| ") && !line.startsWith("| cibuildwheel option")) {
                String[] cells = line.substring(2, line.length() - 2).split(" \\| ");
                assertEquals(4, cells.length, () -> "README cibuildwheel table: a row needs 4 cells: " + line);
                rows.add(cells);
            }
        }
        return rows;
    }

    @Test
    void everyOptionThePluginReadsHasARowAndEveryIgnoredOneIsNamed() throws IOException {
        List<String> options = rows().stream().map(cells -> cells[0]).toList();
        for (String option : ProjectSettings.MAPPED) {
            assertTrue(options.stream().anyMatch(cell -> cell.contains("`" + option + "`")
                    || cell.contains("`" + option + " = ")), () -> "no row for cibuildwheel's " + option);
        }
        assertTrue(options.stream().anyMatch(cell -> cell.contains("`manylinux-<arch>-image`")), "no row for the images");
        String text = section();
        for (String option : ProjectSettings.UNSUPPORTED) {
            if (!option.equals("platform") && !option.equals("output-dir") && !option.equals("allow-empty")
                    && !option.equals("project-requires-python")) { // command-line options of cibuildwheel
                assertTrue(text.contains("`" + option + "`"), () -> "the section does not name ignored " + option);
            }
        }
    }

    @Test
    void everyRowNamesTestsThatExist() throws IOException {
        List<String[]> rows = rows();
        assertFalse(rows.isEmpty(), "README has no cibuildwheel table");
        for (String[] cells : rows) {
            Matcher references = TEST_REFERENCE.matcher(cells[3]);
            int count = 0;
            while (references.find()) {
                count++;
                String source = testSource(references.group(1));
                String method = references.group(2);
                assertTrue(Pattern.compile("@Test[^;{]*?void " + method + "\\(").matcher(source).find(),
                        () -> references.group() + " is not a test method (row: " + cells[0] + ")");
            }
            assertTrue(count > 0, () -> "no test named for " + cells[0]);
        }
    }

    private static String testSource(String simpleName) throws IOException {
        List<Path> matches;
        try (Stream<Path> files = Files.walk(root(), 12)) {
            matches = files.filter(f -> f.getFileName().toString().equals(simpleName + ".java"))
                    .filter(f -> f.toString().contains("/src/test/java/") && !f.toString().contains("/target/")).toList();
        }
        assertEquals(1, matches.size(), () -> "README cibuildwheel table names " + simpleName + ", found " + matches);
        return Files.readString(matches.get(0));
    }
}
