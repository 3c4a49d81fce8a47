package org.neuronsimulator.wheel.publish;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.archive.InvalidWheelException;
import org.neuronsimulator.wheel.archive.ZipArchive;
import org.neuronsimulator.wheel.archive.ZipEntryInfo;
import org.neuronsimulator.wheel.model.CoreMetadata;
import org.neuronsimulator.wheel.model.Utf8Text;
import org.neuronsimulator.wheel.model.InvalidMetadataException;
import org.neuronsimulator.wheel.model.InvalidWheelFileNameException;
import org.neuronsimulator.wheel.model.ProjectNames;
import org.neuronsimulator.wheel.model.Version;
import org.neuronsimulator.wheel.model.WheelFileName;

/** Renames a wheel for publication when its naming asks for it, then checks it and builds its form. */
final class WheelPreparer {

    /** Writes a copy of a wheel under a new project name and version into a folder, returning it. */
    @FunctionalInterface
    interface Renaming {
        Path rename(Path wheel, String newName, Version newVersion, Path outputDirectory) throws IOException;
    }

    private final PublishNaming naming;
    private final Path staging;
    private final long maxFileSize;
    private final Reporter reporter;
    private final Renaming renaming;

    WheelPreparer(PublishNaming naming, Path staging, long maxFileSize, Reporter reporter, Renaming renaming) {
        this.naming = naming;
        this.staging = staging;
        this.maxFileSize = maxFileSize;
        this.reporter = reporter;
        this.renaming = renaming;
    }

    PreparedWheel prepare(Path wheel) throws PreflightException, IOException {
        String raw = wheel.getFileName().toString();
        WheelFileName filename;
        CoreMetadata metadata;
        try {
            filename = WheelFileName.parse(raw);
        } catch (InvalidWheelFileNameException e) {
            throw new PreflightException(wheel, List.of("not a valid wheel filename: " + e.getMessage()));
        }
        try {
            metadata = readMetadata(wheel, filename);
        } catch (InvalidMetadataException e) {
            throw new PreflightException(wheel, List.of("unreadable METADATA: " + e.getMessage()));
        }
        String targetName;
        Version targetVersion;
        try {
            targetName = naming.targetName(metadata.name());
            targetVersion = naming.targetVersion(metadata.version(), "");
        } catch (IllegalArgumentException e) {
            throw new PreflightException(wheel, List.of(e.getMessage()));
        }
        Path file = wheel;
        if (!targetName.equals(metadata.name()) || !targetVersion.equals(metadata.version())) {
            Files.createDirectories(staging);
            if (staging.toAbsolutePath().normalize().equals(wheel.toAbsolutePath().getParent().normalize())) {
                throw new IOException("the staging folder " + staging + " must not be the wheelhouse itself");
            }
            try {
                file = renaming.rename(wheel, targetName, targetVersion, staging);
            } catch (InvalidWheelException e) {
                throw new PreflightException(wheel, List.of("cannot be renamed to " + targetName + " " + targetVersion
                        + ": " + e.getMessage()));
            }
            reporter.info("renamed " + raw + " -> " + file.getFileName());
            filename = WheelFileName.parse(file.getFileName().toString());
            metadata = readMetadata(file, filename);
        }
        // The checks and the digests each read the whole file: run them side by side.
        Path checked = file;
        WheelFileName checkedName = filename;
        CoreMetadata checkedMetadata = metadata;
        CompletableFuture<List<String>> checks = Background.start(
                () -> Preflight.check(checked, checkedName, checkedMetadata, maxFileSize));
        FileDigests digests = FileDigests.of(file);
        List<String> problems;
        try {
            problems = Background.join(checks);
        } catch (IOException e) {
            // The file was readable as bytes (its digests were computed), so this is its structure.
            throw new PreflightException(file, List.of("not a readable zip archive: "
                    + (e instanceof InvalidWheelException invalid ? invalid.reason() : e.getMessage())));
        }
        if (!problems.isEmpty()) {
            throw new PreflightException(file, problems);
        }
        UploadForm form = UploadForms.forWheel(file, filename, metadata, digests);
        return new PreparedWheel(wheel, file, metadata.name(), ProjectNames.normalize(metadata.name()),
                metadata.version().toString(), form, digests);
    }

    static CoreMetadata readMetadata(Path wheel, WheelFileName filename) throws IOException, PreflightException {
        try (ZipArchive zip = ZipArchive.inspect(wheel, ZipArchive.Limits.DEFAULT)) {
            String name = distInfoDirectory(zip, wheel, filename) + "/METADATA";
            if (zip.entry(name) == null) {
                throw new PreflightException(wheel, List.of("no " + name + " in the archive"));
            }
            String source = name + " in " + wheel.getFileName();
            try (InputStream in = zip.openEntry(name)) {
                return CoreMetadata.parse(Utf8Text.decode(in.readAllBytes(), source), source);
            }
        } catch (InvalidWheelException e) {
            throw new PreflightException(wheel, List.of("not a readable zip archive: " + e.reason()));
        }
    }

    /** The archive's one top-level {@code .dist-info} folder of the project, whatever its spelling. */
    static String distInfoDirectory(ZipArchive zip, Path wheel, WheelFileName filename) throws PreflightException {
        java.util.Set<String> found = new java.util.TreeSet<>();
        for (ZipEntryInfo entry : zip.entries()) {
            String n = entry.name();
            int slash = n.indexOf('/');
            if (slash > 0 && n.substring(0, slash).endsWith(".dist-info")) {
                found.add(n.substring(0, slash));
            }
        }
        String expected = filename.distInfoDirectory();
        List<String> matching = found.stream().filter(d -> {
            String stem = d.substring(0, d.length() - ".dist-info".length());
            int dash = stem.lastIndexOf('-');
            return dash > 0 && ProjectNames.normalize(stem.substring(0, dash)).equals(filename.projectName());
        }).toList();
        if (found.contains(expected)) {
            return expected;
        }
        if (matching.size() != 1) {
            throw new PreflightException(wheel, List.of(matching.isEmpty()
                    ? "no " + expected + " folder in the archive (found: " + found + ")"
                    : "several .dist-info folders for the project: " + matching));
        }
        return matching.get(0);
    }
}
