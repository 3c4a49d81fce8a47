package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;
import org.neuronsimulator.wheel.publish.FileDigests;
import org.neuronsimulator.wheel.publish.PypiTestServer;
import org.neuronsimulator.wheel.publish.TestWheels;

/**
 * The upload goal run by real Maven without a pom, against the loopback package index: credentials
 * from an encrypted settings.xml server, nightly and release naming, pip fetching what landed, the
 * token kept out of a debug log, and the offline switch.
 */
class UploadGoalIT {

    private static final String TOKEN = "pypi-AgEIcHlwaS5vcmcCJDNkZjE4YzY0LWludGVncmF0aW9uLXRlc3QtdG9rZW4";
    private static Path work;
    private static PypiTestServer server;
    private static Path settings;

    @BeforeAll
    static void start() throws IOException {
        work = MavenInvocation.workDirectory().resolve("upload-goal");
        MavenInvocation.deleteTree(work);
        Files.createDirectories(work);
        server = new PypiTestServer(work.resolve("index")).user("__token__", TOKEN);
        // Maven encrypts the token itself: a master password in settings-security.xml, then the token.
        String master = encrypt("--encrypt-master-password", "it-master-password", null);
        Path security = Files.writeString(work.resolve("settings-security.xml"),
                "<settingsSecurity><master>" + master + "</master></settingsSecurity>\n");
        String encrypted = encrypt("--encrypt-password", TOKEN, security);
        assertFalse(encrypted.contains(TOKEN));
        settings = Files.writeString(work.resolve("settings.xml"), """
                <settings>
                  <servers>
                    <server>
                      <id>loopback</id>
                      <username>__token__</username>
                      <password>%s</password>
                    </server>
                  </servers>
                </settings>
                """.formatted(encrypted));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String encrypt(String option, String value, Path security) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("mvn", "-B", "-q"));
        if (security != null) {
            command.add("-Dsettings.security=" + security);
        }
        command.add(option);
        command.add(value);
        ProcessResult result = ProcessRunner.of(command).directory(work).removeEnvironment("MAVEN_OPTS").run();
        assertTrue(result.succeeded(), result.tailText());
        Matcher m = Pattern.compile("\\{[^}]+}").matcher(result.tailText());
        assertTrue(m.find(), result.tailText());
        return m.group();
    }

    private static Path wheelhouse(String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        TestWheels.write(dir, "sample-ext", "1.2.0", "py3-none-any", TestWheels.metadata("sample-ext", "1.2.0"));
        return dir;
    }

    private static MavenInvocation upload(Path wheelhouse) {
        return MavenInvocation.in(work)
                .args("-s", settings.toString(), "-Dsettings.security=" + work.resolve("settings-security.xml"),
                        MavenInvocation.goal("upload"))
                .property("neuron.wheelhouse", wheelhouse.toString())
                .property("neuron.repositoryUrl", server.uploadUrl())
                .property("neuron.serverId", "loopback")
                .property("neuron.upload.stagingDirectory", work.resolve("staging-" + wheelhouse.getFileName()).toString())
                .property("neuron.upload.verifyTimeout", "30");
    }

    @Test
    void nightlyByDefaultThenReleaseAndPipGetsTheSameBytes() throws IOException {
        String today = DateTimeFormatter.BASIC_ISO_DATE.format(LocalDate.now(ZoneOffset.UTC));
        MavenInvocation.Result nightly = upload(wheelhouse("nightly")).run();
        assertTrue(nightly.succeeded(), nightly.describe());
        // The date may roll over between computing it here and in Maven; accept either day.
        Map<String, List<String>> listing = server.listing();
        List<String> nightlyFiles = listing.get("sample-ext-nightly");
        assertEquals(1, nightlyFiles.size(), listing.toString());
        String nightlyFile = nightlyFiles.get(0);
        assertTrue(nightlyFile.startsWith("sample_ext_nightly-1.2.0.dev"), nightlyFile);
        assertTrue(nightlyFile.endsWith("-py3-none-any.whl"), nightlyFile);
        assertTrue(nightly.log().contains("verified " + nightlyFile), nightly.log());
        assertTrue(nightlyFile.contains(today) || !nightly.log().contains(today), nightlyFile);

        MavenInvocation.Result release = upload(wheelhouse("release")).property("neuron.release", "true").run();
        assertTrue(release.succeeded(), release.describe());
        assertEquals(List.of("sample_ext-1.2.0-py3-none-any.whl"), server.listing().get("sample-ext"));

        // pip fetches both from the index: same bytes as sent.
        Path downloads = work.resolve("downloads");
        Venv venv = Venv.create("python3", work.resolve("venv"));
        for (String requirement : List.of("sample-ext-nightly", "sample-ext==1.2.0")) {
            venv.pip("--isolated", "download", "--no-deps", "--pre", "--index-url", server.indexUrl(),
                    "-d", downloads.toString(), requirement);
        }
        Path sentNightly = work.resolve("staging-nightly").resolve(nightlyFile);
        assertEquals(FileDigests.sha256Of(sentNightly), FileDigests.sha256Of(downloads.resolve(nightlyFile)));
        assertEquals(FileDigests.sha256Of(work.resolve("release/sample_ext-1.2.0-py3-none-any.whl")),
                FileDigests.sha256Of(downloads.resolve("sample_ext-1.2.0-py3-none-any.whl")));

        // A rebuilt wheel of the same name and version (PyPI takes back identical bytes, not these):
        // without skip-existing a clear failure, with it success.
        Path rebuilt = Files.createDirectories(work.resolve("rebuilt"));
        TestWheels.write(rebuilt, "sample-ext", "1.2.0", "py3-none-any",
                TestWheels.metadata("sample-ext", "1.2.0") + "Rebuilt with another description.\n");
        MavenInvocation.Result duplicate = upload(rebuilt).property("neuron.release", "true").run();
        assertFalse(duplicate.succeeded());
        assertTrue(duplicate.log().contains("sample_ext-1.2.0-py3-none-any.whl already exists"), duplicate.describe());
        MavenInvocation.Result skipped = upload(rebuilt).property("neuron.release", "true")
                .property("neuron.skipExisting", "true").run();
        assertTrue(skipped.succeeded(), skipped.describe());
        assertTrue(skipped.log().contains("0 wheel(s) uploaded, 1 already present"), skipped.describe());
    }

    @Test
    void wrongTokenFailsClearlyAndNeverShowsInADebugLog() throws IOException {
        Path otherSettings = Files.writeString(work.resolve("settings-wrong.xml"), """
                <settings><servers><server>
                  <id>loopback</id><username>__token__</username><password>pypi-wrong-token-value-for-debug-test</password>
                </server></servers></settings>
                """);
        MavenInvocation.Result result = MavenInvocation.in(work)
                .args("-X", "-s", otherSettings.toString(), MavenInvocation.goal("upload"))
                .property("neuron.wheelhouse", wheelhouse("wrong-token").toString())
                .property("neuron.repositoryUrl", server.uploadUrl())
                .property("neuron.serverId", "loopback")
                .property("neuron.release", "true")
                .run();
        assertFalse(result.succeeded());
        assertTrue(result.log().contains("authentication failed"), result.describe());
        assertTrue(result.log().contains("[DEBUG] POST"), "the run logged at debug level");
        assertFalse(result.log().contains("pypi-wrong-token-value-for-debug-test"), "token leaked into the log");
        assertFalse(result.log().contains(java.util.Base64.getEncoder().encodeToString(
                "__token__:pypi-wrong-token-value-for-debug-test".getBytes())), "Basic header leaked into the log");
    }

    @Test
    void offlineFailsClearlyAndSkipSkips() throws IOException {
        Path wheelhouse = wheelhouse("offline");
        MavenInvocation.Result offline = upload(wheelhouse).args("-o").run();
        assertFalse(offline.succeeded());
        assertTrue(offline.log().contains("offline (-o)"), offline.describe());
        MavenInvocation.Result skipped = upload(wheelhouse).args("-o").property("neuron.upload.skip", "true").run();
        assertTrue(skipped.succeeded(), skipped.describe());
        assertTrue(skipped.log().contains("nothing uploaded"), skipped.describe());
        try (Stream<Path> staged = Files.list(wheelhouse)) {
            assertEquals(1, staged.count(), "the wheelhouse is left as it was");
        }
    }
}
