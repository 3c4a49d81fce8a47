package org.neuronsimulator.wheel.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.neuronsimulator.wheel.FileTrees;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.builder.BuildCommand;
import org.neuronsimulator.wheel.builder.BuildFailedException;
import org.neuronsimulator.wheel.builder.BuildRequest;
import org.neuronsimulator.wheel.builder.BuiltWheel;
import org.neuronsimulator.wheel.builder.HostWheelBuilder;
import org.neuronsimulator.wheel.builder.PythonDiscovery;
import org.neuronsimulator.wheel.builder.PythonSelector;
import org.neuronsimulator.wheel.builder.container.BuildVariant;
import org.neuronsimulator.wheel.builder.container.ContainerBuildOptions;
import org.neuronsimulator.wheel.builder.container.ContainerWheelBuilder;
import org.neuronsimulator.wheel.builder.container.DockerEngine;
import org.neuronsimulator.wheel.builder.container.DockerUnavailableException;
import org.neuronsimulator.wheel.builder.container.ExtraInput;
import org.neuronsimulator.wheel.builder.container.PullPolicy;
import org.neuronsimulator.wheel.config.PomSettings;
import org.neuronsimulator.wheel.config.ProjectConfigurationException;
import org.neuronsimulator.wheel.config.ProjectSettings;
import org.neuronsimulator.wheel.macos.MacosBuildEnvironment;

/**
 * Builds raw wheels of a project for the selected Pythons, on this machine or, when an image is set (by the
 * settings or pyproject.toml), in containers of that image; results go to {@code <raw wheels>/<python tag>/}.
 */
public final class WheelBuild {

    /** What a build needs; unset values mean the project's pyproject.toml or the defaults decide. */
    public static final class Settings {
        final Path sourceDirectory;
        final Path rawWheelDirectory;
        final PomSettings pom;
        Path imageLibraryDirectory;
        String python;
        String buildCommand;
        Duration timeout = Duration.ofMinutes(60);
        String dockerPlatform;
        PullPolicy pullPolicy = PullPolicy.MISSING;
        boolean offline;
        int parallel = 1;
        boolean keepContainers;
        String cacheDirectory;
        String pipCache = ContainerBuildOptions.DEFAULT_PIP_CACHE;
        List<ExtraInput> extraInputs = List.of();
        boolean mountExtraInputs;
        BuildVariant variant = BuildVariant.NONE;
        String macosDeploymentTarget;
        String macosArchs;

        /** The project folder, where raw wheels go, and the settings pyproject.toml can also give. */
        public Settings(Path sourceDirectory, Path rawWheelDirectory, PomSettings pom) {
            this.sourceDirectory = sourceDirectory;
            this.rawWheelDirectory = rawWheelDirectory;
            this.pom = pom;
        }

        /** Where a container build leaves the image's libraries for the repair (cleared by every build); null: nowhere. */
        public Settings imageLibraryDirectory(Path value) {
            imageLibraryDirectory = value;
            return this;
        }

        public Settings python(String value) {
            python = value;
            return this;
        }

        /** A command line replacing the build frontend's command; blank: the frontend's. */
        public Settings buildCommand(String value) {
            buildCommand = value;
            return this;
        }

        /** Per-Python time limit; a container's own limit is this, at least 10 minutes. */
        public Settings timeout(Duration value) {
            timeout = value;
            return this;
        }

        public Settings dockerPlatform(String value) {
            dockerPlatform = value;
            return this;
        }

        /** The pull policy as asked; when {@code offline} the image is never pulled. */
        public Settings pull(PullPolicy value, boolean offline) {
            pullPolicy = value;
            this.offline = offline;
            return this;
        }

        public Settings parallel(int value) {
            parallel = value;
            return this;
        }

        public Settings keepContainers(boolean value) {
            keepContainers = value;
            return this;
        }

        public Settings caches(String compilerCache, String pipCacheName) {
            cacheDirectory = compilerCache;
            pipCache = pipCacheName;
            return this;
        }

        public Settings extraInputs(List<ExtraInput> value, boolean mount) {
            extraInputs = List.copyOf(value);
            mountExtraInputs = mount;
            return this;
        }

        public Settings variant(BuildVariant value) {
            variant = value;
            return this;
        }

        public Settings macos(String deploymentTarget, String archs) {
            macosDeploymentTarget = deploymentTarget;
            macosArchs = archs;
            return this;
        }

