package org.neuronsimulator.wheel.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neuronsimulator.wheel.FileTrees;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.IoProblems;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.archive.DeflateEngine;
import org.neuronsimulator.wheel.archive.InvalidWheelException;
import org.neuronsimulator.wheel.archive.WheelWriter;
import org.neuronsimulator.wheel.audit.LibraryResolver;
import org.neuronsimulator.wheel.builder.container.ImageLibraryResolver;
import org.neuronsimulator.wheel.config.PomSettings;
import org.neuronsimulator.wheel.config.ProjectConfigurationException;
import org.neuronsimulator.wheel.config.ProjectSettings;
import org.neuronsimulator.wheel.macos.MacosRepairOptions;
import org.neuronsimulator.wheel.model.InvalidVersionException;
import org.neuronsimulator.wheel.model.Version;
import org.neuronsimulator.wheel.repair.RepairOptions;
import org.neuronsimulator.wheel.repair.WheelRepairException;
import org.neuronsimulator.wheel.wheelhouse.WheelhouseWriter;

/**
 * Turns the raw wheels of a build into the final ones: verified, repaired (libraries bundled, retagged) unless the
 * build repaired them or repair is skipped, renamed when asked, and written deterministically into the wheelhouse.
 */
public final class FinalWheels {

    /** What writing the wheelhouse needs; excludes, platform and repair skipping may come from pyproject.toml. */
    public static final class Settings {
        final Path rawWheelDirectory;
        final Path wheelhouse;
        final Path sourceDirectory;
        final PomSettings pom;
        String dockerPlatform;
        String distributionName;
        String distributionVersion;
        RepairOptions repairOptions = RepairOptions.defaults();
        Path imageLibraryDirectory;
        Path repairedWheelDirectory;
        List<String> macosLibraryPath = List.of();
        String macosDeploymentTarget;
        String macosArchs;
        String macosInstallNameTool;
        String deflate;
        String outputTimestamp;

        /** Where raw wheels are (searched recursively), where final ones go, and the project with its pyproject.toml. */
        public Settings(Path rawWheelDirectory, Path wheelhouse, Path sourceDirectory, PomSettings pom) {
            this.rawWheelDirectory = rawWheelDirectory;
            this.wheelhouse = wheelhouse;
            this.sourceDirectory = sourceDirectory;
            this.pom = pom;
        }

        public Settings dockerPlatform(String value) {
            dockerPlatform = value;
            return this;
        }

        /** The name and PEP 440 version to publish under; blank keeps the built ones. */
        public Settings rename(String name, String version) {
            distributionName = name;
            distributionVersion = version;
            return this;
        }

        /** The repair options; pyproject.toml's excludes and platform are merged in. */
        public Settings repair(RepairOptions options, Path imageLibraries, Path repairedWheels) {
            repairOptions = options;
            imageLibraryDirectory = imageLibraries;
            repairedWheelDirectory = repairedWheels;
            return this;
        }

        public Settings macos(List<String> libraryPath, String deploymentTarget, String archs, String installNameTool) {
            macosLibraryPath = libraryPath == null ? List.of() : libraryPath;
            macosDeploymentTarget = deploymentTarget;
            macosArchs = archs;
            macosInstallNameTool = installNameTool;
            return this;
        }

        /** The deflate engine ({@code auto}, {@code libdeflate}, {@code zlib}) and the reproducible-build timestamp. */
        public Settings writing(String deflateEngine, String timestamp) {
            deflate = deflateEngine;
            outputTimestamp = timestamp;
            return this;
        }

        public RepairOptions repairOptions() {
            return repairOptions;
        }
    }

    private final Settings settings;
    private final Map<String, String> environment;
    private final Reporter reporter;

    public FinalWheels(Settings settings, Map<String, String> environment, Reporter reporter) {
        this.settings = settings;
        this.environment = environment;
        this.reporter = reporter;
    }

