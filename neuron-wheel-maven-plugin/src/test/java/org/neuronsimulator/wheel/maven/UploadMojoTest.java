package org.neuronsimulator.wheel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.publish.CredentialResolver;

/**
 * Wiring of the upload goal's parameters, without a network: skips, offline, release checks,
 * configuration errors and a dry run. Real uploads through Maven are in the integration tests.
 */
class UploadMojoTest {

    @TempDir
    Path dir;
    private final List<String> log = new ArrayList<>();

    private UploadMojo mojo() {
        // No settings.xml server is used here, so no decrypter is needed.
        UploadMojo mojo = new UploadMojo(null);
        mojo.useEnvironment(new CredentialResolver(Map.of(), null), LocalDate.of(2026, 11, 21));
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                log.add("[INFO] " + content);
            }

            @Override
            public void warn(CharSequence content) {
                log.add("[WARN] " + content);
            }
        });
        mojo.wheelhouse = dir.resolve("wheelhouse").toFile();
        mojo.stagingDirectory = dir.resolve("staging").toFile();
        mojo.repository = "pypi";
        mojo.nightlySuffix = "-nightly";
        mojo.gpuSuffix = "-gpu";
        mojo.verifyTimeout = 300;
        mojo.maxFileSizeMiB = 100;
        mojo.attempts = 5;
        mojo.readTimeout = 600;
        mojo.tryTimeout = 1800;
        mojo.deadline = 7200;
        mojo.settings = new Settings();
        return mojo;
    }

    @Test
    void skipFlags() throws Exception {
        UploadMojo mojo = mojo();
        mojo.skipUpload = true;
        mojo.execute();
        mojo = mojo();
        mojo.skip = true;
        mojo.execute();
        assertEquals(List.of("[INFO] neuron.upload.skip is set: nothing uploaded", "[INFO] neuron.skip is set: nothing uploaded"), log);
    }

    @Test
    void offlineIsAClearFailure() {
        UploadMojo mojo = mojo();
        mojo.settings.setOffline(true);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("offline (-o)"), e.getMessage());
    }

    @Test
    void releaseOfASnapshotProjectIsRefused() {
        UploadMojo mojo = mojo();
        mojo.release = true;
        mojo.project = new MavenProject();
        mojo.project.setVersion("9.0.0-SNAPSHOT");
        mojo.project.setFile(new File(dir.toFile(), "pom.xml"));
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("9.0.0-SNAPSHOT is a SNAPSHOT"), e.getMessage());
    }

    @Test
    void configurationErrors() {
        UploadMojo unknownServer = mojo();
        unknownServer.serverId = "nowhere";
        assertTrue(assertThrows(MojoFailureException.class, unknownServer::execute).getMessage()
                .contains("no <server> with that id"));
        UploadMojo unknownAlias = mojo();
        unknownAlias.repository = "pipy";
        assertTrue(assertThrows(MojoFailureException.class, unknownAlias::execute).getMessage()
                .contains("unknown repository 'pipy'"));
        UploadMojo badNumber = mojo();
        badNumber.buildNumber = "abc";
        assertTrue(assertThrows(MojoFailureException.class, badNumber::execute).getMessage().contains("must be digits"));
        UploadMojo noWheels = mojo();
        noWheels.dryRun = true;
        assertTrue(assertThrows(MojoFailureException.class, noWheels::execute).getMessage().contains("does not exist"));
    }

    @Test
    void dryRunRenamesAndChecksOffline() throws Exception {
        writeWheel(Files.createDirectories(dir.resolve("wheelhouse")));
        UploadMojo mojo = mojo();
        mojo.dryRun = true;
        mojo.settings.setOffline(true);
        mojo.execute();
        String text = String.join("\n", log);
        assertTrue(text.contains("dry run: would upload demo_nightly-1.0.dev20261121-py3-none-any.whl"), text);
        assertTrue(Files.exists(dir.resolve("staging/demo_nightly-1.0.dev20261121-py3-none-any.whl")), text);
        assertTrue(text.contains("1 wheel(s) checked, nothing uploaded (dry run)"), text);
    }

    /** A minimal valid wheel, entries stored (no data descriptors). */
    private static void writeWheel(Path dir) throws IOException {
        String metadata = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n";
        String wheel = "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n";
        String init = "";
        String record = "demo/__init__.py," + hash(init) + ",0\n"
                + "demo-1.0.dist-info/METADATA," + hash(metadata) + "," + metadata.length() + "\n"
                + "demo-1.0.dist-info/WHEEL," + hash(wheel) + "," + wheel.length() + "\n"
                + "demo-1.0.dist-info/RECORD,,\n";
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(dir.resolve("demo-1.0-py3-none-any.whl")))) {
            for (String[] e : new String[][] {{"demo/__init__.py", init}, {"demo-1.0.dist-info/METADATA", metadata},
                    {"demo-1.0.dist-info/WHEEL", wheel}, {"demo-1.0.dist-info/RECORD", record}}) {
                byte[] data = e[1].getBytes(StandardCharsets.UTF_8);
                ZipEntry entry = new ZipEntry(e[0]);
                CRC32 crc = new CRC32();
                crc.update(data);
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(data.length);
                entry.setCompressedSize(data.length);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(data);
                zip.closeEntry();
            }
        }
    }

    private static String hash(String content) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return "sha256=" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
