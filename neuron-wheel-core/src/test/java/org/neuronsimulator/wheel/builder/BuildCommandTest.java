package org.neuronsimulator.wheel.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildCommandTest {

    @Test
    void defaultCommandIsPipWheelIntoTheOutputFolder() {
        assertEquals(List.of("/py", "-m", "pip", "wheel", "--no-deps", "--wheel-dir", "/out", "/src"),
                BuildCommand.defaultCommand().expand(Map.of("python", "/py", "source", "/src", "outdir", "/out")));
    }

    @Test
    void quotesGroupWordsAndBackslashesEscape() {
        assertEquals(List.of("bash", "-c", "echo {python} 'x'", "a b", "c\"d"),
                BuildCommand.parse("bash -c \"echo {python} 'x'\" a\\ b 'c\"d'").template());
    }

    @Test
    void placeholdersInsideWordsAreExpanded() {
        assertEquals(List.of("--out={o}/x".replace("{o}", "/w")),
                BuildCommand.parse("--out={outdir}/x").expand(Map.of("outdir", "/w")));
    }

    @Test
    void unbalancedQuoteIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> BuildCommand.parse("echo 'oops"));
        assertThrows(IllegalArgumentException.class, () -> BuildCommand.parse("   "));
    }
}
