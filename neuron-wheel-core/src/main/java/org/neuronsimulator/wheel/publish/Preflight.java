package org.neuronsimulator.wheel.publish;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.neuronsimulator.wheel.model.CoreMetadata;
import org.neuronsimulator.wheel.model.InvalidMetadataException;
import org.neuronsimulator.wheel.model.ProjectNames;
import org.neuronsimulator.wheel.model.Record;
import org.neuronsimulator.wheel.model.RecordDigest;
import org.neuronsimulator.wheel.model.RecordEntry;
import org.neuronsimulator.wheel.model.WheelFileName;

/**
 * The checks PyPI applies to an uploaded wheel, made before any byte is sent: allowed platform
 * tags, a filename that carries the normalised project name and version of its metadata, an
 * accepted metadata version, no local version, the size limit, a zip without data descriptors,
 * duplicate entries or trailing data, and a RECORD that matches the archive.
 */
public final class Preflight {

    static final Set<String> METADATA_VERSIONS = Set.of("1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5");

    private static final String ARCHES = "(x86_64|i686|aarch64|armv7l|ppc64|ppc64le|s390x|riscv64|loongarch64)";
    private static final List<Pattern> PLATFORMS = List.of(
            Pattern.compile("any"),
            Pattern.compile("win32|win_amd64|win_arm64|win_ia64"),
            Pattern.compile("manylinux1_(x86_64|i686)"),
            Pattern.compile("manylinux2010_(x86_64|i686)"),
            Pattern.compile("manylinux2014_" + ARCHES),
            Pattern.compile("manylinux_[0-9]+_[0-9]+_" + ARCHES),
            Pattern.compile("musllinux_[0-9]+_[0-9]+_" + ARCHES),
            Pattern.compile("macosx_[0-9]+_[0-9]+_(ppc|ppc64|i386|x86_64|arm64|intel|fat|fat3|fat32|fat64|universal|universal2)"),
            Pattern.compile("linux_(armv6l|armv7l)"),
            Pattern.compile("android_[0-9]+_(armeabi_v7a|arm64_v8a|x86|x86_64)"),
            Pattern.compile("ios_[0-9]+_[0-9]+_(arm64|x86_64)_(iphoneos|iphonesimulator)"));

    private Preflight() {
    }

    /** Whether PyPI accepts wheels with this platform tag ({@code linux_x86_64} it does not). */
    public static boolean isAllowedPlatform(String tag) {
        return PLATFORMS.stream().anyMatch(p -> p.matcher(tag).matches());
    }

    /** Every reason the index would refuse the wheel; empty when none. */
    public static List<String> check(Path file, WheelFileName filename, CoreMetadata metadata, long maxFileSize)
            throws IOException {
        List<String> problems = new ArrayList<>();
        long size = Files.size(file);
        if (size > maxFileSize) {
            problems.add("file size " + size + " bytes exceeds the index's limit of " + maxFileSize
                    + " bytes (PyPI allows 100 MiB unless the project's limit was raised)");
        }
        for (String platform : filename.platformTags()) {
            if (!isAllowedPlatform(platform)) {
                problems.add("platform tag " + platform + " is not accepted by PyPI"
                        + (platform.startsWith("linux_") ? " (repair the wheel to a manylinux tag first)" : ""));
            }
        }
        if (!METADATA_VERSIONS.contains(metadata.metadataVersion())) {
            problems.add("Metadata-Version " + metadata.metadataVersion() + " is not one of " + String.join(", ",
                    METADATA_VERSIONS.stream().sorted().toList()));
        }
        if (!filename.projectName().equals(ProjectNames.normalize(metadata.name()))) {
            problems.add("the filename names project " + filename.projectName() + " but the metadata names "
                    + metadata.name());
        }
        if (!filename.version().equals(metadata.version())) {
            problems.add("the filename's version " + filename.version() + " differs from the metadata's " + metadata.version());
        }
        String actual = file.getFileName().toString();
        if (!actual.equals(filename.toString())) {
            problems.add("the filename is not in normal form (normalised name and version): expected " + filename);
        }
        if (metadata.version().hasLocal()) {
            problems.add("version " + metadata.version() + " has a local part (+" + metadata.version().local().orElse("")
                    + "), which PyPI refuses");
        }
        ZipLayout layout = ZipLayout.read(file);
        problems.addAll(layout.problems());
        if (layout.problems().isEmpty()) {
            String distInfo;
            try (ZipFile zip = new ZipFile(file.toFile())) {
                distInfo = WheelPreparer.distInfoDirectory(zip, file, filename);
            } catch (PreflightException e) {
                problems.addAll(e.reasons());
                return problems;
            }
            problems.addAll(recordProblems(file, distInfo));
        }
        return problems;
    }

    /** RECORD must list every file with a matching hash and size, and nothing that is missing. */
    static List<String> recordProblems(Path file, String distInfo) throws IOException {
        List<String> problems = new ArrayList<>();
        String recordName = distInfo + "/RECORD";
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry recordEntry = zip.getEntry(recordName);
            if (recordEntry == null) {
                problems.add("no " + recordName + " in the archive");
                return problems;
            }
            Record record;
            try (InputStream in = zip.getInputStream(recordEntry)) {
                record = Record.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), recordName);
            } catch (InvalidMetadataException e) {
                problems.add(e.getMessage());
                return problems;
            }
            Set<String> listed = new LinkedHashSet<>();
            record.entries().forEach(e -> listed.add(e.path()));
            var entries = zip.entries();
            byte[] buffer = new byte[1 << 16];
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                listed.remove(name);
                if (entry.isDirectory() || name.equals(recordName) || name.equals(recordName + ".jws")
                        || name.equals(recordName + ".p7s")) {
                    continue;
                }
                Optional<RecordEntry> row = record.find(name);
                if (row.isEmpty()) {
                    problems.add(name + " is in the archive but not in RECORD");
                    continue;
                }
                if (!row.get().isHashed()) {
                    problems.add("RECORD gives no hash for " + name);
                    continue;
                }
                RecordDigest digest = row.get().newDigest();
                try (InputStream in = zip.getInputStream(entry)) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        digest.update(buffer, 0, n);
                    }
                }
                row.get().check(digest).ifPresent(problem -> problems.add("RECORD does not match the content: " + problem));
            }
            for (String missing : listed) {
                problems.add("RECORD lists " + missing + ", which is not in the archive");
            }
        }
        return problems;
    }

}
