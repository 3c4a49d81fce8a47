package org.neuronsimulator.wheel.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The selector grammar against the examples of cibuildwheel's documentation of {@code build},
 * {@code skip}, {@code enable} and {@code test-skip}: each example with identifiers it must and must not
 * select.
 */
class BuildSelectionTest {

    private static BuildIdentifier id(String text) {
        int dash = text.indexOf('-');
        return new BuildIdentifier(text.substring(0, dash), text.substring(dash + 1));
    }

    private static BuildSelection skip(String... patterns) {
        return BuildSelection.of(List.of(), List.of(patterns), List.of());
    }

    private static void assertSkips(BuildSelection selection, List<String> skipped, List<String> kept) {
        for (String identifier : skipped) {
            assertFalse(selection.selects(id(identifier)), selection + " must skip " + identifier);
        }
        for (String identifier : kept) {
            assertTrue(selection.selects(id(identifier)), selection + " must build " + identifier);
        }
    }

    @Test
    void onlyCPython314() {
        BuildSelection selection = BuildSelection.of(List.of("cp314-*"), List.of(), List.of());
        assertSkips(selection, List.of("cp313-manylinux_x86_64", "cp39-macosx_x86_64"),
                List.of("cp314-manylinux_x86_64", "cp314-win_amd64", "cp314-macosx_arm64"));
    }

    @Test
    void skipOneVersionOnOnePlatformOrEverywhere() {
        assertSkips(skip("cp39-macosx_x86_64"), List.of("cp39-macosx_x86_64"),
                List.of("cp39-macosx_arm64", "cp39-manylinux_x86_64", "cp310-macosx_x86_64"));
        assertSkips(skip("cp39-*"), List.of("cp39-macosx_x86_64", "cp39-manylinux_x86_64", "cp39-win32"),
                List.of("cp310-manylinux_x86_64", "cp313-win32"));
        assertSkips(skip("cp39-win*"), List.of("cp39-win32", "cp39-win_amd64", "cp39-win_arm64"),
                List.of("cp39-manylinux_x86_64", "cp310-win32"));
        assertSkips(skip("cp39-win32"), List.of("cp39-win32"), List.of("cp39-win_amd64"));
    }

    @Test
    void skipTwoVersionsAsAnArrayOrAsOneSpaceSeparatedString() {
        List<String> skipped = List.of("cp39-manylinux_x86_64", "cp310-musllinux_aarch64");
        List<String> kept = List.of("cp311-manylinux_x86_64", "cp3100-manylinux_x86_64");
        assertSkips(skip("cp39-*", "cp310-*"), skipped, kept);
        assertSkips(skip("cp39-* cp310-*"), skipped, kept);
    }

    @Test
    void skipPython39OnLinux() {
        assertSkips(skip("cp39-*linux*"), List.of("cp39-manylinux_x86_64", "cp39-musllinux_i686", "cp39-manylinux_aarch64"),
                List.of("cp39-macosx_x86_64", "cp39-win32", "cp310-manylinux_x86_64"));
    }

    @Test
    void skip32BitBuilds() {
        assertSkips(skip("*-win32", "*-*linux_i686"),
                List.of("cp311-win32", "cp311-manylinux_i686", "cp312-musllinux_i686", "pp310-manylinux_i686"),
                List.of("cp311-win_amd64", "cp311-manylinux_x86_64", "cp312-musllinux_x86_64"));
    }

    @Test
    void skipPyPyEverywhere() {
        BuildSelection selection = BuildSelection.of(List.of(), List.of("pp*"), List.of("pypy"));
        assertSkips(selection, List.of("pp310-manylinux_x86_64", "pp311-macosx_arm64", "pp39-win_amd64"),
                List.of("cp310-manylinux_x86_64"));
    }

    @Test
    void skipFreeThreadedBuildsEverywhereOrOnWindows() {
        BuildSelection everywhere = BuildSelection.of(List.of(), List.of("cp3??t-*"), List.of("cpython-freethreading"));
        assertSkips(everywhere, List.of("cp313t-manylinux_x86_64", "cp314t-win_amd64", "cp314t-macosx_arm64"),
                List.of("cp313-manylinux_x86_64", "cp314-win_amd64"));
        BuildSelection windows = BuildSelection.of(List.of(), List.of("cp3??t-win*"), List.of("cpython-freethreading"));
        assertSkips(windows, List.of("cp313t-win_amd64", "cp314t-win32"),
                List.of("cp313t-manylinux_x86_64", "cp314t-macosx_arm64", "cp313-win_amd64"));
    }

