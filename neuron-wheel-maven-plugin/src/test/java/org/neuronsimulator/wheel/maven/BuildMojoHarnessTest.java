package org.neuronsimulator.wheel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.builder.container.BuildVariant;
import org.neuronsimulator.wheel.builder.container.PullPolicy;

/** The build goal as Maven configures it from a test pom and the command line; nothing is built. */
@MojoTest
@Basedir("/harness/build")
class BuildMojoHarnessTest extends HarnessMojoTest {

    @Test
    @InjectMojo(goal = "build")
    void defaultsNameTheProjectsFolders(BuildMojo mojo) {
        assertEquals(projectDirectory.toFile(), mojo.sourceDirectory);
        assertEquals(projectFile("target/raw-wheels"), mojo.rawWheelDirectory);
        assertEquals(projectFile("target/image-root"), mojo.imageLibraryDirectory);
        assertEquals(60, mojo.timeoutMinutes);
        assertEquals(Duration.ofMinutes(60), mojo.settings().timeout());
        assertEquals(1, mojo.parallel);
        assertEquals("missing", mojo.pull);
        assertEquals("neuron-wheel-pip-cache", mojo.pipCache);
        assertEquals(BuildVariant.NONE, mojo.settings().variant());
        assertNull(mojo.python);
        assertNull(mojo.image);
        assertNull(mojo.dockerHost);
        assertFalse(mojo.keepContainer);
        assertFalse(mojo.mountExtraInputs);
        assertFalse(mojo.offline);
        assertFalse(mojo.skip);
    }

    @Test
    @InjectMojo(goal = "build")
    @UserProperty(name = "neuron.python", value = "3.11,cp312")
    @UserProperty(name = "neuron.sourceDirectory", value = "/srv/nrn")
    @UserProperty(name = "neuron.rawWheelDirectory", value = "/tmp/raw")
    @UserProperty(name = "neuron.image", value = "manylinux_2_28")
    @UserProperty(name = "neuron.build.timeout", value = "90s")
    @UserProperty(name = "neuron.parallel", value = "3")
    @UserProperty(name = "neuron.pull", value = "always")
    @UserProperty(name = "neuron.buildPatterns", value = "cp31?-*,cp39-*")
    @UserProperty(name = "neuron.docker.host", value = "tcp://127.0.0.1:2375")
    @UserProperty(name = "neuron.docker.platform", value = "linux/arm64")
    @UserProperty(name = "neuron.network", value = "none")
    @UserProperty(name = "neuron.keepContainer", value = "true")
    @UserProperty(name = "neuron.variant", value = "coreneuron")
    void userPropertiesSetTheParameters(BuildMojo mojo) {
        assertEquals("3.11,cp312", mojo.python);
        assertEquals(new java.io.File("/srv/nrn"), mojo.sourceDirectory);
        assertEquals(new java.io.File("/tmp/raw"), mojo.rawWheelDirectory);
        assertEquals("manylinux_2_28", mojo.image);
        assertEquals(Duration.ofSeconds(90), mojo.settings().timeout());
        assertEquals(3, mojo.parallel);
        assertEquals(PullPolicy.ALWAYS, mojo.pullPolicy("manylinux_2_28"));
        assertEquals(List.of("cp31?-*", "cp39-*"), mojo.buildPatterns);
        assertEquals("tcp://127.0.0.1:2375", mojo.dockerHost);
        assertEquals("linux/arm64", mojo.dockerPlatform);
        assertEquals("none", mojo.network);
        assertTrue(mojo.keepContainer);
        // without configured variants the name is the build argument
        assertEquals(new BuildVariant("coreneuron", List.of("coreneuron"), Map.of()), mojo.settings().variant());
    }

    @Test
    @InjectMojo(goal = "build", pom = "configured-pom.xml")
    void pomConfigurationAndExpressions(BuildMojo mojo) {
        assertEquals(projectFile("python"), mojo.sourceDirectory);
        assertEquals(projectFile("target/wheels-raw"), mojo.rawWheelDirectory);
        assertEquals(Map.of("NRN_ENABLE_CORENEURON", "ON"), mojo.environment);
        assertEquals(List.of("/opt/nvidia:/nvhpc"), mojo.extraInputs);
        assertEquals(new BuildVariant("gpu", List.of("coreneuron-gpu"), Map.of("NRN_ENABLE_GPU", "ON")),
                mojo.settings().variant());
    }

    @Test
    @InjectMojo(goal = "build")
    @Offline
    @UserProperty(name = "neuron.pull", value = "always")
    void offlineNeverPulls(BuildMojo mojo) {
        assertTrue(mojo.offline);
        assertEquals(PullPolicy.NEVER, mojo.pullPolicy("quay.io/pypa/manylinux_2_28_x86_64"));
        verify(log).info("offline (-o): the image quay.io/pypa/manylinux_2_28_x86_64 is not pulled; it must be present");
    }

    @Test
    @InjectMojo(goal = "build")
    @UserProperty(name = "neuron.build.timeout", value = "soon")
    void aTimeoutWithoutUnitFailsBeforeAnyBuild(BuildMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("neuron.build.timeout: 'soon' is not a duration like 90s, 20m or 2h", failure.getMessage());
        assertFalse(projectFile("target/raw-wheels").exists());
    }

    @Test
    @InjectMojo(goal = "build")
    @UserProperty(name = "neuron.image", value = "quay.io/pypa/manylinux_2_28_x86_64")
    @UserProperty(name = "neuron.pull", value = "sometimes")
    void anUnknownPullPolicyFailsBeforeDockerIsAsked(BuildMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("neuron.pull: 'sometimes' is not a pull policy (always, missing, never)", failure.getMessage());
    }

    @Test
    @InjectMojo(goal = "build")
    @UserProperty(name = "neuron.skip", value = "true")
    @UserProperty(name = "neuron.build.timeout", value = "soon")
    void neuronSkipReturnsBeforeAnyCheck(BuildMojo mojo) throws Exception {
        assertTrue(mojo.skip);
        mojo.execute();
        verify(log).info("neuron.skip is set: no wheels built");
        assertFalse(projectFile("target/raw-wheels").exists());
    }
}