        public Duration timeout() {
            return timeout;
        }

        public BuildVariant variant() {
            return variant;
        }

        public List<ExtraInput> extraInputs() {
            return extraInputs;
        }
    }

    private final Settings settings;
    private final Map<String, String> environment;
    private final Reporter reporter;

    public WheelBuild(Settings settings, Map<String, String> environment, Reporter reporter) {
        this.settings = settings;
        this.environment = environment;
        this.reporter = reporter;
    }

    /**
     * Builds every selected wheel.
     *
     * @throws ProjectConfigurationException pyproject.toml cannot be used
     * @throws InvalidSettingException a setting cannot be used
     * @throws BuildFailedException a build command failed
     * @throws DockerUnavailableException no Docker engine answers
     * @throws IOException the build could not run
     */
    public List<BuiltWheel> run() throws ProjectConfigurationException, BuildFailedException, IOException {
        ProjectSettings project = ProjectSettings.load(settings.sourceDirectory, settings.pom, settings.dockerPlatform, environment);
        project.warnings().forEach(reporter::warn);
        project.describeFromPyproject().forEach(reporter::info);
        boolean inContainer = project.image().isSet();
        BuildRequest request = new BuildRequest(settings.sourceDirectory, settings.rawWheelDirectory,
                PythonSelector.parse(settings.python), BuildCommand.defaultCommand(),
                inContainer ? project.environment().value() : MacosBuildEnvironment.addTo(project.environment().value(),
                        System.getProperty("os.name"), settings.macosDeploymentTarget, settings.macosArchs), settings.timeout)
                .withFrontend(project.buildFrontend().value())
                .withSelection(project.selection())
                .withAssignments(project.assignments().value())
                .withBeforeSteps(project.beforeAll().value(), project.beforeBuild().value())
                .withRepairCommand(project.repairCommand().value());
        if (settings.buildCommand != null && !settings.buildCommand.isBlank()) {
            request = request.withCommand(BuildCommand.parse(settings.buildCommand));
        }
        List<BuiltWheel> wheels = inContainer ? buildInContainer(request, project) : buildOnHost(request);
        wheels.forEach(wheel -> reporter.info("raw wheel: " + wheel.file()));
        return wheels;
    }

    private List<BuiltWheel> buildOnHost(BuildRequest request) throws IOException, BuildFailedException {
        if (settings.imageLibraryDirectory != null) {
            FileTrees.delete(settings.imageLibraryDirectory); // a host build's libraries are the host's, not an earlier image's
        }
        return new HostWheelBuilder(PythonDiscovery.ofSystem(), reporter).build(request);
    }

    private List<BuiltWheel> buildInContainer(BuildRequest request, ProjectSettings project)
            throws IOException, BuildFailedException {
        String image = project.image().value();
        ContainerBuildOptions.Builder options = ContainerBuildOptions.builder(image)
                .pullPolicy(pullPolicy(settings.pullPolicy, settings.offline, image, reporter))
                .platform(settings.dockerPlatform)
                .parallel(settings.parallel)
                .keepContainers(settings.keepContainers)
                .cacheDirectory(settings.cacheDirectory)
                .pipCache(settings.pipCache)
                .network(project.network().value())
                .passEnvironment(project.passEnvironment().value())
                .mountExtraInputs(settings.mountExtraInputs)
                .variant(settings.variant)
                .containerTimeout(settings.timeout.compareTo(Duration.ofMinutes(10)) < 0 ? Duration.ofMinutes(10) : settings.timeout);
        settings.extraInputs.forEach(options::extraInput);
        ContainerBuildOptions built = options.build();
        try (DockerEngine engine = DockerEngine.connect(project.dockerHost().value(), environment)) {
            ContainerWheelBuilder builder = new ContainerWheelBuilder(engine, built, environment, reporter);
            if (settings.imageLibraryDirectory != null) {
                FileTrees.delete(settings.imageLibraryDirectory);
                builder.exportLibrariesTo(settings.imageLibraryDirectory);
            }
            return builder.build(request);
        }
    }

    /** The pull policy of a run: never when offline, which is reported. */
    public static PullPolicy pullPolicy(PullPolicy asked, boolean offline, String image, Reporter reporter) {
        if (offline && asked != PullPolicy.NEVER) {
            reporter.info("offline (-o): the image " + image + " is not pulled; it must be present");
            return PullPolicy.NEVER;
        }
        return asked;
    }
}
