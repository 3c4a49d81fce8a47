package org.neuronsimulator.wheel.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import org.neuronsimulator.wheel.model.CoreMetadata;
import org.neuronsimulator.wheel.model.ProjectNames;
import org.neuronsimulator.wheel.model.Version;
import org.neuronsimulator.wheel.model.WheelFileName;

/**
 * Gives a built wheel another distribution name and/or version without rebuilding it (e.g.
 * {@code neuron} → {@code neuron-nightly}): the dist-info and {@code .data} directories are renamed,
 * METADATA gets the new {@code Name} and {@code Version}, RECORD is regenerated and the filename follows.
 * The import packages stay exactly as they are.
 */
public final class WheelRenamer {

    /** A renamed wheel ready to write: its new filename and contents. */
    public record Renamed(WheelFileName fileName, WheelContents contents) {
    }

    private final WheelWriter writer;

    public WheelRenamer(WheelWriter writer) {
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /**
     * The contents of {@code wheel} under the new name and/or version (empty keeps the current one).
     * The wheel must stay open until the result is written.
     */
    public static Renamed rename(WheelArchive wheel, Optional<String> newName, Optional<Version> newVersion) {
        WheelFileName oldName = wheel.fileName();
        String project = newName.map(ProjectNames::requireValid).orElse(wheel.metadata().name());
        Version version = newVersion.orElse(wheel.fileName().version());
        WheelFileName fileName = oldName.withDistribution(project).withVersion(version);

        WheelContents contents = wheel.contents();
        String oldDataPrefix = wheel.distInfoDirectory().substring(0,
                wheel.distInfoDirectory().length() - ".dist-info".length()) + ".data";
        contents.renameDirectory(wheel.distInfoDirectory(), fileName.distInfoDirectory());
        for (String data : dataDirectories(contents, oldDataPrefix, oldName)) {
            contents.renameDirectory(data, fileName.dataDirectory());
        }
        CoreMetadata metadata = wheel.metadata();
        if (newName.isPresent()) {
            metadata = metadata.withName(project);
        }
        if (newVersion.isPresent()) {
            metadata = metadata.withVersion(version);
        }
        contents.put(fileName.distInfoDirectory() + "/METADATA", metadata.serialize().getBytes(StandardCharsets.UTF_8));
        return new Renamed(fileName, contents);
    }

    /** Top-level {@code .data} directories belonging to the wheel (named after it as in the archive or the filename). */
    private static java.util.Set<String> dataDirectories(WheelContents contents, String archivePrefix,
            WheelFileName oldName) {
        java.util.Set<String> dirs = new java.util.TreeSet<>();
        for (String name : contents.names()) {
            int slash = name.indexOf('/');
            if (slash > 0) {
                String top = name.substring(0, slash);
                if (top.equals(archivePrefix) || top.equals(oldName.dataDirectory())) {
                    dirs.add(top);
                }
            }
        }
        return dirs;
    }

    /** Renames {@code wheel} and writes the result into {@code outputDirectory}; returns the new wheel's path. */
    public Path rename(WheelArchive wheel, Optional<String> newName, Optional<Version> newVersion,
            Path outputDirectory) throws IOException {
        Renamed renamed = rename(wheel, newName, newVersion);
        return writer.write(renamed.contents(), outputDirectory.resolve(renamed.fileName().toString()));
    }
}
