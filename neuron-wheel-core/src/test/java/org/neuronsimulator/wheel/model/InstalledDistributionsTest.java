package org.neuronsimulator.wheel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reads the dist-info directories that pip wrote into a fresh virtual environment (pip,
 * packaging, setuptools): every METADATA and WHEEL round-trips, and every hashed RECORD row
 * matches the installed file.
 */
class InstalledDistributionsTest {

    @Test
    void readsAndVerifiesInstalledDistributions() throws IOException {
        Path site = PackagingEnvironment.sitePackages();
        List<Path> distInfos = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(site, "*.dist-info")) {
            dirs.forEach(distInfos::add);
        }
        assertTrue(distInfos.stream().anyMatch(d -> d.getFileName().toString().startsWith("packaging-")), distInfos::toString);

        int verified = 0;
        for (Path dir : distInfos) {
            String dirName = dir.getFileName().toString();
            String metadataText = Files.readString(dir.resolve("METADATA"), StandardCharsets.UTF_8);
            CoreMetadata metadata = CoreMetadata.parse(metadataText, dirName + "/METADATA");
            assertEquals(metadataText, metadata.serialize());
            // The directory is named after the escaped name and the version.
            assertEquals(ProjectNames.filenameEscape(metadata.name()) + "-" + metadata.version() + ".dist-info",
                    dirName.toLowerCase());

            Path wheelFile = dir.resolve("WHEEL");
            if (Files.exists(wheelFile)) {
                String wheelText = Files.readString(wheelFile, StandardCharsets.UTF_8);
                WheelInfo wheel = WheelInfo.parse(wheelText, dirName + "/WHEEL");
                assertEquals(wheelText, wheel.serialize());
                assertEquals(1, wheel.wheelVersionMajor());
                assertFalse(wheel.tags().isEmpty(), dirName);
            }

            Record record = Record.parse(Files.readString(dir.resolve("RECORD"), StandardCharsets.UTF_8), dirName + "/RECORD");
            RecordEntry own = record.find(dirName + "/RECORD").orElseThrow();
            assertFalse(own.isHashed(), "RECORD lists itself without a hash");
            for (RecordEntry entry : record.entries()) {
                if (!entry.isHashed()) {
                    continue;
                }
                Path file = site.resolve(entry.path()).normalize();
                RecordDigest digest = entry.newDigest();
                try (InputStream in = Files.newInputStream(file)) {
                    Record.digest(in, digest);
                }
                Optional<String> problem = entry.check(digest);
                assertEquals(Optional.empty(), problem, "installed file matches RECORD");
                verified++;
            }
            assertEquals(Record.parse(record.serialize(), "rewritten"), record, "serialised RECORD reads back the same");
        }
        assertTrue(verified > 100, "verified " + verified + " files");
    }
}
