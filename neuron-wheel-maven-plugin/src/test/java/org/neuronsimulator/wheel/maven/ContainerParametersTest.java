package org.neuronsimulator.wheel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** How the image goal takes registries from image names. */
class ContainerParametersTest {

    @Test
    void registriesAreTakenFromImageNames() {
        assertEquals("quay.io", ImageMojo.registryOf("quay.io/pypa/manylinux2014_x86_64:latest"));
        assertEquals("localhost:5000", ImageMojo.registryOf("localhost:5000/neuron_wheel:1"));
        assertNull(ImageMojo.registryOf("neuronsimulator/neuron_wheel:latest-x86_64"));
        assertNull(ImageMojo.registryOf("ubuntu"));
    }
}
