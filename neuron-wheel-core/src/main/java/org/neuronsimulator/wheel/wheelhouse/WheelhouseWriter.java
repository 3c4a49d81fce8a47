package org.neuronsimulator.wheel.wheelhouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.archive.WheelArchive;
import org.neuronsimulator.wheel.archive.WheelRenamer;
import org.neuronsimulator.wheel.archive.WheelWriter;
import org.neuronsimulator.wheel.model.Version;

/**
 * Turns raw wheels into the final ones in the wheelhouse: each raw wheel is verified, renamed when
 * asked, and written deterministically. All raw wheels are verified before the first is written, so
 * a bad one leaves the wheelhouse as it was.
 */
public final class WheelhouseWriter {

    /**
     * @param wheelhouse       the output folder
     * @param distributionName a new distribution name, or empty to keep the built one
     * @param version          a new version, or empty to keep the built one
     * @param writeOptions     timestamps, compression and threads of the written archives
     */
    public record Settings(Path wheelhouse, Optional<String> distributionName, Optional<Version> version,
                           WheelWriter.Options writeOptions) {

        public Settings {
            Objects.requireNonNull(wheelhouse, "wheelhouse");
            Objects.requireNonNull(distributionName, "distributionName");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(writeOptions, "writeOptions");
        }
    }

    private final Settings settings;
    private final Reporter reporter;

    public WheelhouseWriter(Settings settings, Reporter reporter) {
        this.settings = settings;
        this.reporter = reporter;
    }

    /**
     * Writes the final wheel of each raw wheel and returns their paths, in the order given.
     *
     * @throws org.neuronsimulator.wheel.archive.InvalidWheelException naming a raw wheel that is not valid
     * @throws IOException when two raw wheels would give the same final file, or writing fails
     */
    public List<Path> write(List<Path> rawWheels) throws IOException {
        List<WheelArchive> opened = new ArrayList<>();
        try {
            for (Path raw : rawWheels) {
                opened.add(WheelArchive.open(raw));
            }
            List<WheelRenamer.Renamed> finals = new ArrayList<>();
            Map<String, Path> sources = new HashMap<>();
            for (WheelArchive archive : opened) {
                WheelRenamer.Renamed renamed = WheelRenamer.rename(archive, settings.distributionName(),
                        settings.version());
                Path earlier = sources.putIfAbsent(renamed.fileName().toString(), archive.file());
                if (earlier != null) {
                    throw new IOException("raw wheels " + earlier + " and " + archive.file()
                            + " would both become " + renamed.fileName() + " in the wheelhouse");
                }
                finals.add(renamed);
            }
            Files.createDirectories(settings.wheelhouse());
            WheelWriter writer = new WheelWriter(settings.writeOptions());
            List<Path> written = new ArrayList<>();
            for (WheelRenamer.Renamed wheel : finals) {
                Path target = settings.wheelhouse().resolve(wheel.fileName().toString());
                writer.write(wheel.contents(), target);
                reporter.info("wheel: " + target);
                written.add(target);
            }
            return written;
        } finally {
            for (WheelArchive archive : opened) {
                archive.close();
            }
        }
    }
}
