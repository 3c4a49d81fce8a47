package org.neuronsimulator.wheel.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.neuronsimulator.wheel.RecordingReporter;

class PackageIndexClientTest {

    private static final String TOKEN = "pypi-AgEIcHlwaS5vcmcCJGFiY2RlZmdoLXNlY3JldC10b2tlbi12YWx1ZQ";
    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(40));

    @TempDir
    Path dir;
    private PypiTestServer server;
    private Path wheel;
    private FileDigests digests;
    private final RecordingReporter reporter = new RecordingReporter();

    @BeforeEach
    void start() throws IOException {
        server = new PypiTestServer(dir.resolve("index")).user("__token__", TOKEN);
        wheel = TestWheels.write(dir, "sample-ext", "1.2.0", "py3-none-any", TestWheels.metadata("sample-ext", "1.2.0"));
        digests = FileDigests.of(wheel);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private UploadForm form() {
        return new UploadForm.Builder()
                .single("name", "sample-ext").single("version", "1.2.0").single("filetype", "bdist_wheel")
                .single("pyversion", "py3").single("metadata_version", "2.1")
                .single("sha256_digest", digests.sha256()).single("blake2_256_digest", digests.blake2b256())
                .single(":action", "file_upload").single("protocol_version", "1")
                .build(wheel, wheel.getFileName().toString());
    }

    private PackageIndexClient client(String password) {
        PackageRepository repo = PackageRepository.resolve("local", server.uploadUrl(), null);
        return new PackageIndexClient(repo, new Credentials("__token__", Secret.of(password), "test"), FAST,
                Duration.ofSeconds(30), reporter);
    }

    @Test
    void uploadsAndVerifiesThroughJsonIndex() throws Exception {
        try (PackageIndexClient client = client(TOKEN)) {
            UploadResult result = client.upload(form(), digests, false);
            assertEquals(UploadResult.Status.UPLOADED, result.status());
            assertEquals(1, result.attempts());
            assertEquals(Optional.of(digests.sha256()), client.lookup("sample-ext", wheel.getFileName().toString()));
            client.verify("sample-ext", wheel.getFileName().toString(), digests.sha256(), Duration.ofSeconds(5));
            // Index pages may redirect to the canonical name; lookups follow (uploads never do).
            assertEquals(Optional.of(digests.sha256()), client.lookup("Sample_Ext", wheel.getFileName().toString()));
        }
        PypiTestServer.RecordedUpload upload = server.uploads().get(0);
        assertEquals(digests.sha256(), upload.sha256());
        assertEquals(digests.size(), upload.contentLength());
        assertEquals(List.of("name", "version", "filetype", "pyversion", "metadata_version", "sha256_digest",
                "blake2_256_digest", ":action", "protocol_version", "content"),
                upload.fields().stream().map(UploadForm.Field::name).toList());
        assertTrue(reporter.text().contains("verified " + wheel.getFileName()), reporter.text());
    }

    @Test
    void credentialsGoOnlyToTheUploadUrlsOrigin() throws Exception {
        // A second loopback server on another port of the same host serves the index pages.
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer pages = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        pages.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(authorization == null ? "none" : authorization);
            byte[] body = "<html><body></body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        pages.start();
        try {
            String otherPort = "http://127.0.0.1:" + pages.getAddress().getPort() + "/simple/";
            PackageRepository repo = PackageRepository.resolve("local", server.uploadUrl(), otherPort);
            try (PackageIndexClient client = new PackageIndexClient(repo, new Credentials("__token__", Secret.of(TOKEN), "test"),
                    FAST, Duration.ofSeconds(30), reporter)) {
                assertEquals(Optional.empty(), client.lookup("sample-ext", wheel.getFileName().toString()));
            }
            assertEquals(List.of("none"), seen);
        } finally {
            pages.stop(0);
        }
        java.net.URI upload = java.net.URI.create("https://upload.example:443/legacy/");
        assertTrue(PackageIndexClient.sameOrigin(java.net.URI.create("https://UPLOAD.example/simple/x/"), upload));
        assertFalse(PackageIndexClient.sameOrigin(java.net.URI.create("http://upload.example/simple/x/"), upload));
        assertFalse(PackageIndexClient.sameOrigin(java.net.URI.create("https://upload.example:8443/simple/x/"), upload));
    }

    @Test
    void verificationFallsBackToHtmlAndWaitsForTheIndex() throws Exception {
        server.htmlOnly();
        try (PackageIndexClient client = client(TOKEN)) {
            client.upload(form(), digests, false);
            server.hideFromNextLookups(2);
            client.verify("sample-ext", wheel.getFileName().toString(), digests.sha256(), Duration.ofSeconds(20));
            assertEquals(Optional.of(digests.sha256()), client.lookup("sample-ext", wheel.getFileName().toString()));
        }
        assertTrue(reporter.text().contains("not listed yet"), reporter.text());
    }

    @Test
    void verificationFailsOnADifferentDigestAndOnTimeout() throws Exception {
        try (PackageIndexClient client = client(TOKEN)) {
            client.upload(form(), digests, false);
            UploadException wrong = assertThrows(UploadException.class, () -> client.verify("sample-ext",
                    wheel.getFileName().toString(), "00".repeat(32), Duration.ofSeconds(5)));
            assertEquals(UploadException.Kind.VERIFICATION, wrong.kind());
            assertTrue(wrong.getMessage().contains(digests.sha256()), wrong.getMessage());
            UploadException missing = assertThrows(UploadException.class, () -> client.verify("other-project",
                    "other_project-1.0-py3-none-any.whl", digests.sha256(), Duration.ofMillis(300)));
            assertTrue(missing.getMessage().contains("did not show up"), missing.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(value = PypiTestServer.Flavour.class, names = {"PYPI", "PYPISERVER", "NEXUS", "ARTIFACTORY", "GITLAB"})
    void duplicateIsSkippedWithSkipExistingAndAnErrorWithout(PypiTestServer.Flavour flavour) throws Exception {
        server.flavour(flavour);
        try (PackageIndexClient client = client(TOKEN)) {
            client.upload(form(), digests, false);
            // PyPI accepts an identical re-upload, so give PyPI different bytes under the same name.
            Path other = flavour == PypiTestServer.Flavour.PYPI ? rewrittenSameName() : wheel;
            FileDigests otherDigests = FileDigests.of(other);
            UploadForm again = new UploadForm.Builder().single("name", "sample-ext").single("version", "1.2.0")
                    .single("filetype", "bdist_wheel").single("sha256_digest", otherDigests.sha256())
                    .build(other, wheel.getFileName().toString());
            UploadResult skipped = client.upload(again, otherDigests, true);
            assertEquals(UploadResult.Status.ALREADY_EXISTS, skipped.status());
            UploadException e = assertThrows(UploadException.class, () -> client.upload(again, otherDigests, false));
            assertEquals(UploadException.Kind.ALREADY_EXISTS, e.kind());
            assertTrue(e.getMessage().contains(wheel.getFileName() + " already exists"), e.getMessage());
            assertTrue(e.getMessage().contains("skip-existing"), e.getMessage());
        }
    }

    private Path rewrittenSameName() throws IOException {
        Path sub = dir.resolve("second");
        java.nio.file.Files.createDirectories(sub);
        return TestWheels.write(sub, "sample-ext", "1.2.0", "py3-none-any",
                TestWheels.metadata("sample-ext", "1.2.0") + "\nA changed description.\n");
    }

    @Test
    void identicalReUploadToPypiIsAcceptedAsUploaded() throws Exception {
        try (PackageIndexClient client = client(TOKEN)) {
            client.upload(form(), digests, false);
            assertEquals(UploadResult.Status.UPLOADED, client.upload(form(), digests, false).status());
        }
    }

    @Test
    void twoServiceUnavailableAnswersThenSuccess() throws Exception {
        server.inject(503, 503);
        try (PackageIndexClient client = client(TOKEN)) {
            UploadResult result = client.upload(form(), digests, false);
            assertEquals(UploadResult.Status.UPLOADED, result.status());
            assertEquals(3, result.attempts());
        }
        assertEquals(1, server.uploads().size());
        assertEquals(2, reporter.lines().stream().filter(l -> l.startsWith("[WARN] retrying")).count(), reporter.text());
    }

    @Test
    void aRetryAfterAFailureThatStillStoredTheFileCountsAsUploaded() throws Exception {
        server.flavour(PypiTestServer.Flavour.PYPISERVER).injectAfterStore(504);
        try (PackageIndexClient client = client(TOKEN)) {
            UploadResult result = client.upload(form(), digests, false);
            assertEquals(UploadResult.Status.UPLOADED, result.status());
            assertEquals(2, result.attempts());
        }
        assertEquals(List.of(504, 409), server.uploads().stream().map(PypiTestServer.RecordedUpload::status).toList());
        assertTrue(reporter.text().contains("an earlier try had landed"), reporter.text());
    }

    @Test
    void retriesAreBounded() throws Exception {
        server.inject(502, 503, 500, 504, 503);
        try (PackageIndexClient client = client(TOKEN)) {
            UploadException e = assertThrows(UploadException.class, () -> client.upload(form(), digests, false));
            assertEquals(UploadException.Kind.UNAVAILABLE, e.kind());
            assertTrue(e.getMessage().contains("after 4 tries"), e.getMessage());
        }
        assertTrue(server.uploads().isEmpty());
    }

    @Test
    void connectionFaultsAreRetriedThenReported() throws Exception {
        String deadUrl = server.uploadUrl();
        server.close();
        PackageRepository repo = PackageRepository.resolve("gone", deadUrl, null);
        try (PackageIndexClient client = new PackageIndexClient(repo, null, FAST, Duration.ofSeconds(5), reporter)) {
            UploadException e = assertThrows(UploadException.class, () -> client.upload(form(), digests, false));
            assertEquals(UploadException.Kind.UNAVAILABLE, e.kind());
            assertTrue(e.getMessage().contains("connection fault"), e.getMessage());
        }
    }

    @Test
    void threeUploadsToAnHttp10ServerNeedNoRetry() throws Exception {
        // pypiserver's wsgiref answers HTTP/1.0 and closes; a reused connection would fail with a broken pipe
        RetryPolicy once = new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(10));
        try (RawHttpServer http10 = new RawHttpServer(RawHttpServer.Mode.HTTP10_CLOSE);
             PackageIndexClient client = new PackageIndexClient(PackageRepository.resolve("local", http10.uploadUrl(), null),
                     null, once, Duration.ofSeconds(10), reporter)) {
            for (int i = 0; i < 3; i++) {
                UploadResult result = client.upload(form(), digests, false);
                assertEquals(1, result.attempts());
            }
            assertEquals(3, http10.requests());
        }
        assertFalse(reporter.text().contains("retrying"), reporter.text());
    }

    @Test
    void aSilentOrTricklingIndexIsStoppedByThePerTryDeadline() throws Exception {
        RetryPolicy twice = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10));
        for (RawHttpServer.Mode mode : List.of(RawHttpServer.Mode.SILENT, RawHttpServer.Mode.TRICKLE)) {
            long start = System.nanoTime();
            try (RawHttpServer peer = new RawHttpServer(mode);
                 PackageIndexClient client = new PackageIndexClient(PackageRepository.resolve("local", peer.uploadUrl(), null),
                         null, twice, new UploadTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(5)),
                         reporter)) {
                UploadException e = assertThrows(UploadException.class, () -> client.upload(form(), digests, false));
                assertEquals(UploadException.Kind.UNAVAILABLE, e.kind());
                assertTrue(e.getMessage().contains("after 2 tries") && e.getMessage().contains("timeout"), e.getMessage());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 15, mode + " took " + seconds + " s");
        }
    }

    @Test
    void theWholeUploadStopsAtItsDeadline() throws Exception {
        RetryPolicy many = new RetryPolicy(100, Duration.ofMillis(10), Duration.ofMillis(10));
        long start = System.nanoTime();
        try (RawHttpServer peer = new RawHttpServer(RawHttpServer.Mode.SILENT);
             PackageIndexClient client = new PackageIndexClient(PackageRepository.resolve("local", peer.uploadUrl(), null),
                     null, many, new UploadTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(3)),
                     reporter)) {
            UploadException e = assertThrows(UploadException.class, () -> client.upload(form(), digests, false));
            assertEquals(UploadException.Kind.UNAVAILABLE, e.kind());
            assertTrue(e.getMessage().contains("deadline of 3 s"), e.getMessage());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 10, "took " + seconds + " s");
    }

    @Test
    void forbiddenIsAnAuthenticationErrorAndTheTokenIsNowhere() {
        String wrongToken = "pypi-AgEIcHlwaS5vcmcCJDk5OTk5OS13cm9uZy10b2tlbi1mb3ItdGVzdA";
        UploadException e;
        try (PackageIndexClient client = client(wrongToken)) {
            e = assertThrows(UploadException.class, () -> client.upload(form(), digests, false));
        }
        assertEquals(UploadException.Kind.AUTHENTICATION, e.kind());
        assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
        assertTrue(e.getMessage().contains("403"), e.getMessage());
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String everything = reporter.text() + "\n" + trace;
        assertTrue(reporter.lines().stream().anyMatch(l -> l.startsWith("[DEBUG] POST")), "debug lines are recorded");
        assertFalse(everything.contains(wrongToken), everything);
        assertFalse(everything.contains(java.util.Base64.getEncoder().encodeToString(("__token__:" + wrongToken).getBytes())));
    }

    @Test
    void missingCredentialsOnPypiserverAre401() throws Exception {
        server.anonymousAnswers401();
        PackageRepository repo = PackageRepository.resolve("local", server.uploadUrl(), null);
        try (PackageIndexClient client = new PackageIndexClient(repo, null, FAST, Duration.ofSeconds(5), reporter)) {
            UploadException e = assertThrows(UploadException.class, () -> client.upload(form(), digests, false));
            assertEquals(UploadException.Kind.AUTHENTICATION, e.kind());
            assertTrue(e.getMessage().contains("401") && e.getMessage().contains("No credentials"), e.getMessage());
        }
    }

    @Test
    void redirectIsNotFollowedAndTheSlashIsExplained() throws Exception {
        PackageRepository repo = PackageRepository.resolve("local", server.base() + "/legacy", server.indexUrl());
        try (PackageIndexClient client = new PackageIndexClient(repo, new Credentials("__token__", Secret.of(TOKEN), "t"),
                FAST, Duration.ofSeconds(5), reporter)) {
            UploadException e = assertThrows(UploadException.class, () -> client.upload(form(), digests, false));
            assertEquals(UploadException.Kind.REDIRECT, e.kind());
            assertTrue(e.getMessage().contains("trailing slash: " + server.base() + "/legacy/"), e.getMessage());
        }
        assertTrue(server.uploads().isEmpty());
    }

    @Test
    void htmlAnchorsAreParsed() {
        String html = "<html><body><a href=\"https://files.example/x/Sample_Ext-1.0-py3-none-any.whl#sha256=ABCDEF\" "
                + "data-requires-python=\"&gt;=3.8\">sample_ext-1.0-py3-none-any.whl</a>\n"
                + "<a href='../../p/other-1.0.tar.gz#md5=00'>other-1.0.tar.gz</a></body></html>";
        assertEquals(Optional.of("abcdef"), PackageIndexClient.fromHtml(html, "sample_ext-1.0-py3-none-any.whl"));
        assertEquals(Optional.of(""), PackageIndexClient.fromHtml(html, "other-1.0.tar.gz"));
        assertEquals(Optional.empty(), PackageIndexClient.fromHtml(html, "missing-1.0.tar.gz"));
    }
}
