package org.neuronsimulator.wheel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProjectNamesTest {

    @ParameterizedTest
    @CsvSource({
        "neuron, neuron, neuron",
        "NEURON-nightly, neuron-nightly, neuron_nightly",
        "neuron_gpu.nightly, neuron-gpu-nightly, neuron_gpu_nightly",
        "Foo.-_Bar, foo-bar, foo_bar",
        "zope.interface, zope-interface, zope_interface",
    })
    void normalisesAndEscapes(String name, String normalized, String escaped) {
        assertEquals(normalized, ProjectNames.normalize(name));
        assertEquals(escaped, ProjectNames.filenameEscape(name));
        assertTrue(ProjectNames.isValid(name));
        assertTrue(ProjectNames.isNormalized(normalized));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-foo", "foo-", "foo bar", "caf\u00e9", "a+b", "_x"})
    void rejectsInvalidNames(String name) {
        assertFalse(ProjectNames.isValid(name));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProjectNames.requireValid(name));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    @Test
    void normalisedFormIsStrict() {
        assertTrue(ProjectNames.isNormalized("a"));
        assertTrue(ProjectNames.isNormalized("neuron-gpu-nightly"));
        assertFalse(ProjectNames.isNormalized("Neuron"));
        assertFalse(ProjectNames.isNormalized("neuron_gpu"));
        assertFalse(ProjectNames.isNormalized("a--b"));
        assertFalse(ProjectNames.isNormalized("-a"));
    }
}
