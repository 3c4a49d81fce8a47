package org.neuronsimulator.wheel.maven;

import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.config.PomSettings;
import org.neuronsimulator.wheel.config.ProjectConfigurationException;
import org.neuronsimulator.wheel.config.ProjectSettings;

/**
 * Prints the effective settings of the build, wheel and test goals that pyproject.toml's
 * {@code [tool.cibuildwheel]} can also give, each with where it comes from: the pom (or command line),
 * pyproject.toml (file, table and key), or the default. Runs no build.
 */
@Mojo(name = "config", threadSafe = true)
public class ConfigMojo extends BuildOptionsMojo {

    /** As the wheel goal's {@code excludes}. */
    @Parameter(property = "neuron.exclude")
    List<String> excludes = List.of();

    /** As the wheel goal's {@code platform}. */
    @Parameter(property = "neuron.platform")
    String platform;

    /** As the wheel goal's {@code repairSkip}. */
    @Parameter(property = "neuron.repair.skip")
    Boolean repairSkip;

    /** As the test goal's {@code requirements}. */
    @Parameter(property = "neuron.test.requirements")
    List<String> requirements = List.of();

    /** As the test goal's {@code commands}. */
    @Parameter
    List<String> commands = List.of();

    /** As the test goal's {@code testImage}. */
    @Parameter(property = "neuron.test.image")
    String testImage;

    @Override
    void run() throws ProjectConfigurationException {
        PomSettings pom = pomSettings().excludes(excludes).platform(platform).repairSkip(repairSkip)
                .testRequirements(requirements).testCommands(commands).testImage(testImage);
        ProjectSettings settings = ProjectSettings.load(sourceDirectory.toPath(), pom, dockerPlatform, System.getenv());
        getLog().info("Effective settings of " + sourceDirectory + " (pom, else pyproject.toml, else default):");
        settings.describe().forEach(line -> getLog().info("  " + line));
        settings.warnings().forEach(getLog()::warn);
    }

    @Override
    String skippedWork() {
        return "no settings printed";
    }
}