    /**
     * Writes the final wheels and returns them.
     *
     * @throws InvalidSettingException no raw wheels, or a setting cannot be used
     * @throws ProjectConfigurationException pyproject.toml cannot be used
     * @throws InvalidWheelException a raw wheel is broken (an {@link IOException} that is the user's, not a failure)
     * @throws WheelRepairException a wheel cannot be repaired to the platform asked for
     * @throws IOException the wheels could not be read or written
     */
    public List<Path> write() throws ProjectConfigurationException, WheelRepairException, IOException {
        List<Path> raw = FileTrees.wheelsUnder(settings.rawWheelDirectory);
        if (raw.isEmpty()) {
            throw new InvalidSettingException("neuron.rawWheelDirectory", "no raw wheels in " + settings.rawWheelDirectory
                    + ": run the build goal first or set neuron.rawWheelDirectory");
        }
        ProjectSettings project = ProjectSettings.load(settings.sourceDirectory, settings.pom, settings.dockerPlatform, environment);
        Optional<Version> version;
        try {
            version = Optional.ofNullable(blankToNull(settings.distributionVersion)).map(Version::parse);
        } catch (InvalidVersionException e) {
            throw new InvalidSettingException("neuron.distributionVersion", e.getMessage(), e);
        }
        WheelhouseWriter.Settings writer = new WheelhouseWriter.Settings(settings.wheelhouse,
                Optional.ofNullable(blankToNull(settings.distributionName)), version, writeOptions(),
                project.repairSkip().value() ? Optional.empty() : Optional.of(repair(project)));
        return new WheelhouseWriter(writer, reporter).write(raw);
    }

    /** Libraries come from the build image when a container build exported it, else from this host. */
    private WheelhouseWriter.Repair repair(ProjectSettings project) {
        ProjectSettings.describeFromPyproject(List.of(project.excludes(), project.platform())).forEach(reporter::info);
        RepairOptions options = settings.repairOptions.withExcludes(project.excludes().value())
                .withPlatform(blankToNull(project.platform().value()));
        LibraryResolver resolver;
        try {
            resolver = ImageLibraryResolver.orHost(settings.imageLibraryDirectory, reporter);
        } catch (IOException e) { // a folder that is no exported image root: the setting names the wrong folder
            throw new InvalidSettingException("neuron.imageLibraryDirectory", IoProblems.describe(e), e);
        }
        return new WheelhouseWriter.Repair(resolver, options,
                settings.repairedWheelDirectory, MacosRepairOptions.of(settings.macosLibraryPath, project.platform().value(),
                settings.macosDeploymentTarget, settings.macosArchs, settings.macosInstallNameTool, environment,
                System.getProperty("os.name")));
    }

    private WheelWriter.Options writeOptions() {
        DeflateEngine engine = DeflateEngine.parse(settings.deflate);
        reporter.debug("deflate engine: " + engine.describe());
        String epoch = environment.get("SOURCE_DATE_EPOCH");
        WheelWriter.Options options;
        if (epoch != null && !epoch.isBlank()) {
            options = WheelWriter.Options.withSourceDateEpoch(epoch);
        } else if (settings.outputTimestamp != null && !settings.outputTimestamp.isBlank()) {
            options = WheelWriter.Options.defaults().sourceDateEpoch(outputTimestamp(settings.outputTimestamp));
        } else {
            options = WheelWriter.Options.defaults();
        }
        return options.deflateEngine(engine.resolve()).compressionLevel(settings.repairOptions.compressionLevel());
    }

    /** A reproducible-build timestamp as Maven writes it: seconds since the epoch or an ISO-8601 date-time with offset. */
    public static long outputTimestamp(String value) {
        String trimmed = value.trim();
        if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(trimmed);
        }
        try {
            return OffsetDateTime.parse(trimmed).toEpochSecond();
        } catch (DateTimeParseException e) {
            throw new InvalidSettingException("project.build.outputTimestamp", "project.build.outputTimestamp '" + value
                    + "' is neither seconds since 1970 nor an ISO-8601 date-time", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
