package org.neuronsimulator.wheel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.util.List;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/** The config goal as Maven configures it: the pom and command line over the test project's pyproject.toml. */
@MojoTest
@Basedir("/harness/config")
class ConfigMojoHarnessTest extends HarnessMojoTest {

    @Test
    @InjectMojo(goal = "config")
    void defaults(ConfigMojo mojo) {
        assertEquals(projectDirectory.toFile(), mojo.sourceDirectory);
        assertNull(mojo.buildFrontend);
        assertEquals(List.of(), mojo.excludes);
        assertEquals(List.of(), mojo.requirements);
        assertNull(mojo.platform);
        assertNull(mojo.repairSkip);
        assertNull(mojo.testImage);
        assertFalse(mojo.skip);
    }

    @Test
    @InjectMojo(goal = "config")
    @UserProperty(name = "neuron.sourceDirectory", value = "python")
    @UserProperty(name = "neuron.network", value = "none")
    @UserProperty(name = "neuron.exclude", value = "libgomp.so.1")
    @UserProperty(name = "neuron.test.image", value = "quay.io/pypa/manylinux2014_x86_64")
    void printsEachSettingWithItsOrigin(ConfigMojo mojo) throws Exception {
        assertEquals(projectFile("python"), mojo.sourceDirectory);
        assertEquals(List.of("libgomp.so.1"), mojo.excludes);
        mojo.execute();
        verify(log).info("Effective settings of " + projectFile("python") + " (pom, else pyproject.toml, else default):");
        verify(log).info(argThat((CharSequence line) -> line.toString().matches(
                "\\s+neuron\\.image\\s+quay\\.io/pypa/manylinux_2_28_x86_64  <- pyproject\\.toml .*")));
        verify(log).info(argThat((CharSequence line) -> line.toString().matches("\\s+neuron\\.network\\s+none  <- pom \\(neuron\\.network\\)")));
        verify(log).info(argThat((CharSequence line) -> line.toString().matches(
                "\\s+neuron\\.test\\.image\\s+quay\\.io/pypa/manylinux2014_x86_64  <- pom \\(neuron\\.test\\.image\\)")));
    }

    @Test
    @InjectMojo(goal = "config")
    @UserProperty(name = "neuron.sourceDirectory", value = "broken")
    void aWrongPyprojectValueFailsNamingTheFileAndKey(ConfigMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(failure.getMessage().startsWith(projectFile("broken/pyproject.toml")
                + " [tool.cibuildwheel] before-all must be"), failure.getMessage());
    }

    @Test
    @InjectMojo(goal = "config")
    @UserProperty(name = "neuron.skip", value = "true")
    @UserProperty(name = "neuron.sourceDirectory", value = "broken")
    void neuronSkipReturnsBeforeAnyCheck(ConfigMojo mojo) throws Exception {
        mojo.execute();
        verify(log).info("neuron.skip is set: no settings printed");
        verify(log, never()).info(argThat((CharSequence line) -> line.toString().startsWith("Effective settings")));
        verify(log, never()).warn(anyString());
    }
}
