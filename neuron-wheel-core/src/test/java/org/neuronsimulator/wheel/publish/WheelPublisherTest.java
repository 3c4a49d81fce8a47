package org.neuronsimulator.wheel.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.RecordingReporter;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

class WheelPublisherTest {

    private static final String TOKEN = "pypi-AgEIcHlwaS5vcmcCJHB1Ymxpc2hlci10ZXN0LXRva2Vu";

    @TempDir
    Path dir;
    private Path wheelhouse;
    private PypiTestServer server;
    private final RecordingReporter reporter = new RecordingReporter();

    @BeforeEach
    void start() throws IOException {
        wheelhouse = Files.createDirectories(dir.resolve("wheelhouse"));
        server = new PypiTestServer(dir.resolve("index")).user("__token__", TOKEN);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private PublishRequest request(PublishNaming naming, boolean dryRun, long maxSize) {
        return new PublishRequest(wheelhouse, dir.resolve("staging"), PackageRepository.resolve("loopback", server.uploadUrl(), null),
                new Credentials("__token__", Secret.of(TOKEN), "test"), naming, false, dryRun, Duration.ofSeconds(10), maxSize,
                new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10)), Duration.ofSeconds(30));
    }

    private PublishRequest release() {
        return request(PublishNaming.release(false, "-gpu"), false, PublishRequest.PYPI_MAX_FILE_SIZE);
    }

    private UploadException refused(PublishRequest request) {
        UploadException e = assertThrows(UploadException.class, () -> new WheelPublisher(reporter).publish(request));
        assertEquals(UploadException.Kind.PREFLIGHT, e.kind(), e.getMessage());
        assertTrue(server.uploads().isEmpty(), "nothing may be sent when a wheel is refused");
        return e;
    }

    @Test
    void releaseUploadsEveryWheelAndVerifiesIt() throws Exception {
        TestWheels.write(wheelhouse, "sample-ext", "1.2.0", "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64",
                TestWheels.metadata("sample-ext", "1.2.0"));
        TestWheels.write(wheelhouse, "sample-ext", "1.2.0", "cp312-cp312-musllinux_1_2_x86_64",
                TestWheels.metadata("sample-ext", "1.2.0"));
        List<UploadResult> results = new WheelPublisher(reporter).publish(release());
        assertEquals(2, results.size());
        assertTrue(results.stream().allMatch(r -> r.status() == UploadResult.Status.UPLOADED));
        assertEquals(2, server.listing().get("sample-ext").size());
        assertEquals(2, reporter.lines().stream().filter(l -> l.startsWith("[INFO] verified ")).count(), reporter.text());
    }

    @Test
    void nightlyByDefaultRenamesAndPipDownloadsTheSameBytes() throws Exception {
        Path original = TestWheels.write(wheelhouse, "sample-ext", "1.2.0", "cp311-cp311-manylinux_2_17_x86_64",
                TestWheels.metadata("sample-ext", "1.2.0"));
        byte[] before = Files.readAllBytes(original);
        PublishNaming nightly = PublishNaming.nightly(false, "-nightly", "-gpu", "20261121", null);
        List<UploadResult> results = new WheelPublisher(reporter).publish(request(nightly, false, PublishRequest.PYPI_MAX_FILE_SIZE));
        String expected = "sample_ext_nightly-1.2.0.dev20261121-cp311-cp311-manylinux_2_17_x86_64.whl";
        assertEquals(expected, results.get(0).filename());
        assertEquals(List.of(expected), server.listing().get("sample-ext-nightly"));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(original)), "the wheelhouse is not modified");
        Map<String, List<String>> form = server.uploads().get(0).byName();
        assertEquals(List.of("sample-ext-nightly"), form.get("name"));
        assertEquals(List.of("1.2.0.dev20261121"), form.get("version"));

        // pip (in a fresh virtual environment) downloads what landed: the same bytes as the staged file.
        Path venv = dir.resolve("venv");
        ProcessResult made = ProcessRunner.of("python3", "-m", "venv", venv.toString()).run();
        assertEquals(0, made.exitCode(), made.tailText());
        Path downloads = dir.resolve("downloads");
        ProcessResult pip = ProcessRunner.of(venv.resolve("bin/python").toString(), "-m", "pip", "--isolated",
                "--disable-pip-version-check", "download", "--no-deps", "--pre", "--only-binary=:all:",
                "--platform", "manylinux_2_17_x86_64", "--python-version", "3.11",
                "--index-url", server.indexUrl(), "-d", downloads.toString(), "sample-ext-nightly")
                .tailLines(100).run();
        assertEquals(0, pip.exitCode(), pip.tailText());
        assertEquals(FileDigests.sha256Of(dir.resolve("staging").resolve(expected)), FileDigests.sha256Of(downloads.resolve(expected)));
    }

    @Test
    void gpuNightlyAndGpuRelease() throws Exception {
        TestWheels.write(wheelhouse, "neuron", "9.0.0", "py3-none-any", TestWheels.metadata("neuron", "9.0.0"));
        new WheelPublisher(reporter).publish(request(PublishNaming.nightly(true, "-nightly", "-gpu", "77", null), false,
                PublishRequest.PYPI_MAX_FILE_SIZE));
        new WheelPublisher(reporter).publish(request(PublishNaming.release(true, "-gpu"), false, PublishRequest.PYPI_MAX_FILE_SIZE));
        assertEquals(List.of("neuron_gpu_nightly-9.0.0.dev77-py3-none-any.whl"), server.listing().get("neuron-gpu-nightly"));
        assertEquals(List.of("neuron_gpu-9.0.0-py3-none-any.whl"), server.listing().get("neuron-gpu"));
    }

    @Test
    void linuxPlatformTagIsRefusedBeforeUpload() throws Exception {
        TestWheels.write(wheelhouse, "sample-ext", "1.2.0", "cp311-cp311-manylinux_2_17_x86_64", TestWheels.metadata("sample-ext", "1.2.0"));
        TestWheels.write(wheelhouse, "sample-ext", "1.2.0", "cp311-cp311-linux_x86_64", TestWheels.metadata("sample-ext", "1.2.0"));
        UploadException e = refused(release());
        assertTrue(e.getMessage().contains("sample_ext-1.2.0-cp311-cp311-linux_x86_64.whl: platform tag linux_x86_64 is not accepted by PyPI"),
                e.getMessage());
        assertTrue(e.getMessage().startsWith("1 of 2 wheel(s) would be refused"), e.getMessage());
    }

    @Test
    void dataDescriptorIsRefusedBeforeUpload() throws Exception {
        TestWheels.write(wheelhouse, "sample-ext", "1.2.0", "py3-none-any", TestWheels.metadata("sample-ext", "1.2.0"), true);
        UploadException e = refused(release());
        assertTrue(e.getMessage().contains("sample_ext-1.2.0-py3-none-any.whl: entry sample_ext/__init__.py uses a data descriptor"),
                e.getMessage());
    }

    @Test
    void otherRefusals() throws Exception {
        TestWheels.write(wheelhouse, "sample-ext", "1.2.0+local1", "py3-none-any", TestWheels.metadata("sample-ext", "1.2.0+local1"));
        TestWheels.write(wheelhouse, "other", "2.0", "py3-none-any",
                TestWheels.metadata("other", "2.0").replace("Metadata-Version: 2.1", "Metadata-Version: 3.0"));
        Path trailing = TestWheels.write(wheelhouse, "third", "1.0", "py3-none-any", TestWheels.metadata("third", "1.0"));
        TestWheels.append(trailing, new byte[] {1, 2, 3});
        TestWheels.write(wheelhouse, "fourth", "1.0", "py3-none-any",
                TestWheels.metadata("fourth", "1.0").replace("Author: Sample Author\n", "Summary: a second summary\n"));
        String message = refused(release()).getMessage();
        assertTrue(message.contains("version 1.2.0+local1 is a local version and cannot be released"), message);
        assertTrue(message.contains("other-2.0-py3-none-any.whl: unreadable METADATA") && message.contains("Metadata-Version '3.0'"), message);
        assertTrue(message.contains("third-1.0-py3-none-any.whl: 3 bytes of trailing data"), message);
        assertTrue(message.contains("fourth-1.0-py3-none-any.whl: unreadable METADATA")
                && message.contains("field Summary occurs more than once"), message);
    }

    @Test
    void sizeLimitAndReleaseOfADevVersion() throws Exception {
        TestWheels.write(wheelhouse, "sample-ext", "1.2.0.dev3", "py3-none-any", TestWheels.metadata("sample-ext", "1.2.0.dev3"));
        assertTrue(refused(release()).getMessage().contains("1.2.0.dev3 is a development version and cannot be released"));
        Files.delete(wheelhouse.resolve("sample_ext-1.2.0.dev3-py3-none-any.whl"));
        TestWheels.write(wheelhouse, "sample-ext", "1.2.0", "py3-none-any", TestWheels.metadata("sample-ext", "1.2.0"));
        String tooBig = refused(request(PublishNaming.release(false, ""), false, 100)).getMessage();
        assertTrue(tooBig.contains("exceeds the index's limit of 100 bytes"), tooBig);
    }

    @Test
    void aFileThatIsNotAZipIsRefusedWithItsName() throws Exception {
        Files.writeString(wheelhouse.resolve("broken-1.0-py3-none-any.whl"), "this is not a zip archive");
        String message = refused(release()).getMessage();
        assertTrue(message.contains("broken-1.0-py3-none-any.whl: not a readable zip archive"), message);
    }

    @Test
    void dryRunSendsNothing() throws Exception {
        TestWheels.write(wheelhouse, "sample-ext", "1.2.0", "py3-none-any", TestWheels.metadata("sample-ext", "1.2.0"));
        List<UploadResult> results = new WheelPublisher(reporter).publish(request(PublishNaming.release(false, ""), true,
                PublishRequest.PYPI_MAX_FILE_SIZE));
        assertEquals(UploadResult.Status.DRY_RUN, results.get(0).status());
        assertTrue(server.uploads().isEmpty());
        assertTrue(reporter.text().contains("dry run: would upload sample_ext-1.2.0-py3-none-any.whl"), reporter.text());
    }

    @Test
    void emptyOrMissingWheelhouse() throws IOException {
        assertTrue(assertThrows(UploadException.class, () -> new WheelPublisher(reporter).publish(release()))
                .getMessage().contains("no .whl files in " + wheelhouse));
        Files.delete(wheelhouse);
        assertTrue(assertThrows(UploadException.class, () -> new WheelPublisher(reporter).publish(release()))
                .getMessage().contains("does not exist"));
    }
}
