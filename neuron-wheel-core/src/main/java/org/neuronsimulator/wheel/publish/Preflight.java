package org.neuronsimulator.wheel.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.neuronsimulator.wheel.archive.InvalidWheelException;
import org.neuronsimulator.wheel.archive.WheelArchive;
import org.neuronsimulator.wheel.archive.ZipArchive;
import org.neuronsimulator.wheel.archive.ZipEntryInfo;
import org.neuronsimulator.wheel.model.CoreMetadata;
import org.neuronsimulator.wheel.model.ProjectNames;
import org.neuronsimulator.wheel.model.WheelFileName;

/**
 * The checks PyPI applies to an uploaded wheel, made before any byte is sent: allowed platform
 * tags, a filename that carries the normalised project name and version of its metadata, an
 * accepted metadata version, no local version, the size limit, a zip without data descriptors,
 * duplicate entries, trailing data or an excessive compression ratio, and a RECORD that matches the
 * archive. The zip and RECORD checks are the wheel reader's ({@link ZipArchive}, {@link WheelArchive}).
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
        try (ZipArchive zip = ZipArchive.inspect(file, ZipArchive.Limits.DEFAULT)) {
            List<String> layout = new ArrayList<>(zip.problems());
            for (ZipEntryInfo entry : zip.entries()) {
                if (entry.hasDataDescriptor()) {
                    layout.add("entry " + entry.name() + " uses a data descriptor (general-purpose flag bit 3)");
                }
            }
            problems.addAll(layout);
            if (layout.isEmpty()) {
                String distInfo;
                try {
                    distInfo = WheelPreparer.distInfoDirectory(zip, file, filename);
                } catch (PreflightException e) {
                    problems.addAll(e.reasons());
                    return problems;
                }
                problems.addAll(recordProblems(zip, distInfo));
            }
        }
        return problems;
    }

    /** RECORD must list every file with a matching hash and size, and nothing that is missing: the wheel reader's check. */
    static List<String> recordProblems(ZipArchive zip, String distInfo) throws IOException {
        try {
            WheelArchive.verifyRecord(zip, distInfo);
            return List.of();
        } catch (InvalidWheelException e) {
            return List.of(e.reason());
        }
    }

}
