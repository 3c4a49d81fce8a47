package org.neuronsimulator.wheel.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** cibuildwheel's {@code environment} forms, evaluated against a build's own environment. */
class EnvironmentAssignmentsTest {

    private static final Map<String, String> IMAGE = Map.of("PATH", "/usr/bin:/bin", "HOME", "/root");

    @Test
    void theDocumentedStringForms() {
        assertEquals(Map.of("CFLAGS", "-g -Wall", "CXXFLAGS", "-Wall"),
                EnvironmentAssignments.parse("CFLAGS='-g -Wall' CXXFLAGS='-Wall'").evaluate(IMAGE));
        assertEquals(Map.of("PATH", "/usr/bin:/bin:/usr/local/bin"),
                EnvironmentAssignments.parse("PATH=$PATH:/usr/local/bin").evaluate(IMAGE));
        assertEquals(Map.of("PIP_GLOBAL_OPTION", "build_ext -j4"),
                EnvironmentAssignments.parse("PIP_GLOBAL_OPTION=\"build_ext -j4\"").evaluate(IMAGE));
    }

    @Test
    void assignmentsSeeTheOnesBeforeThemAndUnsetNamesAreEmpty() {
        Map<String, String> values = EnvironmentAssignments.parse(
                "PREFIX=/opt/dep LIBS=${PREFIX}/lib:$NOT_SET: QUOTED='$PREFIX' ESCAPED=\\$PREFIX").evaluate(IMAGE);
        assertEquals("/opt/dep", values.get("PREFIX"));
        assertEquals("/opt/dep/lib::", values.get("LIBS"));
        assertEquals("$PREFIX", values.get("QUOTED"));
        assertEquals("$PREFIX", values.get("ESCAPED"));
        assertEquals(List.of("PREFIX", "LIBS", "QUOTED", "ESCAPED"), List.copyOf(values.keySet()));
    }

    @Test
    void theTableFormReadsEachValueAsIfDoubleQuoted() {
        Map<String, String> table = new LinkedHashMap<>();
        table.put("CMAKE_PREFIX_PATH", "/nrnwheel/ncurses;/nrnwheel/readline");
        table.put("PATH", "$PATH:/opt/tools bin");
        table.put("LITERAL", "it's \\$HOME");
        Map<String, String> values = EnvironmentAssignments.of(table).evaluate(IMAGE);
        assertEquals("/nrnwheel/ncurses;/nrnwheel/readline", values.get("CMAKE_PREFIX_PATH"));
        assertEquals("/usr/bin:/bin:/opt/tools bin", values.get("PATH"));
        assertEquals("it's $HOME", values.get("LITERAL"));
    }

    @Test
    void commandSubstitutionAndNonAssignmentsAreRefusedByName() {
        IllegalArgumentException command = assertThrows(IllegalArgumentException.class,
                () -> EnvironmentAssignments.parse("BUILD_TIME=\"$(date)\""));
        assertTrue(command.getMessage().startsWith("BUILD_TIME: command substitution"), command::getMessage);
        assertThrows(IllegalArgumentException.class, () -> EnvironmentAssignments.of(Map.of("WHEN", "`date`")));
        IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
                () -> EnvironmentAssignments.parse("CFLAGS=-O2 oops"));
        assertTrue(word.getMessage().contains("'oops' is not an assignment"), word::getMessage);
        assertThrows(IllegalArgumentException.class, () -> EnvironmentAssignments.parse("A='unbalanced"));
        // single quotes keep a $( as text
        assertEquals(Map.of("A", "$(date)"), EnvironmentAssignments.parse("A='$(date)'").evaluate(IMAGE));
    }
}
