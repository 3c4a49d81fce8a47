package org.neuronsimulator.wheel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.verify;

import java.io.File;
import java.time.Duration;
import java.util.List;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/** The test goal as Maven configures it from a test pom and the command line; no Python, pip or Docker runs. */
@MojoTest
@Basedir("/harness/test")
class TestMojoHarnessTest extends HarnessMojoTest {

    @Test
    @InjectMojo(goal = "test")
    void defaultsNameTheProjectsFolders(TestMojo mojo) {
        assertEquals(projectFile("target/wheelhouse"), mojo.wheelhouse);
        assertEquals(projectFile("target/wheel-test-reports"), mojo.reportsDirectory);
        assertEquals(projectFile("target/wheel-test-envs"), mojo.workDirectory);
        assertEquals(projectDirectory.toFile(), mojo.projectDirectory);
        assertEquals(projectDirectory.toFile(), mojo.sourceDirectory);
        assertEquals(projectDirectory.toFile(), mojo.executionRoot); // ${session.executionRootDirectory}
        assertEquals(30, mojo.timeoutMinutes);
        assertEquals(List.of("mpiexec -n 2"), mojo.mpiLaunchers);
        assertEquals("nvidia-smi -L", mojo.gpuProbe);
        assertEquals("missing", mojo.pull);
        assertEquals(List.of(), mojo.requirements);
        assertNull(mojo.requirement);
        assertNull(mojo.index);
        assertNull(mojo.testImage);
        assertFalse(mojo.failureIgnore);
        assertFalse(mojo.keepEnvironments);
        assertFalse(mojo.skip || mojo.skipTests || mojo.skipITs || mojo.mavenTestSkip);
        assertFalse(mojo.offline);
    }

    @Test
    @InjectMojo(goal = "test")
    @UserProperty(name = "neuron.wheelhouse", value = "dist")
    @UserProperty(name = "neuron.python", value = "3.12")
    @UserProperty(name = "neuron.test.requirements", value = "pytest,numpy<2")
    @UserProperty(name = "neuron.test.requirement", value = "neuron==8.2.0")
    @UserProperty(name = "neuron.test.index", value = "https://test.pypi.org/simple/")
    @UserProperty(name = "neuron.test.pipOptions", value = "--no-index,--find-links=/wheels")
    @UserProperty(name = "neuron.test.mpiLaunchers", value = "srun -n 2")
    @UserProperty(name = "neuron.test.timeoutMinutes", value = "5")
    @UserProperty(name = "neuron.test.failureIgnore", value = "true")
    @UserProperty(name = "neuron.test.image", value = "quay.io/pypa/manylinux_2_28_x86_64")
    @UserProperty(name = "neuron.test.reportsDirectory", value = "/tmp/reports")
    @UserProperty(name = "neuron.test.allocation", value = "salloc -N1 -n2")
    @UserProperty(name = "neuron.test.allocationWaitMinutes", value = "3")
    @UserProperty(name = "neuron.test.modules", value = "python/3.11,hpe-mpi")
    void userPropertiesSetTheParameters(TestMojo mojo) {
        assertEquals(projectFile("dist"), mojo.wheelhouse);
        assertEquals("3.12", mojo.python);
        assertEquals(List.of("pytest", "numpy<2"), mojo.requirements);
        assertEquals("neuron==8.2.0", mojo.requirement);
        assertEquals("https://test.pypi.org/simple/", mojo.index);
        assertEquals(List.of("--no-index", "--find-links=/wheels"), mojo.pipOptions);
        assertEquals(List.of("srun -n 2"), mojo.mpiLaunchers);
        assertEquals(5, mojo.timeoutMinutes);
        assertTrue(mojo.failureIgnore);
        assertEquals("quay.io/pypa/manylinux_2_28_x86_64", mojo.testImage);
        assertEquals(new File("/tmp/reports"), mojo.reportsDirectory);
        assertEquals("salloc -N1 -n2", mojo.allocation);
        assertEquals(Duration.ofMinutes(3), mojo.clusterOptions().allocationWait());
        assertEquals(List.of("python/3.11", "hpe-mpi"), mojo.modules);
    }

    @Test
    @InjectMojo(goal = "test")
    void aMissingWheelhouseFailsBeforeAnyPythonIsLookedFor(TestMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("neuron.wheelhouse: " + projectFile("target/wheelhouse") + " is not a folder; build the wheels"
                + " first or name a release with neuron.test.requirement", failure.getMessage());
        assertFalse(projectFile("target/wheel-test-envs").exists());
    }

    @Test
    @InjectMojo(goal = "test")
    @UserProperty(name = "neuron.test.timeoutMinutes", value = "0")
    void aTimeLimitOfZeroFails(TestMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("neuron.test.timeoutMinutes must be positive, not 0", failure.getMessage());
    }

    @Test
    @InjectMojo(goal = "test")
    @Offline
    @UserProperty(name = "neuron.test.requirement", value = "neuron==8.2.0")
    @UserProperty(name = "neuron.test.index", value = "https://test.pypi.org/simple/")
    void offlineRefusesARemoteIndex(TestMojo mojo) {
        assertTrue(mojo.offline);
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("the run is offline (-o) but neuron.test.index=https://test.pypi.org/simple/ needs the network;"
                + " run online or name a file:// or loopback index", failure.getMessage());
    }

    @Test
    @InjectMojo(goal = "test")
    @Offline
    @UserProperty(name = "neuron.test.requirement", value = "neuron==8.2.0")
    @UserProperty(name = "neuron.test.index", value = "http://127.0.0.1:8080/simple/")
    @UserProperty(name = "neuron.test.image", value = "quay.io/pypa/manylinux_2_28_x86_64")
    @UserProperty(name = "neuron.test.allocation", value = "salloc -N1 -n2")
    void offlineAcceptsALoopbackIndex(TestMojo mojo) {
        // the index passes the offline check; the run then stops at the next check, before any work
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("neuron.test.allocation and neuron.test.modules run the tests on this machine; they do not"
                + " combine with neuron.test.image", failure.getMessage());
    }

    @Test
    @InjectMojo(goal = "test")
    @UserProperty(name = "neuron.skip", value = "true")
    void neuronSkipReturnsBeforeAnyCheck(TestMojo mojo) throws Exception {
        mojo.execute(); // the wheelhouse is missing: without the skip this fails
        verify(log).info("neuron.skip is set: wheel tests skipped");
    }

    @Test
    @InjectMojo(goal = "test")
    @UserProperty(name = "neuron.test.skip", value = "true")
    void neuronTestSkipReturnsBeforeAnyCheck(TestMojo mojo) throws Exception {
        mojo.execute();
        verify(log).info("neuron.test.skip is set: wheel tests skipped");
    }

    @Test
    @InjectMojo(goal = "test")
    @UserProperty(name = "skipITs", value = "true")
    void skipITsReturnsBeforeAnyCheck(TestMojo mojo) throws Exception {
        mojo.execute();
        verify(log).info("skipITs is set: wheel tests skipped");
    }

    @Test
    @InjectMojo(goal = "test")
    @UserProperty(name = "maven.test.skip", value = "true")
    void mavenTestSkipReturnsBeforeAnyCheck(TestMojo mojo) throws Exception {
        mojo.execute();
        verify(log).info("maven.test.skip is set: wheel tests skipped");
    }
}