    @Test
    void braceAlternativesAsInTheTestSkipExample() {
        BuildSelection selection = skip("*-*linux_{aarch64,ppc64le,s390x,armv7l}");
        assertSkips(selection, List.of("cp312-manylinux_aarch64", "cp312-musllinux_ppc64le", "cp313-manylinux_s390x",
                "cp311-musllinux_armv7l"), List.of("cp312-manylinux_x86_64", "cp312-macosx_arm64"));
        assertEquals(List.of("cp311-*", "cp312-*", "pp311-*", "pp312-*"),
                IdentifierPattern.expandBraces("{cp,pp}3{11,12}-*"));
        assertEquals(List.of("a1c", "a2c", "bc"), IdentifierPattern.expandBraces("{a{1,2},b}c"));
    }

    @Test
    void aSuffixAfterTheIdentifierIsPartOfTheName() {
        // test-skip's macOS example: universal2 archs are skipped as "<id>:arm64"
        BuildSelection selection = skip("*-macosx_arm64 *-macosx_universal2:arm64");
        assertTrue(IdentifierPattern.parse("*-macosx_universal2:arm64").matches("cp312-macosx_universal2:arm64"));
        assertSkips(selection, List.of("cp312-macosx_arm64"), List.of("cp312-macosx_universal2", "cp312-macosx_x86_64"));
    }

    @Test
    void setsAndNegatedSetsAsFnmatchReadsThem() {
        IdentifierPattern pattern = IdentifierPattern.parse("cp31[0-2]-*");
        assertTrue(pattern.matches("cp310-manylinux_x86_64"));
        assertTrue(pattern.matches("cp312-manylinux_x86_64"));
        assertFalse(pattern.matches("cp313-manylinux_x86_64"));
        IdentifierPattern negated = IdentifierPattern.parse("cp31[!3]-*");
        assertTrue(negated.matches("cp311-win32"));
        assertFalse(negated.matches("cp313-win32"));
        assertTrue(IdentifierPattern.parse("cp3?-*").matches("cp39-win32"));
        assertFalse(IdentifierPattern.parse("cp3?-*").matches("cp310-win32"));
        assertFalse(IdentifierPattern.parse("CP39-*").matches("cp39-win32"), "matching is case-sensitive");
        assertTrue(IdentifierPattern.parse("cp39[-*").matches("cp39[-win32"), "an unclosed '[' is literal");
    }

    @Test
    void neuronSkipListKeepsOnlyPlainCPythonOnManylinux() {
        BuildSelection selection = BuildSelection.of(List.of(), List.of("pp*", "cp*t*", "*musllinux*"),
                List.of("all"));
        assertSkips(selection, List.of("pp310-manylinux_x86_64", "cp313t-manylinux_x86_64", "cp312-musllinux_x86_64",
                "cp313t-manylinux_aarch64"), List.of("cp38-manylinux_x86_64", "cp312-manylinux_x86_64",
                "cp313-manylinux_aarch64"));
    }

