package org.neuronsimulator.wheel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WheelFileNameTest {

    @Test
    void parsesAPlatformWheel() {
        WheelFileName w = WheelFileName.parse(
                "NEURON_nightly-9.0a1.dev1234-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
        assertEquals("neuron_nightly", w.distribution());
        assertEquals("neuron-nightly", w.projectName());
        assertEquals(Version.parse("9.0a1.dev1234"), w.version());
        assertEquals(Optional.empty(), w.buildTag());
        assertEquals(List.of("cp311"), w.pythonTags());
        assertEquals(List.of("cp311"), w.abiTags());
        assertEquals(List.of("manylinux_2_17_x86_64", "manylinux2014_x86_64"), w.platformTags());
        assertEquals(Set.of(Tag.parseSingle("cp311-cp311-manylinux_2_17_x86_64"), Tag.parseSingle("cp311-cp311-manylinux2014_x86_64")),
                w.tags());
        assertEquals("neuron_nightly-9.0a1.dev1234.dist-info", w.distInfoDirectory());
        assertEquals("neuron_nightly-9.0a1.dev1234.data", w.dataDirectory());
        assertEquals("neuron_nightly-9.0a1.dev1234-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", w.toString());
    }

    @Test
    void canonicalFormNormalisesNameAndVersion() {
        WheelFileName w = WheelFileName.parse("Foo.Bar-1.0RC1-1local-py2.py3-none-any.whl");
        assertEquals("foo_bar-1.0rc1-1local-py2.py3-none-any.whl", w.toString());
        assertEquals(Optional.of("1local"), w.buildTag());
        assertEquals(2, w.tags().size());
    }

    @Test
    void derivesRenamedAndRetaggedNames() {
        WheelFileName w = WheelFileName.parse("neuron-9.0.0-cp312-cp312-linux_x86_64.whl");
        assertEquals("neuron_gpu_nightly-9.0.0-cp312-cp312-linux_x86_64.whl",
                w.withDistribution("neuron-gpu-nightly").toString());
        assertEquals("neuron-9.0.1.dev3-cp312-cp312-linux_x86_64.whl",
                w.withVersion(Version.parse("9.0.1-dev3")).toString());
        assertEquals("neuron-9.0.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                w.withPlatformTags(List.of("manylinux_2_17_x86_64", "manylinux2014_x86_64")).toString());
        assertEquals("neuron-9.0.0-7-cp312-cp312-linux_x86_64.whl", w.withBuildTag("7").toString());
        assertThrows(IllegalArgumentException.class, () -> w.withDistribution("bad name"));
        assertThrows(IllegalArgumentException.class, () -> w.withPlatformTags(List.of()));
        assertThrows(IllegalArgumentException.class, () -> w.withBuildTag("x7"));
        assertEquals(w, WheelFileName.parse(w.toString()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "foo-1.0-py3-none-any.zip|EXTENSION|extension",
        "foo-1.0-py3-none.whl|PARTS|found 3",
        "foo-bar-1.0-1-py3-none-any.whl|PARTS|found 6",
        "foo__bar-1.0-py3-none-any.whl|NAME|invalid project name",
        "foo+bar-1.0-py3-none-any.whl|NAME|invalid project name",
        "-1.0-0-py3-none-any.whl|NAME|invalid project name",
        "foo-1.0.x-py3-none-any.whl|VERSION|invalid version",
        "foo-1.0-x1-py3-none-any.whl|BUILD_TAG|build tag",
        "foo-1.0-py3..py2-none-any.whl|TAGS|empty component",
        "foo-1.0-3py-none-any.whl|TAGS|not an identifier",
    })
    void rejectsWithTheReason(String filename, InvalidWheelFileNameException.Reason reason, String detail) {
        InvalidWheelFileNameException e = assertThrows(InvalidWheelFileNameException.class, () -> WheelFileName.parse(filename));
        assertEquals(reason, e.reason());
        assertEquals(filename, e.filename());
        assertTrue(e.getMessage().contains(filename), e.getMessage());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    @Test
    void buildsFromParts() {
        WheelFileName w = WheelFileName.of("hello-ext", Version.parse("0.1"), null,
                List.of("cp311"), List.of("cp311"), List.of("linux_x86_64"));
        assertEquals("hello_ext-0.1-cp311-cp311-linux_x86_64.whl", w.toString());
        assertEquals("cp311-cp311-linux_x86_64", w.compressedTags());
    }
}
