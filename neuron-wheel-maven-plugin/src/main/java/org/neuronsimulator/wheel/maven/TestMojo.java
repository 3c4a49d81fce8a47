package org.neuronsimulator.wheel.maven;

import java.io.File;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.builder.container.PullPolicy;
import org.neuronsimulator.wheel.config.PomSettings;
import org.neuronsimulator.wheel.config.ProjectConfigurationException;
import org.neuronsimulator.wheel.pipeline.WheelTests;
import org.neuronsimulator.wheel.testing.ClusterException;
import org.neuronsimulator.wheel.testing.WheelTestOutcome;
import org.neuronsimulator.wheel.testing.WheelTestSettings;

/**
 * Tests every wheel of the wheelhouse (or a published release named by {@code neuron.test.requirement})
 * on every selected Python that accepts it: a fresh virtual environment, the test requirements and the
 * wheel, then the serial commands, the MPI commands under each launcher and the GPU commands when a GPU
 * is found. Like failsafe, every test runs and the build fails afterwards; JUnit XML reports go to
 * {@code neuron.test.reportsDirectory}. Runs without a pom too (e.g. in a CI stage that only tests
 * a downloaded wheelhouse); then only installation is tested unless a pom configures commands.
 * With {@code neuron.test.image} the tests run inside one container of that image instead, on its
 * {@code /opt/python/*} interpreters, on the network {@code neuron.network} names. Requirements, commands and
 * the image the pom leaves unset come from the project's {@code [tool.cibuildwheel]} ({@code test-requires},
 * {@code test-command}, the build image).
 */
@Mojo(name = "test", defaultPhase = LifecyclePhase.INTEGRATION_TEST, requiresProject = false, threadSafe = true)
public class TestMojo extends TestSiteMojo {

    /** The folder whose {@code *.whl} files are tested. */
    @Parameter(property = "neuron.wheelhouse", defaultValue = "${project.build.directory}/wheelhouse")
    File wheelhouse;

    /** Installed with each wheel, e.g. {@code pytest}, {@code numpy<2}. */
    @Parameter(property = "neuron.test.requirements")
    List<String> requirements = List.of();

    /** Test a published release instead of the wheelhouse, e.g. {@code neuron==8.2.0}. */
    @Parameter(property = "neuron.test.requirement")
    String requirement;

    /** The package index for {@code neuron.test.requirement}, e.g. {@code https://test.pypi.org/simple/}. Empty: pip's configured one. */
    @Parameter(property = "neuron.test.index")
    String index;

    /** Extra {@code pip install} options, e.g. {@code --no-index}, {@code --find-links=DIR}. */
    @Parameter(property = "neuron.test.pipOptions")
    List<String> pipOptions = List.of();

    /**
     * Serial test commands, shell lines with placeholders {@code {python}}, {@code {wheel}},
     * {@code {project}}, {@code {package}} and {@code {venv}}.
     */
    @Parameter
    List<String> commands = List.of();

    /** Commands run once per MPI launcher; the launcher is prepended unless the command places {@code {launcher}} itself. */
    @Parameter
    List<String> mpiCommands = List.of();

    /** Commands run only when a GPU is detected. */
    @Parameter
    List<String> gpuCommands = List.of();

    /** A shell command that succeeds when a GPU is usable. */
    @Parameter(property = "neuron.test.gpuProbe", defaultValue = WheelTestSettings.DEFAULT_GPU_PROBE)
    String gpuProbe;

    /** Environment variables for every test command. */
    @Parameter
    Map<String, String> environment = Map.of();

    /** Environment variables per variant ({@code serial}, {@code mpi}, {@code gpu} or a full variant name). */
    @Parameter
    List<VariantEnvironment> variantEnvironments = List.of();

    /** Time limit of each test command, in minutes. */
    @Parameter(property = "neuron.test.timeoutMinutes", defaultValue = "30")
    long timeoutMinutes;

    /** Leaves the virtual environments in place for inspection. */
    @Parameter(property = "neuron.test.keepEnvironments", defaultValue = "false")
    boolean keepEnvironments;

    /** Reports failing tests without failing the build. */
    @Parameter(property = "neuron.test.failureIgnore", defaultValue = "false")
    boolean failureIgnore;

    /** Where the JUnit XML reports are written. */
    @Parameter(property = "neuron.test.reportsDirectory", defaultValue = "${project.build.directory}/wheel-test-reports")
    File reportsDirectory;

    /** Where the virtual environments are made. */
    @Parameter(property = "neuron.test.workDirectory", defaultValue = "${project.build.directory}/wheel-test-envs")
    File workDirectory;

    /** Skips the wheel tests. */
    @Parameter(property = "neuron.test.skip", defaultValue = "false")
    boolean skipTests;

    /** Skips the wheel tests, as it skips failsafe's integration tests. */
    @Parameter(property = "skipITs", defaultValue = "false")
    boolean skipITs;

    /** Skips the wheel tests with every other test. */
    @Parameter(property = "maven.test.skip", defaultValue = "false")
    boolean mavenTestSkip;

    @Override
    void run() throws IOException, ProjectConfigurationException, ClusterException, MojoFailureException {
        WheelTestOutcome outcome = new WheelTests(settings(), System.getenv(), reporter()).run();
        if (outcome.hasFailures() && failureIgnore) {
            getLog().error(outcome.failureMessage() + "\n(neuron.test.failureIgnore is set: the build goes on)");
        } else if (outcome.hasFailures()) {
            throw new MojoFailureException(outcome.failureMessage());
        }
    }

    @Override
    String skipSwitch() {
        return skip ? "neuron.skip" : skipTests ? "neuron.test.skip" : skipITs ? "skipITs" : mavenTestSkip ? "maven.test.skip" : null;
    }

    @Override
    String skippedWork() {
        return "wheel tests skipped";
    }

    /** The parameters as core's test settings; folders of a pom-less run are taken from where Maven was started. */
    WheelTests.Settings settings() {
        WheelTestSettings tests = new WheelTestSettings(base(), folder(workDirectory), folder(reportsDirectory))
                .requirements(requirements).pipOptions(pipOptions).commands(commands).mpiCommands(mpiCommands)
                .mpiLaunchers(mpiLaunchers).mpiVariants(mpiVariants()).gpuCommands(gpuCommands).gpuProbe(gpuProbe)
                .environment(environment == null ? Map.of() : environment)
                .variantEnvironment((variantEnvironments == null ? List.<VariantEnvironment>of() : variantEnvironments).stream()
                        .<Map.Entry<String, Map<String, String>>>map(v -> new AbstractMap.SimpleEntry<>(v.getVariant(),
                                v.getVariables())).toList())
                .timeoutMinutes(timeoutMinutes).keepEnvironments(keepEnvironments);
        PomSettings pom = new PomSettings().image(image).testRequirements(requirements).testCommands(commands)
                .testImage(testImage).network(network).passEnvironment(passEnvironment);
        return new WheelTests.Settings(tests, sourceDirectory == null ? base() : folder(sourceDirectory), pom)
                .subjects(folder(wheelhouse), requirement, index).python(python)
                .image(dockerPlatform, PullPolicy.parse(pull), offline, keepContainer, imageInputs())
                .cluster(clusterOptions());
    }
}
