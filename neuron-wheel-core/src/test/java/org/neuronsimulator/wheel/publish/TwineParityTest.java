package org.neuronsimulator.wheel.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/** The form we send equals, field by field and in order, what twine (Debian's, 4.0.2) sends for the same wheel. */
class TwineParityTest {

    private static final String TOKEN = "pypi-AgEIcHlwaS5vcmcCJHBhcml0eS10ZXN0LXRva2VuLWZvci10d2luZQ";

    @TempDir
    Path dir;

    @Test
    void sameFormFieldsAsTwine() throws Exception {
        Path wheelhouse = Files.createDirectories(dir.resolve("wheelhouse"));
        String tag = "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64";
        Path wheel = TestWheels.write(wheelhouse, "Sample.Ext", "1.2.0", tag, TestWheels.metadata("Sample.Ext", "1.2.0")
                .replace("Keywords: neuron,simulation\n", "Keywords: neuron,simulation\nPlatform: Linux\nMaintainer: Some One\n"));
        try (PypiTestServer server = new PypiTestServer(dir.resolve("index")).user("__token__", TOKEN)) {
            ProcessResult twine = ProcessRunner.of("twine", "upload", "--repository-url", server.uploadUrl(),
                            "--disable-progress-bar", "--non-interactive", wheel.toString())
                    .environment("TWINE_USERNAME", "__token__").environment("TWINE_PASSWORD", TOKEN)
                    .removeEnvironment("TWINE_REPOSITORY_URL").tailLines(200).timeout(Duration.ofMinutes(2)).run();
            assertEquals(0, twine.exitCode(), twine.tailText());

            PublishRequest request = new PublishRequest(wheelhouse, dir.resolve("staging"),
                    PackageRepository.resolve("loopback", server.uploadUrl(), null),
                    new Credentials("__token__", Secret.of(TOKEN), "test"), PublishNaming.release(false, "-gpu"),
                    false, false, Duration.ofSeconds(10), PublishRequest.PYPI_MAX_FILE_SIZE,
                    new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10)), Duration.ofSeconds(30));
            List<UploadResult> results = new WheelPublisher(Reporter.NONE).publish(request);
            assertEquals(UploadResult.Status.UPLOADED, results.get(0).status());

            List<PypiTestServer.RecordedUpload> uploads = server.uploads();
            assertEquals(2, uploads.size());
            PypiTestServer.RecordedUpload theirs = uploads.get(0);
            PypiTestServer.RecordedUpload ours = uploads.get(1);
            assertTrue(theirs.userAgent().startsWith("twine/"), theirs.userAgent());
            assertNotEquals(theirs.userAgent(), ours.userAgent());
            assertEquals(theirs.sha256(), ours.sha256());
            assertEquals(theirs.contentFilename(), ours.contentFilename());
            // Field by field, so that a difference names the field.
            int n = Math.max(theirs.fields().size(), ours.fields().size());
            for (int i = 0; i < n; i++) {
                UploadForm.Field t = i < theirs.fields().size() ? theirs.fields().get(i) : null;
                UploadForm.Field o = i < ours.fields().size() ? ours.fields().get(i) : null;
                assertEquals(t, o, "form part " + i);
            }
            assertEquals(List.of("Programming Language :: Python :: 3", "Operating System :: POSIX :: Linux"),
                    ours.byName().get("classifiers"));
            assertEquals("cp311", ours.byName().get("pyversion").get(0));
            assertEquals(33, ours.fields().size(), ours.fields().toString());
        }
    }
}
