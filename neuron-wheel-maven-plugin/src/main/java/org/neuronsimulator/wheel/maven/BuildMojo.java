package org.neuronsimulator.wheel.maven;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.builder.BuildFailedException;
import org.neuronsimulator.wheel.builder.container.BuildVariant;
import org.neuronsimulator.wheel.builder.container.ContainerBuildOptions;
import org.neuronsimulator.wheel.builder.container.ExtraInput;
import org.neuronsimulator.wheel.builder.container.PullPolicy;
import org.neuronsimulator.wheel.config.ProjectConfigurationException;
import org.neuronsimulator.wheel.config.SettingValues;
import org.neuronsimulator.wheel.pipeline.WheelBuild;

/**
 * Builds raw wheels of the project for the selected Pythons. Host builds use the machine's
 * interpreters; when {@code neuron.image} is set the builds run inside that Docker image instead
 * (its {@code /opt/python/*} interpreters). The results go to {@code rawWheelDirectory/<python tag>/} for
 * the {@code wheel} goal. Settings the pom leaves unset come from the project's {@code [tool.cibuildwheel]}
 * in pyproject.toml, as cibuildwheel reads them.
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.COMPILE, threadSafe = true)
public class BuildMojo extends BuildOptionsMojo {


    /** Where raw wheels are written, one sub-folder per Python. */
    @Parameter(property = "neuron.rawWheelDirectory", defaultValue = "${project.build.directory}/raw-wheels")
    File rawWheelDirectory;

    /**
     * The per-Python build command; placeholders {@code {python}}, {@code {source}}, {@code {outdir}}. Unset: the
     * build frontend's ({@code {python} -m pip wheel --no-deps --wheel-dir {outdir} {source}} for pip).
     */
    @Parameter(property = "neuron.buildCommand")
    String buildCommand;

    /** Per-Python build time limit, in minutes. */
    @Parameter(property = "neuron.build.timeoutMinutes", defaultValue = "60")
    long timeoutMinutes;

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

    @Override
    void run() throws IOException, ProjectConfigurationException, BuildFailedException {
        new WheelBuild(settings(), System.getenv(), reporter()).run();
    }

    @Override
    String skippedWork() {
        return "no wheels built";
    }

    /** The parameters as core's build settings. */
    WheelBuild.Settings settings() {
        List<BuildVariant> configured = variants.stream().map(v -> new BuildVariant(v.name == null ? "" : v.name,
                v.arguments == null ? List.of() : v.arguments, v.environment == null ? Map.of() : v.environment)).toList();
        return new WheelBuild.Settings(sourceDirectory.toPath(), rawWheelDirectory.toPath(), pomSettings())
                .imageLibraryDirectory(imageLibraryDirectory == null ? null : imageLibraryDirectory.toPath())
                .python(python).buildCommand(buildCommand).dockerPlatform(dockerPlatform)
                .timeout(SettingValues.duration("neuron.build.timeout", timeout, Duration.ofMinutes(timeoutMinutes)))
                .pull(PullPolicy.parse(pull), offline).parallel(parallel).keepContainers(keepContainer)
                .caches(cacheDir, pipCache).variant(BuildVariant.select(variant, configured))
                .extraInputs(SettingValues.list(extraInputs).stream().map(ExtraInput::parse).toList(), mountExtraInputs)
                .macos(macosDeploymentTarget, macosArchs);
    }
}
