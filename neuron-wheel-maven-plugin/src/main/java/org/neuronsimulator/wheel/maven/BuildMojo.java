package org.neuronsimulator.wheel.maven;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.IoProblems;
import org.neuronsimulator.wheel.builder.BuildCommand;
import org.neuronsimulator.wheel.builder.BuildFailedException;
import org.neuronsimulator.wheel.builder.BuildRequest;
import org.neuronsimulator.wheel.builder.BuiltWheel;
import org.neuronsimulator.wheel.builder.HostWheelBuilder;
import org.neuronsimulator.wheel.builder.PythonDiscovery;
import org.neuronsimulator.wheel.builder.PythonSelector;
import org.neuronsimulator.wheel.builder.WheelBuilder;
import org.neuronsimulator.wheel.builder.container.BuildVariant;
import org.neuronsimulator.wheel.builder.container.ContainerBuildOptions;
import org.neuronsimulator.wheel.builder.container.ContainerWheelBuilder;
import org.neuronsimulator.wheel.builder.container.DockerEngine;
import org.neuronsimulator.wheel.builder.container.ExtraInput;
import org.neuronsimulator.wheel.macos.MacosBuildEnvironment;
import org.neuronsimulator.wheel.config.PomSettings;
import org.neuronsimulator.wheel.config.ProjectConfigurationException;
import org.neuronsimulator.wheel.config.ProjectSettings;

