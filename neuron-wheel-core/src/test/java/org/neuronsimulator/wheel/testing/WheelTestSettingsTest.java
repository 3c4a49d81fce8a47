package org.neuronsimulator.wheel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.InvalidSettingException;

class WheelTestSettingsTest {

    private final WheelTestSettings settings = new WheelTestSettings(Path.of("p"), Path.of("w"), Path.of("r"));

    @Test
    void aFullVariantNameOverridesItsKind() {
        settings.variantEnvironment(Map.of(
                "mpi", Map.of("NRN_MPI", "generic", "SHARED", "kind"),
                "mpi[mpiexec.openmpi -n 2]", Map.of("NRN_MPI", "openmpi")));
        assertEquals(Map.of("NRN_MPI", "openmpi", "SHARED", "kind"),
                settings.environmentOf("mpi", "mpi[mpiexec.openmpi -n 2]"));
        assertEquals(Map.of("NRN_MPI", "generic", "SHARED", "kind"),
                settings.environmentOf("mpi", "mpi[mpiexec -n 2]"));
        assertEquals(Map.of(), settings.environmentOf("serial", "serial"));
    }

    @Test
    void pomEntriesOfOneVariantMergeAndAnEntryWithoutVariantIsRefused() {
        settings.variantEnvironment(List.<Map.Entry<String, Map<String, String>>>of(
                new AbstractMap.SimpleEntry<>(" gpu ", Map.of("A", "1", "B", "1")),
                new AbstractMap.SimpleEntry<>("gpu", Map.of("B", "2")),
                new AbstractMap.SimpleEntry<>("serial", null)));
        assertEquals(Map.of("A", "1", "B", "2"), settings.environmentOf("gpu", "gpu"));
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> settings.variantEnvironment(
                List.<Map.Entry<String, Map<String, String>>>of(new AbstractMap.SimpleEntry<>(null, Map.of("A", "1")))));
        assertEquals("variantEnvironments", e.setting());
    }

    @Test
    void theTimeoutInMinutesMustBePositive() {
        assertEquals(Duration.ofMinutes(5), settings.timeoutMinutes(5).timeout());
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> settings.timeoutMinutes(0));
        assertEquals("neuron.test.timeoutMinutes must be positive, not 0", e.getMessage());
    }

    @Test
    void blankEntriesAreDroppedAndDefaultsHold() {
        settings.commands(Arrays.asList(" {python} -c 1 ", "", null, "  "));
        assertEquals(List.of("{python} -c 1"), settings.commands());
        assertEquals(List.of("mpiexec -n 2"), settings.mpiLaunchers());
        assertEquals("nvidia-smi -L", settings.gpuProbe(" ").gpuProbe());
        assertThrows(IllegalArgumentException.class, () -> settings.timeout(Duration.ZERO));
    }

    @Test
    void aRequirementFromAPlainHttpIndexTrustsThatHostOnly() {
        assertEquals(List.of("--index-url", "http://127.0.0.1:8080/simple/", "--trusted-host", "127.0.0.1", "neuron==8.2.0"),
                TestSubject.requirement("neuron==8.2.0", "http://127.0.0.1:8080/simple/").pipArguments());
        assertEquals(List.of("--index-url", "https://test.pypi.org/simple/", "NEURON==7.8.11.2"),
                TestSubject.requirement("NEURON==7.8.11.2", "https://test.pypi.org/simple/").pipArguments());
        assertEquals(List.of("neuron-nightly>=9"), TestSubject.requirement("neuron-nightly>=9", " ").pipArguments());
        assertEquals("neuron-nightly", TestSubject.requirement("neuron-nightly>=9", null).requirementName());
    }
}
