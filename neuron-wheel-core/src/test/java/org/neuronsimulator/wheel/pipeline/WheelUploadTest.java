package org.neuronsimulator.wheel.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.RecordingReporter;
import org.neuronsimulator.wheel.publish.CredentialResolver;
import org.neuronsimulator.wheel.publish.PublishNaming;
import org.neuronsimulator.wheel.publish.Secret;
import org.neuronsimulator.wheel.publish.UploadException;

/** What an upload refuses before it sends anything; no server is involved. */
class WheelUploadTest {

    private static final String TOKEN = "pypi-AgEIcHlwaS5vcmcCJGE0ZDA2";

    private static final CredentialResolver NO_ENVIRONMENT = new CredentialResolver(Map.of(), null);

    private static WheelUpload.Settings settings(Path wheelhouse, Path staging) {
        return new WheelUpload.Settings(wheelhouse, staging,
                PublishNaming.nightly(false, "-nightly", "-gpu", PublishNaming.dateNumber(LocalDate.of(2026, 11, 21)), null));
    }

    @Test
    void anUnknownRepositoryNamesTheSetting(@TempDir Path dir) {
        WheelUpload.Settings settings = settings(dir, dir.resolve("staging")).repository("warehouse", null, null);
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new WheelUpload(settings, NO_ENVIRONMENT, new RecordingReporter()).run());
        assertEquals("neuron.repository", e.setting());
        assertTrue(e.getMessage().startsWith("unknown repository 'warehouse'"), e::getMessage);
    }

    @Test
    void aRefusalNeverShowsTheToken(@TempDir Path dir) {
        Path wheelhouse = dir.resolve(TOKEN).resolve("wheelhouse"); // a path that happens to hold the secret
        WheelUpload.Settings settings = settings(wheelhouse, dir.resolve("staging")).dryRun(true)
                .credentials("__token__", Secret.of(TOKEN), "settings.xml server 'pypi'");
        RecordingReporter reporter = new RecordingReporter();
        UploadException e = assertThrows(UploadException.class, () -> new WheelUpload(settings, NO_ENVIRONMENT, reporter).run());
        assertTrue(e.isUserError());
        assertFalse(e.getMessage().contains(TOKEN), e::getMessage);
        assertTrue(e.getMessage().contains("does not exist or is not a folder"), e::getMessage);
        assertNull(e.getCause());
    }

    @Test
    void offlineOnlyADryRunGoesOn(@TempDir Path dir) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> new WheelUpload(
                settings(dir, dir.resolve("staging")).offline(true), NO_ENVIRONMENT, new RecordingReporter()).run());
        assertEquals("neuron.upload.dryRun", e.setting());
        assertTrue(e.getMessage().startsWith("the run is offline (-o): uploading needs the network."), e::getMessage);
        assertFalse(Files.exists(dir.resolve("staging")));
    }
}