/**
 * Builds raw wheels of the project for the selected Pythons. Host builds use the machine's
 * interpreters; when {@code neuron.image} is set the builds run inside that Docker image instead
 * (its {@code /opt/python/*} interpreters). The results go to {@code rawWheelDirectory/<python tag>/} for
 * the {@code wheel} goal. Settings the pom leaves unset come from the project's {@code [tool.cibuildwheel]}
 * in pyproject.toml, as cibuildwheel reads them.
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.COMPILE, threadSafe = true)
public class BuildMojo extends ContainerMojo {

    /** Which Pythons: {@code 3.11}, {@code 311}, {@code cp312}, {@code 3*}, paths; comma-separated. Empty: {@code python3} on the PATH. */
    @Parameter(property = "neuron.python")
    String python;

    /** The Python project to build (holds {@code pyproject.toml} or {@code setup.py}). */
    @Parameter(property = "neuron.sourceDirectory", defaultValue = "${project.basedir}")
    File sourceDirectory;

    /** Where raw wheels are written, one sub-folder per Python. */
    @Parameter(property = "neuron.rawWheelDirectory", defaultValue = "${project.build.directory}/raw-wheels")
    File rawWheelDirectory;

    /**
     * The per-Python build command; placeholders {@code {python}}, {@code {source}}, {@code {outdir}}. Unset: the
     * build frontend's ({@code {python} -m pip wheel --no-deps --wheel-dir {outdir} {source}} for pip).
     */
    @Parameter(property = "neuron.buildCommand")
    String buildCommand;

    /**
     * The build frontend: {@code pip} (default) or {@code build} (pypa/build, installed per Python into a virtual
     * environment), optionally with arguments: {@code build; args: --no-isolation}.
     */
    @Parameter(property = "neuron.buildFrontend")
    String buildFrontend;

    /** Extra environment variables for the build command (taken as they are). Unset: pyproject.toml's {@code environment}. */
    @Parameter
    Map<String, String> environment = Map.of();

    /** Per-Python build time limit, in minutes. */
    @Parameter(property = "neuron.build.timeoutMinutes", defaultValue = "60")
    long timeoutMinutes;

    /**
     * Docker image to build in (e.g. {@code quay.io/pypa/manylinux2014_x86_64}, or a short name such as
     * {@code manylinux_2_28}); unset: pyproject.toml's {@code manylinux-<arch>-image}, else build on the host.
     */
    @Parameter(property = "neuron.image")
    String image;

    /** Build selectors on identifiers such as {@code cp312-manylinux_x86_64} ({@code cp31?-*}, {@code {cp,pp}3*}); unset: every one. */
    @Parameter(property = "neuron.buildPatterns")
    List<String> buildPatterns;

    /** Skip selectors on identifiers ({@code pp*}, {@code *t-*}, {@code *musllinux*}). */
    @Parameter(property = "neuron.skipPatterns")
    List<String> skipPatterns;

    /** Groups built only when enabled: {@code pypy}, {@code graalpy}, {@code cpython-freethreading}, {@code all}. */
    @Parameter(property = "neuron.enable")
    List<String> enable;

    /** Shell commands run once per build container (or once on the host) before any build, e.g. installing system packages. */
    @Parameter(property = "neuron.beforeAll")
    List<String> beforeAll;

    /**
     * Shell commands run before each Python's build, e.g. {@code {python} -m pip install -r requirements.txt};
     * {@code python} and {@code pip} on the PATH are that Python's.
     */
    @Parameter(property = "neuron.beforeBuild")
    List<String> beforeBuild;

    /**
     * A command run on each built wheel instead of the {@code wheel} goal's repair ({@code {wheel}}, {@code {dest_dir}}
     * placeholders); the wheels it writes to {@code {dest_dir}} are the build's results.
     */
    @Parameter(property = "neuron.repairCommand")
    String repairCommand;

    /** How many Pythons build at once, each in its own container. */
    @Parameter(property = "neuron.parallel", defaultValue = "1")
    int parallel;

    /** Compiler cache (ccache) for container builds: a host folder or the name of a Docker volume. */
    @Parameter(property = "neuron.cacheDir")
    String cacheDir;

    /**
     * pip's (and uv's) download cache for container builds, shared by every Python and run: a Docker volume name or
     * a host folder (local engine only); {@code none} for each container's own.
     */
    @Parameter(property = "neuron.pipCache", defaultValue = ContainerBuildOptions.DEFAULT_PIP_CACHE)
    String pipCache;

    /** Host folders the container build needs, as {@code HOST_FOLDER:/container/folder}. */
    @Parameter(property = "neuron.extraInputs")
    List<String> extraInputs = List.of();

    /** Bind-mount the extra inputs read-only instead of copying them, when the engine runs on this machine. */
    @Parameter(property = "neuron.mountExtraInputs", defaultValue = "false")
    boolean mountExtraInputs;

    /** The build variant to use (e.g. {@code coreneuron-gpu}); one of {@code variants}, or passed as the only argument. */
    @Parameter(property = "neuron.variant")
    String variant;

    /** Named build variants: arguments and environment each adds to the build. */
    @Parameter
    List<BuildVariantConfig> variants = List.of();

    /** Where container builds leave the image's loader configuration and the libraries the wheels need, for the repair. */
    @Parameter(property = "neuron.imageLibraryDirectory", defaultValue = "${project.build.directory}/image-root")
    File imageLibraryDirectory;

    /** Per-Python build time limit with a unit ({@code 90s}, {@code 20m}, {@code 2h}); when set it replaces {@code timeoutMinutes}. */
    @Parameter(property = "neuron.build.timeout")
    String timeout;

    /** Host builds on macOS: the oldest macOS to build for, e.g. {@code 10.9} ({@code MACOSX_DEPLOYMENT_TARGET}). */
    @Parameter(property = "neuron.macos.deploymentTarget")
    String macosDeploymentTarget;

    /** Host builds on macOS: {@code x86_64}, {@code arm64} or {@code universal2} ({@code ARCHFLAGS}). */
    @Parameter(property = "neuron.macos.archs")
    String macosArchs;

    /** Skips every goal of this plugin. */
    @Parameter(property = "neuron.skip", defaultValue = "false")
    boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("neuron.skip is set: no wheels built");
            return;
        }
        ProjectSettings settings = projectSettings();
        BuildRequest request;
        try {
            request = new BuildRequest(sourceDirectory.toPath(), rawWheelDirectory.toPath(),
                    PythonSelector.parse(python), BuildCommand.defaultCommand(),
                    settings.image().isSet() ? settings.environment().value()
                    : MacosBuildEnvironment.addTo(settings.environment().value(), System.getProperty("os.name"),
                    macosDeploymentTarget, macosArchs), buildTimeout())
                    .withFrontend(settings.buildFrontend().value())
                    .withSelection(settings.selection())
                    .withAssignments(settings.assignments().value())
                    .withBeforeSteps(settings.beforeAll().value(), settings.beforeBuild().value())
                    .withRepairCommand(settings.repairCommand().value());
            if (buildCommand != null && !buildCommand.isBlank()) {
                request = request.withCommand(BuildCommand.parse(buildCommand));
            }
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        if (settings.image().isSet()) {
            buildInContainer(request, settings);
            return;
        }
        if (imageLibraryDirectory != null) {
            deleteTree(imageLibraryDirectory.toPath()); // a host build's libraries are the host's, not an earlier image's
        }
        HostWheelBuilder builder = new HostWheelBuilder(PythonDiscovery.ofSystem(), new MavenReporter(getLog()));
        run(builder, request);
    }

    /** What the pom gives for the settings pyproject.toml can also give. */
    PomSettings pomSettings() {
        return new PomSettings().image(image).buildPatterns(buildPatterns).skipPatterns(skipPatterns).enable(enable)
                .passEnvironment(passEnvironment).environment(environment).beforeAll(beforeAll).beforeBuild(beforeBuild)
                .buildFrontend(buildFrontend).network(network).dockerHost(dockerHost).repairCommand(repairCommand);
    }

    /** The pom's settings over the project's [tool.cibuildwheel]; what the latter sets is logged with its origin. */
    ProjectSettings projectSettings() throws MojoFailureException {
        ProjectSettings settings;
        try {
            settings = ProjectSettings.load(sourceDirectory.toPath(), pomSettings(), dockerPlatform, System.getenv());
        } catch (ProjectConfigurationException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        settings.warnings().forEach(getLog()::warn);
        settings.describeFromPyproject().forEach(getLog()::info);
        return settings;
    }

    private void buildInContainer(BuildRequest request, ProjectSettings settings)
            throws MojoExecutionException, MojoFailureException {
        String buildImage = settings.image().value();
        ContainerBuildOptions options;
        try {
            ContainerBuildOptions.Builder builder = ContainerBuildOptions.builder(buildImage)
                    .pullPolicy(pullPolicy(buildImage))
                    .platform(dockerPlatform)
                    .parallel(parallel)
                    .keepContainers(keepContainer)
                    .cacheDirectory(cacheDir)
                    .pipCache(pipCache)
                    .network(settings.network().value())
                    .passEnvironment(settings.passEnvironment().value())
                    .mountExtraInputs(mountExtraInputs)
                    .variant(selectVariant())
                    .containerTimeout(Duration.ofMinutes(Math.max(10, timeoutMinutes)));
            for (String input : splitList(extraInputs)) {
                builder.extraInput(ExtraInput.parse(input));
            }
            options = builder.build();
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        try (DockerEngine engine = connectDocker(settings.dockerHost().value())) {
            ContainerWheelBuilder builder = new ContainerWheelBuilder(engine, options, System.getenv(),
                    new MavenReporter(getLog()));
            if (imageLibraryDirectory != null) {
                deleteTree(imageLibraryDirectory.toPath());
                builder.exportLibrariesTo(imageLibraryDirectory.toPath());
            }
            run(builder, request);
        } catch (IOException e) {
            throw new MojoExecutionException("closing the Docker connection failed: " + IoProblems.describe(e), e);
        }
    }

    Duration buildTimeout() {
        if (timeout == null || timeout.isBlank()) {
            return Duration.ofMinutes(timeoutMinutes);
        }
        var matcher = java.util.regex.Pattern.compile("(\\d+)\\s*([smh])").matcher(timeout.trim().toLowerCase(java.util.Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("neuron.build.timeout: '" + timeout + "' is not a duration like 90s, 20m or 2h");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    BuildVariant selectVariant() {
        if (variant == null || variant.isBlank()) {
            return BuildVariant.NONE;
        }
        String wanted = variant.trim();
        List<String> known = new java.util.ArrayList<>();
        for (BuildVariantConfig config : variants) {
            if (config.name == null || config.name.isBlank()) {
                throw new IllegalArgumentException("a <variant> in <variants> has no <name>");
            }
            if (config.name.equals(wanted)) {
                return new BuildVariant(wanted, config.arguments == null ? List.of() : config.arguments,
                        config.environment == null ? Map.of() : config.environment);
            }
            known.add(config.name);
        }
        if (!known.isEmpty()) {
            throw new IllegalArgumentException("neuron.variant=" + wanted + " is not one of the configured variants: "
                    + String.join(", ", known));
        }
        // Without configured variants, the name itself is the argument (as in 'build_wheels.bash linux 38 coreneuron').
        return new BuildVariant(wanted, List.of(wanted), Map.of());
    }

    /** Items from a list parameter, also split at commas (the form a -D property gives). */
    static List<String> splitList(List<String> values) {
        List<String> items = new java.util.ArrayList<>();
        if (values != null) {
            for (String value : values) {
                if (value == null) {
                    continue;
                }
                for (String item : value.split(",")) {
                    if (!item.isBlank()) {
                        items.add(item.trim());
                    }
                }
            }
        }
        return items;
    }

    private static void deleteTree(java.nio.file.Path root) throws MojoExecutionException {
        if (!java.nio.file.Files.exists(root)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(root)) {
            for (java.nio.file.Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(path);
            }
        } catch (IOException e) {
            throw new MojoExecutionException("could not clear " + root + ": " + IoProblems.describe(e), e);
        }
    }

    private void run(WheelBuilder builder, BuildRequest request) throws MojoExecutionException, MojoFailureException {
        try {
            List<BuiltWheel> wheels = builder.build(request);
            for (BuiltWheel wheel : wheels) {
                getLog().info("raw wheel: " + wheel.file());
            }
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (BuildFailedException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("wheel build could not run: " + IoProblems.describe(e), e);
        }
    }
}
