package org.neuronsimulator.wheel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/** The audit goal as Maven configures it from a test pom and the command line; no wheel is read. */
@MojoTest
@Basedir("/harness/audit")
class AuditMojoHarnessTest extends HarnessMojoTest {

    @Test
    @InjectMojo(goal = "audit")
    void defaults(AuditMojo mojo) {
        assertNull(mojo.wheel);
        assertNull(mojo.json);
        assertEquals(projectFile("target/image-root"), mojo.imageLibraryDirectory);
        assertEquals(List.of(), mojo.excludes);
        assertEquals(List.of(), mojo.macosLibraryPath);
        assertFalse(mojo.skipIsaCheck);
        assertFalse(mojo.skip);
    }

    @Test
    @InjectMojo(goal = "audit")
    @UserProperty(name = "neuron.wheel", value = "dist")
    @UserProperty(name = "neuron.audit.json", value = "/tmp/audit.json")
    @UserProperty(name = "neuron.exclude", value = "libgomp.so.1,libmpi*")
    @UserProperty(name = "neuron.audit.skipIsaCheck", value = "true")
    @UserProperty(name = "neuron.imageLibraryDirectory", value = "/srv/image-root")
    @UserProperty(name = "neuron.macos.libraryPath", value = "/opt/homebrew/lib,/usr/local/lib")
    void userPropertiesSetTheParameters(AuditMojo mojo) {
        assertEquals(projectFile("dist"), mojo.wheel);
        assertEquals(new File("/tmp/audit.json"), mojo.json);
        assertEquals(List.of("libgomp.so.1", "libmpi*"), mojo.excludes);
        assertTrue(mojo.skipIsaCheck);
        assertEquals(new File("/srv/image-root"), mojo.imageLibraryDirectory);
        assertEquals(List.of("/opt/homebrew/lib", "/usr/local/lib"), mojo.macosLibraryPath);
    }

    @Test
    @InjectMojo(goal = "audit")
    @UserProperty(name = "neuron.wheel", value = "missing-1.0-cp312-cp312-linux_x86_64.whl")
    void aMissingWheelFailsNamingIt(AuditMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("neuron.wheel names no existing file or folder: "
                + projectFile("missing-1.0-cp312-cp312-linux_x86_64.whl"), failure.getMessage());
    }

    @Test
    @InjectMojo(goal = "audit")
    @UserProperty(name = "neuron.wheel", value = "no-wheels")
    @UserProperty(name = "neuron.audit.json", value = "target/audit.json")
    void aFolderWithoutWheelsFailsNamingIt(AuditMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("no .whl file in " + projectFile("no-wheels"), failure.getMessage());
        assertFalse(projectFile("target/audit.json").exists());
    }

    @Test
    @InjectMojo(goal = "audit")
    @UserProperty(name = "neuron.skip", value = "true")
    @UserProperty(name = "neuron.wheel", value = "missing-1.0-cp312-cp312-linux_x86_64.whl")
    void neuronSkipReturnsBeforeAnyCheck(AuditMojo mojo) throws Exception {
        mojo.execute();
        verify(log).info("neuron.skip is set: no audit");
    }
}
