package org.neuronsimulator.wheel.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PythonSelectorTest {

    @Test
    void everySpellingOfOneVersionSelectsTheSameTag() {
        for (String spelling : List.of("3.11", "311", "cp311", "cp311-cp311")) {
            PythonSelector selector = PythonSelector.parse(spelling);
            assertTrue(selector.matchesTag("cp311"), spelling);
            assertFalse(selector.matchesTag("cp310"), spelling);
            assertFalse(selector.matchesTag("cp3110"), spelling);
        }
    }

    @Test
    void globsSelectFamiliesButNotFreeThreadedBuilds() {
        PythonSelector all3 = PythonSelector.parse("3*");
        assertTrue(all3.matchesTag("cp38"));
        assertTrue(all3.matchesTag("cp313"));
        assertFalse(all3.matchesTag("cp313t"));
        PythonSelector tens = PythonSelector.parse("3.1*");
        assertTrue(tens.matchesTag("cp310"));
        assertFalse(tens.matchesTag("cp39"));
        assertTrue(PythonSelector.parse("cp313t").matchesTag("cp313t"));
    }

    @Test
    void listsMixVersionsAndPaths() {
        PythonSelector selector = PythonSelector.parse("38, 3.12 /usr/bin/python3");
        assertTrue(selector.matchesTag("cp38"));
        assertTrue(selector.matchesTag("cp312"));
        assertEquals(List.of(Path.of("/usr/bin/python3")), selector.paths());
        assertFalse(selector.isDefault());
    }

    @Test
    void emptyMeansTheDefaultInterpreter() {
        assertTrue(PythonSelector.parse(null).isDefault());
        assertTrue(PythonSelector.parse("  ").isDefault());
    }

    @Test
    void nonsenseIsRejectedWithTheItemNamed() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> PythonSelector.parse("38,pypy"));
        assertTrue(error.getMessage().contains("'pypy'"), error.getMessage());
    }
}
