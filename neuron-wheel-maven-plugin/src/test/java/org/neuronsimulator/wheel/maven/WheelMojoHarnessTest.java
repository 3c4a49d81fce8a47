package org.neuronsimulator.wheel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.verify;

import java.io.File;
import java.util.List;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.repair.RepairOptions;

/** The wheel goal as Maven configures it from a test pom and the command line; no wheel is written. */
@MojoTest
@Basedir("/harness/wheel")
class WheelMojoHarnessTest extends HarnessMojoTest {

    @Test
    @InjectMojo(goal = "wheel")
    void defaultsNameTheProjectsFolders(WheelMojo mojo) throws Exception {
        assertEquals(projectFile("target/raw-wheels"), mojo.rawWheelDirectory);
        assertEquals(projectFile("target/wheelhouse"), mojo.wheelhouse);
        assertEquals(projectFile("target/image-root"), mojo.imageLibraryDirectory);
        assertEquals(projectFile("target/repaired-wheels"), mojo.repairedWheelDirectory);
        assertEquals(projectDirectory.toFile(), mojo.sourceDirectory);
        assertSame(project, mojo.project);
        // ${project.build.outputTimestamp} comes from the pom's properties, as in a build
        assertEquals("2026-01-01T00:00:00Z", mojo.outputTimestamp);
        assertTrue(mojo.attach);
        assertTrue(mojo.updateTags);
        assertFalse(mojo.strip);
        assertFalse(mojo.onlyPlatform);
        assertFalse(mojo.skip);
        assertNull(mojo.repairSkip);
        assertEquals(".libs", mojo.libSubdirectory);
        assertEquals(6, mojo.compressionLevel);
        assertEquals("auto", mojo.deflate);
        assertEquals(List.of(), mojo.excludes);
        RepairOptions options = mojo.repairOptions();
        assertEquals(RepairOptions.defaults().withLibSubdirectory(".libs").withCompressionLevel(6), options);
    }

    @Test
    @InjectMojo(goal = "wheel")
    @UserProperty(name = "neuron.rawWheelDirectory", value = "raw")
    @UserProperty(name = "neuron.wheelhouse", value = "/srv/wheelhouse")
    @UserProperty(name = "neuron.distributionName", value = "neuron-nightly")
    @UserProperty(name = "neuron.distributionVersion", value = "9.0a1")
    @UserProperty(name = "neuron.attach", value = "false")
    @UserProperty(name = "neuron.exclude", value = "libgomp.so.1,libnrniv.so")
    @UserProperty(name = "neuron.platform", value = "manylinux2014_x86_64")
    @UserProperty(name = "neuron.repair.skip", value = "true")
    @UserProperty(name = "neuron.compressionLevel", value = "9")
    @UserProperty(name = "neuron.deflate", value = "zlib")
    @UserProperty(name = "neuron.strip", value = "true")
    void userPropertiesSetTheParameters(WheelMojo mojo) throws Exception {
        // a relative folder is taken from the project's folder, as Maven aligns File parameters
        assertEquals(projectFile("raw"), mojo.rawWheelDirectory);
        assertEquals(new File("/srv/wheelhouse"), mojo.wheelhouse);
        assertEquals("neuron-nightly", mojo.distributionName);
        assertEquals("9.0a1", mojo.distributionVersion);
        assertFalse(mojo.attach);
        assertEquals(List.of("libgomp.so.1", "libnrniv.so"), mojo.excludes);
        assertEquals("manylinux2014_x86_64", mojo.platform);
        assertEquals(Boolean.TRUE, mojo.repairSkip);
        assertEquals(9, mojo.compressionLevel);
        assertEquals("zlib", mojo.deflate);
        assertTrue(mojo.strip);
        RepairOptions options = mojo.repairOptions();
        assertEquals(List.of("libgomp.so.1", "libnrniv.so"), options.excludes());
        assertEquals(9, options.compressionLevel());
        assertTrue(options.strip());
    }

    @Test
    @InjectMojo(goal = "wheel")
    @UserProperty(name = "neuron.compressionLevel", value = "11")
    void aCompressionLevelOutOfRangeIsAUserErrorBeforeAnyWheelIsRead(WheelMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("compression level must be 0-9, not 11", failure.getMessage());
        assertFalse(projectFile("target/wheelhouse").exists());
    }

    @Test
    @InjectMojo(goal = "wheel")
    void noRawWheelsFailsNamingTheFolder(WheelMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("no raw wheels in " + projectFile("target/raw-wheels")
                + ": run the build goal first or set neuron.rawWheelDirectory", failure.getMessage());
        assertFalse(projectFile("target/wheelhouse").exists());
    }

    @Test
    @InjectMojo(goal = "wheel")
    @UserProperty(name = "neuron.skip", value = "true")
    void neuronSkipReturnsBeforeAnyCheck(WheelMojo mojo) throws Exception {
        mojo.execute();
        verify(log).info("neuron.skip is set: no wheels written");
        assertFalse(projectFile("target/wheelhouse").exists());
    }
}
