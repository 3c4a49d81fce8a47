package org.neuronsimulator.wheel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WheelInfoTest {

    private static final String WHEEL = """
            Wheel-Version: 1.0
            Generator: setuptools (75.8.0)
            Root-Is-Purelib: false
            Tag: cp311-cp311-linux_x86_64

            """;

    @Test
    void readsTheFields() {
        WheelInfo info = WheelInfo.parse(WHEEL);
        assertEquals("1.0", info.wheelVersion());
        assertEquals(1, info.wheelVersionMajor());
        assertEquals(Optional.of("setuptools (75.8.0)"), info.generator());
        assertFalse(info.rootIsPurelib());
        assertEquals(List.of("cp311-cp311-linux_x86_64"), info.tags());
        assertEquals(Optional.empty(), info.build());
        assertEquals(WHEEL, info.serialize());
    }

    @Test
    void retagsInPlace() {
        WheelInfo retagged = WheelInfo.parse(WHEEL)
                .withTags(List.of("cp311-cp311-manylinux_2_17_x86_64", "cp311-cp311-manylinux2014_x86_64"));
        assertEquals("""
                Wheel-Version: 1.0
                Generator: setuptools (75.8.0)
                Root-Is-Purelib: false
                Tag: cp311-cp311-manylinux_2_17_x86_64
                Tag: cp311-cp311-manylinux2014_x86_64

                """, retagged.serialize());
        assertEquals("Wheel-Version: 1.0\nGenerator: neuron-wheel\nRoot-Is-Purelib: true\nTag: py3-none-any\nBuild: 2\n",
                WheelInfo.of("neuron-wheel", true, List.of("py3-none-any")).withBuild("2").serialize());
    }

    @Test
    void rejectsMissingOrBadFields() {
        InvalidMetadataException e = assertThrows(InvalidMetadataException.class,
                () -> WheelInfo.parse("Generator: x\nRoot-Is-Purelib: true\n", "x.dist-info/WHEEL"));
        assertTrue(e.getMessage().startsWith("x.dist-info/WHEEL: missing required field Wheel-Version"), e.getMessage());
        assertThrows(InvalidMetadataException.class, () -> WheelInfo.parse("Wheel-Version: 1.0\nRoot-Is-Purelib: maybe\n"));
        assertThrows(InvalidMetadataException.class, () -> WheelInfo.parse("Wheel-Version: 1.0\n"));
        InvalidMetadataException tag = assertThrows(InvalidMetadataException.class,
                () -> WheelInfo.parse("Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py2.py3-none-any\n"));
        assertTrue(tag.getMessage().contains("py2.py3-none-any"), tag.getMessage());
    }
}
