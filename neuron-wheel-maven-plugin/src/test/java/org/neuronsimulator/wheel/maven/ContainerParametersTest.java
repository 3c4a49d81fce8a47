package org.neuronsimulator.wheel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.builder.container.BuildVariant;

/** How the build and image goals turn their container parameters into core values. */
class ContainerParametersTest {

    @Test
    void variantsComeFromTheConfigurationOrStandForThemselves() {
        BuildMojo mojo = new BuildMojo();
        mojo.variant = "coreneuron-gpu";
        BuildVariant bare = mojo.selectVariant();
        assertEquals(List.of("coreneuron-gpu"), bare.arguments());

        BuildVariantConfig gpu = new BuildVariantConfig();
        gpu.name = "coreneuron-gpu";
        gpu.environment = Map.of("NRN_ENABLE_GPU", "ON");
        BuildVariantConfig cpu = new BuildVariantConfig();
        cpu.name = "coreneuron";
        mojo.variants = List.of(cpu, gpu);
        BuildVariant configured = mojo.selectVariant();
        assertEquals(List.of(), configured.arguments());
        assertEquals(Map.of("NRN_ENABLE_GPU", "ON"), configured.environment());

        mojo.variant = "cuda";
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, mojo::selectVariant);
        assertTrue(unknown.getMessage().contains("coreneuron, coreneuron-gpu"), unknown::getMessage);
    }

    @Test
    void timeoutsTakeAUnitAndFallBackToMinutes() {
        BuildMojo mojo = new BuildMojo();
        mojo.timeoutMinutes = 60;
        assertEquals(Duration.ofMinutes(60), mojo.buildTimeout());
        mojo.timeout = "90s";
        assertEquals(Duration.ofSeconds(90), mojo.buildTimeout());
        mojo.timeout = "2h";
        assertEquals(Duration.ofHours(2), mojo.buildTimeout());
        mojo.timeout = "soon";
        assertThrows(IllegalArgumentException.class, mojo::buildTimeout);
    }

    @Test
    void listParametersAlsoSplitAtCommas() {
        assertEquals(List.of("MPI_HOME", "CC", "/a:/b"), BuildMojo.splitList(List.of("MPI_HOME, CC", " /a:/b ")));
        assertEquals(List.of(), BuildMojo.splitList(null));
    }

    @Test
    void registriesAreTakenFromImageNames() {
        assertEquals("quay.io", ImageMojo.registryOf("quay.io/pypa/manylinux2014_x86_64:latest"));
        assertEquals("localhost:5000", ImageMojo.registryOf("localhost:5000/neuron_wheel:1"));
        assertNull(ImageMojo.registryOf("neuronsimulator/neuron_wheel:latest-x86_64"));
        assertNull(ImageMojo.registryOf("ubuntu"));
    }
}
