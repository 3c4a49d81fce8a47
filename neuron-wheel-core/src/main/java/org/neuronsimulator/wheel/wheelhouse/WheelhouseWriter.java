package org.neuronsimulator.wheel.wheelhouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.archive.WheelArchive;
import org.neuronsimulator.wheel.archive.WheelRenamer;
import org.neuronsimulator.wheel.archive.WheelWriter;
import org.neuronsimulator.wheel.audit.LibraryResolver;
import org.neuronsimulator.wheel.macos.MacosRepairOptions;
import org.neuronsimulator.wheel.macos.MacosRepairResult;
import org.neuronsimulator.wheel.macos.MacosWheelAuditor;
import org.neuronsimulator.wheel.macos.MacosWheelRepairer;
import org.neuronsimulator.wheel.model.ProjectNames;
import org.neuronsimulator.wheel.model.Version;
import org.neuronsimulator.wheel.repair.RepairOptions;
import org.neuronsimulator.wheel.repair.RepairResult;
import org.neuronsimulator.wheel.repair.WheelRepairException;
import org.neuronsimulator.wheel.repair.WheelRepairer;

/**
 * Turns raw wheels into the final ones in the wheelhouse: each raw wheel is verified, Linux wheels
 * ({@code linux_<arch>}) and macOS wheels ({@code macosx_*}) are audited and repaired when asked,
 * renamed when asked, and written deterministically. All raw wheels are verified before anything is
 * written, so a bad one leaves the wheelhouse as it was.
 */
public final class WheelhouseWriter {

    /**
     * @param wheelhouse       the output folder
     * @param distributionName a new distribution name, or empty to keep the built one
     * @param version          a new version, or empty to keep the built one
     * @param writeOptions     timestamps, compression and threads of the written archives
     * @param repair           how to repair Linux wheels, or empty to leave them as built
     */
    public record Settings(Path wheelhouse, Optional<String> distributionName, Optional<Version> version,
                           WheelWriter.Options writeOptions, Optional<Repair> repair) {

        public Settings {
            Objects.requireNonNull(wheelhouse, "wheelhouse");
            Objects.requireNonNull(distributionName, "distributionName");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(writeOptions, "writeOptions");
            Objects.requireNonNull(repair, "repair");
            // checked before any wheel is read, verified or repaired
            distributionName.ifPresent(name -> {
                if (!ProjectNames.isValid(name)) {
                    throw new InvalidSettingException("neuron.distributionName", "neuron.distributionName '" + name + "' is not a valid project"
                            + " name: letters, digits, '.', '_' and '-', starting and ending with a letter or digit");
                }
            });
        }

        public Settings(Path wheelhouse, Optional<String> distributionName, Optional<Version> version,
                        WheelWriter.Options writeOptions) {
            this(wheelhouse, distributionName, version, writeOptions, Optional.empty());
        }
    }

    /**
     * @param resolver          where external libraries are found (the host, or an exported build image)
     * @param options           excludes, the platform to reach
     * @param stagingDirectory  where repaired wheels wait before they are written to the wheelhouse
     * @param macos             how macOS wheels are repaired (library search, deployment target, tools)
     */
    public record Repair(LibraryResolver resolver, RepairOptions options, Path stagingDirectory, MacosRepairOptions macos) {

        public Repair {
            Objects.requireNonNull(resolver, "resolver");
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(stagingDirectory, "stagingDirectory");
            Objects.requireNonNull(macos, "macos");
        }

        public Repair(LibraryResolver resolver, RepairOptions options, Path stagingDirectory) {
            this(resolver, options, stagingDirectory, MacosRepairOptions.defaults());
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
     * @throws WheelRepairException when a Linux wheel cannot reach its platform, naming what is in the way
     * @throws IOException when two raw wheels would give the same final file, or writing fails
     */
    public List<Path> write(List<Path> rawWheels) throws IOException, WheelRepairException {
        // a run killed with kill -9 leaves these; nothing of this project's runs is using them now
        removeLeftovers(settings.wheelhouse(), name -> name.startsWith(".") && name.endsWith(".whl.tmp"));
        if (settings.repair().isPresent()) {
            removeLeftovers(settings.repair().get().stagingDirectory(), name -> name.startsWith(".repair-"));
        }
        List<WheelArchive> opened = new ArrayList<>();
        try {
            for (Path raw : rawWheels) {
                opened.add(WheelArchive.open(raw));
            }
            if (settings.repair().isPresent()) {
                repairLinuxWheels(opened, settings.repair().get());
                repairMacosWheels(opened, settings.repair().get());
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

    private void removeLeftovers(Path folder, Predicate<String> leftover) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        List<Path> found;
        try (Stream<Path> entries = Files.list(folder)) {
            found = entries.filter(p -> leftover.test(p.getFileName().toString())).toList();
        }
        for (Path path : found) {
            try (Stream<Path> tree = Files.walk(path)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            reporter.info("removed " + path + ", left by an interrupted run");
        }
    }

    /** Replaces each opened macOS wheel by its repaired copy (libraries bundled, retagged). */
    private void repairMacosWheels(List<WheelArchive> opened, Repair repair) throws IOException, WheelRepairException {
        MacosWheelRepairer repairer = new MacosWheelRepairer(reporter);
        RepairOptions options = repair.options().withSourceDateEpoch(settings.writeOptions().sourceDateEpoch());
        for (int i = 0; i < opened.size(); i++) {
            WheelArchive archive = opened.get(i);
            if (!MacosWheelAuditor.isMacosWheel(archive.fileName())) {
                continue;
            }
            MacosRepairResult repaired = repairer.repair(archive.file(), options, repair.macos(), repair.stagingDirectory());
            opened.set(i, WheelArchive.open(repaired.wheel()));
            archive.close();
        }
    }

    /** Replaces each opened Linux wheel by its repaired copy; other platforms pass unchanged. */
    private void repairLinuxWheels(List<WheelArchive> opened, Repair repair) throws IOException, WheelRepairException {
        WheelRepairer repairer = new WheelRepairer(repair.resolver(), reporter);
        RepairOptions options = repair.options().withSourceDateEpoch(settings.writeOptions().sourceDateEpoch());
        for (int i = 0; i < opened.size(); i++) {
            WheelArchive archive = opened.get(i);
            if (archive.fileName().platformTags().stream().noneMatch(tag -> tag.startsWith("linux_"))) {
                continue;
            }
            RepairResult repaired = repairer.repair(archive.file(), options, repair.stagingDirectory());
            reporter.info(archive.file().getFileName() + ": " + repaired.audit().overallTag() + " as built, now "
                    + repaired.policy().tag());
            opened.set(i, WheelArchive.open(repaired.wheel()));
            archive.close();
        }
    }
}
