package org.neuronsimulator.wheel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.verify;

import java.io.File;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/**
 * The upload goal as Maven configures it from a test pom (version 1.0-SNAPSHOT) and the command line;
 * nothing is sent anywhere.
 */
@MojoTest
@Basedir("/harness/upload")
class UploadMojoHarnessTest extends HarnessMojoTest {

    @Test
    @InjectMojo(goal = "upload")
    void defaultsNameTheProjectsFolders(UploadMojo mojo) {
        assertEquals(projectFile("target/wheelhouse"), mojo.wheelhouse);
        assertEquals(projectFile("target/neuron-upload"), mojo.stagingDirectory);
        assertEquals("pypi", mojo.repository);
        assertNull(mojo.repositoryUrl);
        assertNull(mojo.indexUrl);
        assertNull(mojo.serverId);
        assertEquals("-nightly", mojo.nightlySuffix);
        assertEquals("-gpu", mojo.gpuSuffix);
        assertEquals(300, mojo.verifyTimeout);
        assertEquals(100, mojo.maxFileSizeMiB);
        assertEquals(5, mojo.attempts);
        assertEquals(600, mojo.readTimeout);
        assertEquals(1800, mojo.tryTimeout);
        assertEquals(7200, mojo.deadline);
        assertFalse(mojo.release || mojo.gpu || mojo.skipExisting || mojo.dryRun || mojo.skip || mojo.skipUpload);
        assertSame(project, mojo.project);
        assertSame(session, mojo.session);
        assertSame(session.getSettings(), mojo.settings);
    }

    @Test
    @InjectMojo(goal = "upload")
    @UserProperty(name = "neuron.wheelhouse", value = "dist")
    @UserProperty(name = "neuron.repository", value = "testpypi")
    @UserProperty(name = "neuron.repositoryUrl", value = "http://127.0.0.1:8080/legacy/")
    @UserProperty(name = "neuron.indexUrl", value = "http://127.0.0.1:8080/simple/")
    @UserProperty(name = "neuron.serverId", value = "testpypi")
    @UserProperty(name = "neuron.release", value = "true")
    @UserProperty(name = "neuron.gpu", value = "true")
    @UserProperty(name = "neuron.buildNumber", value = "1234")
    @UserProperty(name = "neuron.skipExisting", value = "true")
    @UserProperty(name = "neuron.upload.dryRun", value = "true")
    @UserProperty(name = "neuron.upload.attempts", value = "2")
    @UserProperty(name = "neuron.upload.deadline", value = "60")
    void userPropertiesSetTheParameters(UploadMojo mojo) {
        assertEquals(projectFile("dist"), mojo.wheelhouse);
        assertEquals("testpypi", mojo.repository);
        assertEquals("http://127.0.0.1:8080/legacy/", mojo.repositoryUrl);
        assertEquals("http://127.0.0.1:8080/simple/", mojo.indexUrl);
        assertEquals("testpypi", mojo.serverId);
        assertTrue(mojo.release && mojo.gpu && mojo.skipExisting && mojo.dryRun);
        assertEquals("1234", mojo.buildNumber);
        assertEquals(2, mojo.attempts);
        assertEquals(60, mojo.deadline);
    }

    @Test
    @InjectMojo(goal = "upload")
    @Offline
    void offlineRefusesToUpload(UploadMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("the run is offline (-o): uploading needs the network. Drop -o, or set neuron.upload.dryRun=true"
                + " to only check and rename the wheels", failure.getMessage());
    }

    @Test
    @InjectMojo(goal = "upload")
    @Offline
    @UserProperty(name = "neuron.upload.dryRun", value = "true")
    @UserProperty(name = "neuron.release", value = "true")
    void aDryRunGoesOnOfflineAndAReleaseOfASnapshotFails(UploadMojo mojo) {
        // the dry run passes the offline check; the release check then refuses the pom's SNAPSHOT version
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("neuron.release=true but the project version 1.0-SNAPSHOT is a SNAPSHOT: release from a release"
                + " version, or drop neuron.release for a nightly", failure.getMessage());
        assertFalse(projectFile("target/neuron-upload").exists());
    }

    @Test
    @InjectMojo(goal = "upload")
    @UserProperty(name = "neuron.serverId", value = "pypi-upload")
    void aServerIdMissingFromSettingsFails(UploadMojo mojo) {
        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("neuron.serverId=pypi-upload but settings.xml has no <server> with that id", failure.getMessage());
    }

    @Test
    @InjectMojo(goal = "upload")
    @Offline
    @UserProperty(name = "neuron.skip", value = "true")
    void neuronSkipReturnsBeforeAnyCheck(UploadMojo mojo) throws Exception {
        mojo.execute(); // offline without a dry run: without the skip this fails
        verify(log).info("neuron.skip is set: nothing uploaded");
    }

    @Test
    @InjectMojo(goal = "upload")
    @Offline
    @UserProperty(name = "neuron.upload.skip", value = "true")
    void uploadSkipReturnsBeforeAnyCheck(UploadMojo mojo) throws Exception {
        mojo.execute();
        verify(log).info("neuron.upload.skip is set: nothing uploaded");
    }
}
