package org.neuronsimulator.wheel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/** Parameter combinations of the test and image goals that are refused before any work starts. */
class ClusterAndManifestParametersTest {

    @Test
    void anAllocationDoesNotCombineWithATestImage() throws IOException {
        Path dir = Files.createDirectories(Path.of("target/cluster-parameters").toAbsolutePath());
        Path wheelhouse = Files.createDirectories(dir.resolve("wheelhouse"));
        Files.write(wheelhouse.resolve("sample-1.0-py3-none-any.whl"), new byte[0]);
        TestMojo mojo = new TestMojo();
        mojo.projectDirectory = dir.toFile();
        mojo.workDirectory = dir.resolve("envs").toFile();
        mojo.reportsDirectory = dir.resolve("reports").toFile();
        mojo.wheelhouse = wheelhouse.toFile();
        mojo.timeoutMinutes = 30;
        mojo.testImage = "quay.io/pypa/manylinux2014_aarch64";
        mojo.allocation = "salloc -N1 -n2";
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("neuron.test.allocation and neuron.test.modules run the tests on this machine; they do not combine"
                + " with neuron.test.image", e.getMessage());
    }

    @Test
    void aManifestListNeedsItsImagesPushedAndSomethingToDo() {
        ImageMojo mojo = new ImageMojo(null);
        mojo.contextDirectory = new File(".");
        mojo.dockerfile = new File("Dockerfile");
        mojo.tags = List.of("neuronsimulator/neuron_wheel:latest-aarch64");
        mojo.manifest = "neuronsimulator/neuron_wheel:latest";
        MojoFailureException notPushed = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("neuron.image.manifest lists images of the registry: set neuron.image.push=true so that the images"
                + " built here get there first", notPushed.getMessage());

        mojo.tags = List.of();
        mojo.manifest = null;
        MojoFailureException nothing = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("neuron.image.tags names no image to build (e.g. neuronsimulator/neuron_wheel:latest-x86_64), and"
                + " neuron.image.manifest no manifest list to push", nothing.getMessage());
    }
}