    @Test
    void pypyGraalPyAndFreeThreadedBuildsMustBeEnabled() {
        BuildSelection plain = BuildSelection.DEFAULT;
        assertTrue(plain.selects(id("cp312-manylinux_x86_64")));
        assertEquals("PyPy is not enabled (enable: pypy)", plain.whyNot(id("pp310-manylinux_x86_64"), false).orElseThrow());
        assertEquals("GraalPy is not enabled (enable: graalpy)",
                plain.whyNot(id("gp311_242-manylinux_x86_64"), false).orElseThrow());
        assertTrue(plain.whyNot(id("cp313t-manylinux_x86_64"), false).orElseThrow().contains("cpython-freethreading"));
        assertTrue(plain.whyNot(id("cp313t-manylinux_x86_64"), true).isEmpty(), "naming cp313t enables it");

        assertTrue(BuildSelection.of(List.of(), List.of(), List.of("pypy")).selects(id("pp310-manylinux_x86_64")));
        assertTrue(BuildSelection.of(List.of(), List.of(), List.of("pypy-eol")).selects(id("pp39-manylinux_x86_64")));
        assertTrue(BuildSelection.of(List.of(), List.of(), List.of("graalpy")).selects(id("gp311_242-manylinux_x86_64")));
        assertTrue(BuildSelection.of(List.of(), List.of(), List.of("cpython-freethreading"))
                .selects(id("cp313t-manylinux_x86_64")));
        BuildSelection all = BuildSelection.of(List.of(), List.of(), List.of("all"));
        for (String identifier : List.of("pp311-manylinux_x86_64", "gp312_250-manylinux_aarch64", "cp314t-manylinux_x86_64")) {
            assertTrue(all.selects(id(identifier)), identifier);
        }
        // a build selector naming PyPy does not enable it: cibuildwheel asks for both
        assertFalse(BuildSelection.of(List.of("pp*"), List.of(), List.of()).selects(id("pp310-manylinux_x86_64")));
    }

    @Test
    void reasonsNameTheSelector() {
        BuildSelection selection = BuildSelection.of(List.of("cp312-*"), List.of("*-musllinux*"), List.of());
        assertEquals("matches no build selector (cp312-*)",
                selection.whyNot(id("cp311-manylinux_x86_64"), false).orElseThrow());
        assertEquals("matches the skip selector *-musllinux*",
                selection.whyNot(id("cp312-musllinux_x86_64"), false).orElseThrow());
    }

    @Test
    void malformedSelectorsAndGroupsAreNamed() {
        IllegalArgumentException braces = assertThrows(IllegalArgumentException.class,
                () -> BuildSelection.of(List.of("cp3{11,12-*"), List.of(), List.of()));
        assertTrue(braces.getMessage().contains("cp3{11,12-*"), braces::getMessage);
        IllegalArgumentException group = assertThrows(IllegalArgumentException.class,
                () -> BuildSelection.of(List.of(), List.of(), List.of("pypy3")));
        assertTrue(group.getMessage().contains("'pypy3' is not one of pypy, pypy-eol, graalpy"), group::getMessage);
    }

    @Test
    void identifiersOfEveryKindOfInterpreter() {
        PythonInterpreter cp = new PythonInterpreter(Path.of("/opt/python/cp312-cp312/bin/python"), 3, 12, "cpython",
                false, List.of());
        PythonInterpreter ft = new PythonInterpreter(Path.of("/opt/python/cp313-cp313t/bin/python"), 3, 13, "cpython",
                true, List.of());
        PythonInterpreter pypy = new PythonInterpreter(Path.of("/opt/python/pp310-pypy310_pp73/bin/python"), 3, 10,
                "pypy", false, List.of());
        PythonInterpreter graal = new PythonInterpreter(Path.of("/opt/python/graalpy311-graalpy242_311_native/bin/python"),
                3, 11, "graalpy", false, List.of());
        String platform = BuildIdentifier.linuxPlatform("linux-x86_64", false);
        assertEquals("cp312-manylinux_x86_64", BuildIdentifier.of(cp, "3.12", platform).toString());
        assertEquals("cp313t-manylinux_x86_64", BuildIdentifier.of(ft, "3.13", platform).toString());
        assertEquals("pp310-manylinux_x86_64", BuildIdentifier.of(pypy, "7.3", platform).toString());
        assertEquals("gp311_242-manylinux_x86_64", BuildIdentifier.of(graal, "24.2", platform).toString());
        assertEquals("cp312-musllinux_aarch64",
                BuildIdentifier.of(cp, "3.12", BuildIdentifier.linuxPlatform("linux-aarch64", true)).toString());
        assertEquals(BuildIdentifier.Kind.PYPY, BuildIdentifier.of(pypy, "7.3", platform).kind());
        assertEquals("macosx_arm64", BuildIdentifier.hostPlatform("Mac OS X", "aarch64"));
        assertEquals("manylinux_x86_64", BuildIdentifier.hostPlatform("Linux", "amd64"));
    }
}
