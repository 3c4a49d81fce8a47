package org.neuronsimulator.wheel.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.IoProblems;
import org.neuronsimulator.wheel.builder.container.DockerUnavailableException;
import org.neuronsimulator.wheel.builder.container.ExtraInput;
import org.neuronsimulator.wheel.builder.container.PullPolicy;
import org.neuronsimulator.wheel.config.PomSettings;
import org.neuronsimulator.wheel.config.ProjectConfigurationException;
import org.neuronsimulator.wheel.config.SettingValues;
import org.neuronsimulator.wheel.pipeline.WheelTests;
import org.neuronsimulator.wheel.testing.ClusterException;
import org.neuronsimulator.wheel.testing.ClusterOptions;
import org.neuronsimulator.wheel.testing.MpiVariant;
import org.neuronsimulator.wheel.testing.TestSubject;
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
public class TestMojo extends ContainerMojo {

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

    /** MPI launcher prefixes, one MPI variant each; one that is not installed is reported as skipped. */
    @Parameter(property = "neuron.test.mpiLaunchers", defaultValue = WheelTestSettings.DEFAULT_MPI_LAUNCHER)
    List<String> mpiLaunchers = List.of(WheelTestSettings.DEFAULT_MPI_LAUNCHER);

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

    /** The project folder ({@code {project}}); commands run there. */
    @Parameter(defaultValue = "${project.basedir}", readonly = true)
    File projectDirectory;

    /** Where Maven was started: the project folder of a run without a pom. */
    @Parameter(defaultValue = "${session.executionRootDirectory}", readonly = true)
    File executionRoot;

    /**
     * Docker image to test in (e.g. {@code quay.io/pypa/manylinux2014_x86_64}): one container on {@code neuron.network},
     * its {@code /opt/python/*} Pythons chosen by {@code neuron.python}. Unset: the build image when pyproject.toml's
     * {@code [tool.cibuildwheel]} names it, else test on this machine.
     */
    @Parameter(property = "neuron.test.image")
    String testImage;

    /**
     * Host folders copied into the test container, as {@code HOST_FOLDER:/container/folder}; e.g. a folder of
     * requirement wheels for {@code neuron.test.pipOptions=--no-index,--find-links=/container/folder}.
     */
    @Parameter(property = "neuron.test.imageInputs")
    List<String> imageInputs = List.of();

    /**
     * An allocation command wrapping the whole test run, e.g. {@code salloc -N1 -n2 --time=00:20:00}: the tests run on
     * this machine with the environment it gives, so an {@code srun} launcher starts steps of the job; released at the
     * end. Refusals and a job past its time limit fail the goal with the scheduler's message.
     */
    @Parameter(property = "neuron.test.allocation")
    String allocation;

    /**
     * Environment modules loaded (inside the allocation) before the Pythons are looked for and the tests run, e.g.
     * {@code python/3.11,nvhpc,hpe-mpi}; one that does not load fails the goal with the module system's message.
     */
    @Parameter(property = "neuron.test.modules")
    List<String> modules = List.of();

    /** Folders of modulefiles added with {@code module use} before {@code neuron.test.modules} are loaded. */
    @Parameter(property = "neuron.test.modulePath")
    List<String> modulePath = List.of();

    /** Runs {@code module purge} before loading {@code neuron.test.modules}. */
    @Parameter(property = "neuron.test.modulePurge", defaultValue = "false")
    boolean modulePurge;

    /** The module system's sh initialisation; unset: {@code $MODULESHOME/init/sh}, or where Lmod or Environment Modules keep it. */
    @Parameter(property = "neuron.test.moduleInit")
    String moduleInit;

    /**
     * MPI variants with their own launcher and modules, e.g. {@code hpe-mpi} under {@code srun -n 2} with module
     * {@code hpe-mpi}; when given they replace {@code mpiLaunchers}. Reports are named {@code mpi[NAME]}.
     */
    @Parameter
    List<MpiVariantConfig> mpiVariants = List.of();

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
    public void execute() throws MojoExecutionException, MojoFailureException {
        String skipReason = skip ? "neuron.skip" : skipTests ? "neuron.test.skip"
                : skipITs ? "skipITs" : mavenTestSkip ? "maven.test.skip" : null;
        if (skipReason != null) {
            getLog().info(skipReason + " is set: wheel tests skipped");
            return;
        }
        if (offline && requirement != null && !requirement.isBlank() && index != null && TestSubject.needsNetwork(index)) {
            throw new MojoFailureException("Maven runs offline (-o) but neuron.test.index=" + index.strip()
                    + " needs the network; run online or name a file:// or loopback index");
        }
        WheelTestOutcome outcome;
        try {
            outcome = new WheelTests(settings(), System.getenv(), reporter()).run();
        } catch (InvalidSettingException | ProjectConfigurationException | ClusterException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (DockerUnavailableException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("wheel tests could not run: " + IoProblems.describe(e), e);
        }
        if (outcome.hasFailures() && failureIgnore) {
            getLog().error(outcome.failureMessage() + "\n(neuron.test.failureIgnore is set: the build goes on)");
        } else if (outcome.hasFailures()) {
            throw new MojoFailureException(outcome.failureMessage());
        }
    }

    /** The parameters as core's test settings; folders of a pom-less run are taken from where Maven was started. */
    WheelTests.Settings settings() {
        WheelTestSettings tests = new WheelTestSettings(base(), folder(workDirectory), folder(reportsDirectory))
                .requirements(requirements).pipOptions(pipOptions).commands(commands).mpiCommands(mpiCommands)
                .mpiLaunchers(mpiLaunchers).gpuCommands(gpuCommands).gpuProbe(gpuProbe)
                .mpiVariants((mpiVariants == null ? List.<MpiVariantConfig>of() : mpiVariants).stream().map(v -> new MpiVariant(
                        v.getName(), v.getLauncher(), SettingValues.list(v.getModules()))).toList())
                .environment(environment == null ? Map.of() : environment)
                .variantEnvironment((variantEnvironments == null ? List.<VariantEnvironment>of() : variantEnvironments).stream()
                        .<Map.Entry<String, Map<String, String>>>map(v -> new AbstractMap.SimpleEntry<>(v.getVariant(),
                                v.getVariables())).toList())
                .timeoutMinutes(timeoutMinutes).keepEnvironments(keepEnvironments);
        List<ExtraInput> inputs = SettingValues.list(imageInputs).stream().map(ExtraInput::parse)
                .map(input -> new ExtraInput(folder(input.hostPath().toFile()), input.containerPath())).toList();
        PomSettings pom = new PomSettings().image(image).testRequirements(requirements).testCommands(commands)
                .testImage(testImage).network(network).passEnvironment(passEnvironment);
        return new WheelTests.Settings(tests, sourceDirectory == null ? base() : folder(sourceDirectory), pom)
                .subjects(folder(wheelhouse), requirement, index).python(python)
                .image(dockerPlatform, PullPolicy.parse(pull), offline, keepContainer, inputs)
                .cluster(new ClusterOptions(allocation, SettingValues.list(modules), modulePurge,
                        SettingValues.list(modulePath).stream().map(f -> folder(new File(f)).toString()).toList(), moduleInit));
    }

    private Path base() {
        return (projectDirectory != null ? projectDirectory
                : executionRoot != null ? executionRoot : new File("").getAbsoluteFile()).toPath();
    }

    private Path folder(File file) {
        return SettingValues.folder(base(), file.getPath());
    }
}
