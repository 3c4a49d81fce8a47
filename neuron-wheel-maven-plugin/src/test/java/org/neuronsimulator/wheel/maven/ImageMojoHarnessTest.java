package org.neuronsimulator.wheel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.verify;

import java.util.List;
import java.util.Map;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/** The image goal as Maven configures it from a test pom and the command line; Docker is never asked. */
@MojoTest
@Basedir("/harness/image")
class ImageMojoHarnessTest extends HarnessMojoTest {

    @Test
    @InjectMojo(goal = "image")
    void defaultsNameTheProjectsFolder(ImageMojo mojo) {
        assertEquals(projectFile("Dockerfile"), mojo.dockerfile);
        assertEquals(projectDirectory.toFile(), mojo.contextDirectory);
        assertEquals(List.of(), mojo.tags);
        assertEquals(Map.of(), mojo.buildArgs);
        assertEquals(List.of(), mojo.manifestImages);
        assertNull(mojo.manifest);
        assertNull(mojo.serverId);
        assertNull(mojo.network);
        assertFalse(mojo.pullBase || mojo.noCache || mojo.push || mojo.skip || mojo.offline);
    }

    @Test
    @InjectMojo(goal = "image")
    @UserProperty(name = "neuron.image.dockerfile", value = "docker/Dockerfile.aarch64")
    @UserProperty(name = "neuron.image.context", value = "docker")
    @UserProperty(name = "neuron.image.tags", value = "neuronsimulator/neuron_wheel:latest-aarch64,neuronsimulator/neuron_wheel:9-aarch64")
    @UserProperty(name = "neuron.image.buildArgs", value = "MANYLINUX_IMAGE=manylinux2014_aarch64")
    @UserProperty(name = "neuron.image.pull", value = "true")
    @UserProperty(name = "neuron.image.noCache", value = "true")
    @UserProperty(name = "neuron.image.network", value = "host")
    @UserProperty(name = "neuron.image.push", value = "true")
    @UserProperty(name = "neuron.image.serverId", value = "docker-hub")
    @UserProperty(name = "neuron.image.manifest", value = "neuronsimulator/neuron_wheel:latest")
    @UserProperty(name = "neuron.docker.platform", value = "linux/arm64")
    void userPropertiesSetTheParameters(ImageMojo mojo) {
        assertEquals(projectFile("docker/Dockerfile.aarch64"), mojo.dockerfile);
        assertEquals(projectFile("docker"), mojo.contextDirectory);
        assertEquals(List.of("neuronsimulator/neuron_wheel:latest-aarch64", "neuronsimulator/neuron_wheel:9-aarch64"),
                mojo.tags);
        assertEquals(List.of("MANYLINUX_IMAGE=manylinux2014_aarch64"), mojo.buildArgList);
        assertTrue(mojo.pullBase && mojo.noCache && mojo.push);
        assertEquals("host", mojo.network);
        assertEquals("docker-hub", mojo.serverId);
        assertEquals("neuronsimulator/neuron_wheel:latest", mojo.manifest);
        assertEquals("linux/arm64", mojo.dockerPlatform);
    }

    @Test
    @InjectMojo(goal = "image", pom = "configured-pom.xml")
    void pomConfigurationAndExpressions(ImageMojo mojo) {
        assertEquals(projectFile("docker/Dockerfile"), mojo.dockerfile);
        assertEquals(projectFile("docker"), mojo.contextDirectory);
        assertEquals(List.of("neuronsimulator/neuron_wheel:latest-x86_64"), mojo.tags);
        assertEquals(Map.of("MANYLINUX_IMAGE", "manylinux2014_x86_64"), mojo.buildArgs);
    }

    @Test
    @InjectMojo(goal = "image")
    void noTagAndNoManifestFails(ImageMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("neuron.image.tags names no image to build (e.g. neuronsimulator/neuron_wheel:latest-x86_64),"
                + " and neuron.image.manifest no manifest list to push", failure.getMessage());
    }

    @Test
    @InjectMojo(goal = "image")
    @UserProperty(name = "neuron.image.tags", value = "neuron-wheel-test/harness:1")
    @UserProperty(name = "neuron.image.buildArgs", value = "MANYLINUX_IMAGE")
    void aBuildArgumentWithoutValueFails(ImageMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("neuron.image.buildArgs: 'MANYLINUX_IMAGE' is not NAME=value", failure.getMessage());
    }

    @Test
    @InjectMojo(goal = "image")
    @UserProperty(name = "neuron.image.tags", value = "neuron-wheel-test/harness:1")
    @UserProperty(name = "neuron.image.push", value = "true")
    @UserProperty(name = "neuron.image.serverId", value = "docker-hub")
    void aServerIdMissingFromSettingsFails(ImageMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("neuron.image.serverId=docker-hub but settings.xml has no <server> with that id", failure.getMessage());
    }

    @Test
    @InjectMojo(goal = "image")
    @Offline
    @UserProperty(name = "neuron.image.tags", value = "neuron-wheel-test/harness:1")
    @UserProperty(name = "neuron.image.push", value = "true")
    void offlineRefusesToPush(ImageMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("neuron.image.push needs the network, but Maven runs offline (-o)", failure.getMessage());
    }

    @Test
    @InjectMojo(goal = "image")
    @Offline
    @UserProperty(name = "neuron.image.manifest", value = "neuron-wheel-test/harness:latest")
    @UserProperty(name = "neuron.image.manifestImages", value = "neuron-wheel-test/harness:1-x86_64")
    void offlineRefusesToPushAManifestList(ImageMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("neuron.image.manifest needs the network, but Maven runs offline (-o)", failure.getMessage());
    }

    @Test
    @InjectMojo(goal = "image")
    @UserProperty(name = "neuron.skip", value = "true")
    void neuronSkipReturnsBeforeAnyCheck(ImageMojo mojo) throws Exception {
        mojo.execute(); // no tag: without the skip this fails
        verify(log).info("neuron.skip is set: no image built");
    }
}
