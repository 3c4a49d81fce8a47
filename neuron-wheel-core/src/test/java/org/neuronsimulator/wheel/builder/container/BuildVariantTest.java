package org.neuronsimulator.wheel.builder.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.InvalidSettingException;

class BuildVariantTest {

    private static final BuildVariant CPU = new BuildVariant("coreneuron", List.of(), Map.of());
    private static final BuildVariant GPU = new BuildVariant("coreneuron-gpu", List.of("coreneuron-gpu"),
            Map.of("NRN_ENABLE_GPU", "ON"));

    @Test
    void noNameIsNoVariant() {
        assertSame(BuildVariant.NONE, BuildVariant.select(null, List.of(CPU)));
        assertSame(BuildVariant.NONE, BuildVariant.select(" ", List.of()));
    }

    @Test
    void withoutConfiguredVariantsTheNameIsTheArgument() {
        assertEquals(new BuildVariant("coreneuron", List.of("coreneuron"), Map.of()),
                BuildVariant.select(" coreneuron ", List.of()));
    }

    @Test
    void aConfiguredVariantIsChosenByName() {
        assertEquals(GPU, BuildVariant.select("coreneuron-gpu", List.of(CPU, GPU)));
        assertEquals(CPU, BuildVariant.select("coreneuron", List.of(CPU, GPU)));
    }

    @Test
    void anUnknownNameListsTheConfiguredOnes() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> BuildVariant.select("cuda", List.of(CPU, GPU)));
        assertEquals("neuron.variant", e.setting());
        assertEquals("neuron.variant=cuda is not one of the configured variants: coreneuron, coreneuron-gpu", e.getMessage());
    }

    @Test
    void aConfiguredVariantNeedsAName() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> BuildVariant.select("cuda", List.of(new BuildVariant("", List.of(), Map.of()))));
        assertEquals("a <variant> in <variants> has no <name>", e.getMessage());
    }
}
