package org.neuronsimulator.wheel.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.builder.container.ImageBuilder;

/** What an image release refuses before any engine is asked, and where its pushes go. */
class ImageReleaseTest {

    private static ImageBuilder.Request build(List<String> tags) {
        return new ImageBuilder.Request(Path.of("docker"), Path.of("docker/Dockerfile"), Map.of(), tags, null, false, false, null);
    }

    @Test
    void registriesAreTakenFromImageNames() {
        assertEquals("quay.io", ImageRelease.registryOf("quay.io/pypa/manylinux2014_x86_64:latest"));
        assertEquals("localhost:5000", ImageRelease.registryOf("localhost:5000/neuron_wheel:1"));
        assertNull(ImageRelease.registryOf("neuronsimulator/neuron_wheel:latest-x86_64"));
        assertNull(ImageRelease.registryOf("ubuntu"));
    }

    @Test
    void somethingMustBeBuiltOrListed() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new ImageRelease.Settings(build(List.of()), false, " ", List.of(), null, null));
        assertEquals("neuron.image.tags", e.setting());
    }

    @Test
    void aListOfImagesBuiltHereNeedsThemPushed() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> new ImageRelease.Settings(
                build(List.of("neuronsimulator/neuron_wheel:latest-x86_64")), false, "neuronsimulator/neuron_wheel:latest",
                List.of(), null, null));
        assertEquals("neuron.image.push", e.setting());
    }

    @Test
    void theListNamesTheTagsUnlessToldOtherwise() {
        ImageRelease.Settings pushed = new ImageRelease.Settings(build(List.of("n/w:latest-x86_64")), true, " n/w:latest ",
                List.of(), null, null);
        assertEquals("n/w:latest", pushed.manifest());
        assertEquals(List.of("n/w:latest-x86_64"), pushed.listed());
        assertTrue(pushed.needsNetwork());
        ImageRelease.Settings local = new ImageRelease.Settings(build(List.of("n/w:1")), false, null, List.of(), null, null);
        assertFalse(local.needsNetwork());
        assertEquals(List.of("n/w:1-aarch64"), new ImageRelease.Settings(build(List.of()), false, "n/w:1",
                List.of("n/w:1-aarch64"), null, null).listed());
    }
}
