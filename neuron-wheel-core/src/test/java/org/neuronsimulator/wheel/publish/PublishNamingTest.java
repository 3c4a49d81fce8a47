package org.neuronsimulator.wheel.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.model.Version;

class PublishNamingTest {

    private static final String DATE = PublishNaming.dateNumber(LocalDate.of(2026, 11, 21));

    @Test
    void nightlyNamesAndVersions() {
        PublishNaming nightly = PublishNaming.nightly(false, "-nightly", "-gpu", DATE, null);
        assertEquals("20261121", DATE);
        assertEquals("neuron-nightly", nightly.targetName("neuron"));
        assertEquals("NEURON-nightly", nightly.targetName("NEURON"));
        assertEquals("neuron_nightly", nightly.targetName("neuron_nightly"));
        assertEquals(Version.parse("9.0.0.dev20261121"), nightly.targetVersion(Version.parse("9.0.0"), "w"));
        assertEquals(Version.parse("9.0a1.dev20261121"), nightly.targetVersion(Version.parse("9.0a1.dev4+g1234"), "w"));
        PublishNaming gpu = PublishNaming.nightly(true, "-nightly", "-gpu", "1234", null);
        assertEquals("neuron-gpu-nightly", gpu.targetName("neuron"));
        assertEquals("neuron-gpu-nightly", gpu.targetName("neuron-gpu"));
        assertEquals(Version.parse("9.0.0.dev1234"), gpu.targetVersion(Version.parse("9.0.0"), "w"));
        PublishNaming explicit = PublishNaming.nightly(false, "-nightly", "-gpu", DATE, "9.1.dev7");
        assertEquals(Version.parse("9.1.dev7"), explicit.targetVersion(Version.parse("9.0.0"), "w"));
    }

    @Test
    void releaseNamesAndVersions() {
        PublishNaming release = PublishNaming.release(false, "-gpu");
        assertEquals("neuron", release.targetName("neuron"));
        assertEquals(Version.parse("9.0.1"), release.targetVersion(Version.parse("9.0.1"), "w"));
        assertEquals(Version.parse("9.0rc1"), release.targetVersion(Version.parse("9.0rc1"), "w"));
        assertEquals("neuron-gpu", PublishNaming.release(true, "-gpu").targetName("neuron"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> release.targetVersion(Version.parse("9.0.0.dev5"), "neuron-9.0.0.dev5-py3-none-any.whl"))
                .getMessage().contains("neuron-9.0.0.dev5-py3-none-any.whl: version 9.0.0.dev5 is a development version"));
    }

    @Test
    void badInput() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PublishNaming.nightly(false, "-nightly", "-gpu", "12a", null))
                .getMessage().contains("must be digits"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PublishNaming.nightly(false, "-nightly", "-gpu", "1", "9.0+x"))
                .getMessage().contains("local part"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PublishNaming.nightly(false, "-nightly", "-gpu", "1", "nope"))
                .getMessage().contains("not a PEP 440 version"));
    }

    @Test
    void aNightlyWithoutABuildNumberIsNumberedByTheDate() {
        LocalDate day = LocalDate.of(2026, 11, 26);
        assertEquals(20261126, PublishNaming.nightly(false, "-nightly", "-gpu", null, null, day).devNumber());
        assertEquals(20261126, PublishNaming.nightly(false, "-nightly", "-gpu", " ", null, day).devNumber());
        assertEquals(412, PublishNaming.nightly(false, "-nightly", "-gpu", " 412 ", null, day).devNumber());
    }
}
