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
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.IoProblems;
import org.neuronsimulator.wheel.builder.BuildFailedException;
import org.neuronsimulator.wheel.builder.container.BuildVariant;
import org.neuronsimulator.wheel.builder.container.ContainerBuildOptions;
import org.neuronsimulator.wheel.builder.container.DockerUnavailableException;
import org.neuronsimulator.wheel.builder.container.ExtraInput;
import org.neuronsimulator.wheel.builder.container.PullPolicy;
import org.neuronsimulator.wheel.config.PomSettings;
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
public class BuildMojo extends ContainerMojo {

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

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skipped("no wheels built")) {
            return;
        }
        try {
            new WheelBuild(settings(), System.getenv(), reporter()).run();
        } catch (InvalidSettingException | ProjectConfigurationException | BuildFailedException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (DockerUnavailableException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("wheel build could not run: " + IoProblems.describe(e), e);
        }
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

    /** What the pom gives for the settings pyproject.toml can also give. */
    PomSettings pomSettings() {
        return new PomSettings().image(image).buildPatterns(buildPatterns).skipPatterns(skipPatterns).enable(enable)
                .passEnvironment(passEnvironment).environment(environment).beforeAll(beforeAll).beforeBuild(beforeBuild)
                .buildFrontend(buildFrontend).network(network).dockerHost(dockerHost).repairCommand(repairCommand);
    }
}
