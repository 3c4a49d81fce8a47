package org.neuronsimulator.wheel.maven;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.build.BuildCommand;
import org.neuronsimulator.wheel.build.BuildFailedException;
import org.neuronsimulator.wheel.build.BuildRequest;
import org.neuronsimulator.wheel.build.BuiltWheel;
import org.neuronsimulator.wheel.build.HostWheelBuilder;
import org.neuronsimulator.wheel.build.PythonDiscovery;
import org.neuronsimulator.wheel.build.PythonSelector;

/**
 * Builds raw wheels of the project for the selected Pythons. Host builds use the machine's
 * interpreters; the results go to {@code rawWheelDirectory/<cpXY>/} for the {@code wheel} goal.
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.COMPILE, threadSafe = true)
public class BuildMojo extends AbstractMojo {

    /** Which Pythons: {@code 3.11}, {@code 311}, {@code cp312}, {@code 3*}, paths; comma-separated. Empty: {@code python3} on the PATH. */
    @Parameter(property = "neuron.python")
    String python;

    /** The Python project to build (holds {@code pyproject.toml} or {@code setup.py}). */
    @Parameter(property = "neuron.sourceDirectory", defaultValue = "${project.basedir}")
    File sourceDirectory;

    /** Where raw wheels are written, one sub-folder per Python. */
    @Parameter(property = "neuron.rawWheelDirectory", defaultValue = "${project.build.directory}/raw-wheels")
    File rawWheelDirectory;

    /** The per-Python build command; placeholders {@code {python}}, {@code {source}}, {@code {outdir}}. */
    @Parameter(property = "neuron.buildCommand", defaultValue = BuildCommand.DEFAULT)
    String buildCommand;

    /** Extra environment variables for the build command. */
    @Parameter
    Map<String, String> environment = Map.of();

    /** Per-Python build time limit, in minutes. */
    @Parameter(property = "neuron.build.timeoutMinutes", defaultValue = "60")
    long timeoutMinutes;

    /** Skips every goal of this plugin. */
    @Parameter(property = "neuron.skip", defaultValue = "false")
    boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("neuron.skip is set: no wheels built");
            return;
        }
        BuildRequest request;
        try {
            request = new BuildRequest(sourceDirectory.toPath(), rawWheelDirectory.toPath(),
                    PythonSelector.parse(python), BuildCommand.parse(buildCommand), environment,
                    Duration.ofMinutes(timeoutMinutes));
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        HostWheelBuilder builder = new HostWheelBuilder(PythonDiscovery.ofSystem(), new MavenReporter(getLog()));
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
            throw new MojoExecutionException("wheel build could not run: " + e.getMessage(), e);
        }
    }
}
