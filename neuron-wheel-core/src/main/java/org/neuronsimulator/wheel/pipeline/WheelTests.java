package org.neuronsimulator.wheel.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuronsimulator.wheel.FileTrees;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.builder.PassedVariables;
import org.neuronsimulator.wheel.builder.PythonDiscovery;
import org.neuronsimulator.wheel.builder.PythonSelector;
import org.neuronsimulator.wheel.builder.container.DockerEngine;
import org.neuronsimulator.wheel.builder.container.DockerUnavailableException;
import org.neuronsimulator.wheel.builder.container.ExtraInput;
import org.neuronsimulator.wheel.builder.container.PullPolicy;
import org.neuronsimulator.wheel.config.PomSettings;
import org.neuronsimulator.wheel.config.ProjectConfigurationException;
import org.neuronsimulator.wheel.config.ProjectSettings;
import org.neuronsimulator.wheel.testing.ClusterException;
import org.neuronsimulator.wheel.testing.ClusterOptions;
import org.neuronsimulator.wheel.testing.ImageTestOptions;
import org.neuronsimulator.wheel.testing.TestSubject;
import org.neuronsimulator.wheel.testing.WheelTestOutcome;
import org.neuronsimulator.wheel.testing.WheelTestRunner;
import org.neuronsimulator.wheel.testing.WheelTestSettings;

/**
 * Tests the wheels of a wheelhouse (or a published release) on this machine's Pythons, inside one container of a
 * test image, or inside a cluster allocation with environment modules; requirements, commands and the image the
 * settings leave unset come from pyproject.toml's {@code [tool.cibuildwheel]}.
 */
public final class WheelTests {

    /** What a test run needs; the test settings' requirements and commands are the pom's, before pyproject.toml. */
    public static final class Settings {
        final WheelTestSettings tests;
        final Path sourceDirectory;
        final PomSettings pom;
        Path wheelhouse;
        String requirement;
        String index;
        boolean offline;
        String python;
        String dockerPlatform;
        PullPolicy pullPolicy = PullPolicy.MISSING;
        boolean keepContainer;
        List<ExtraInput> imageInputs = List.of();
        ClusterOptions cluster = ClusterOptions.NONE;

        /** The test settings, the project folder holding pyproject.toml, and the settings pyproject.toml can also give. */
        public Settings(WheelTestSettings tests, Path sourceDirectory, PomSettings pom) {
            this.tests = tests;
            this.sourceDirectory = sourceDirectory;
            this.pom = pom;
        }

        /** The wheels of a folder, or (when {@code requirement} is set) a release from an index. */
        public Settings subjects(Path wheelhouseFolder, String requirementText, String indexUrl) {
            wheelhouse = wheelhouseFolder;
            requirement = requirementText;
            index = indexUrl;
            return this;
        }

        public Settings python(String value) {
            python = value;
            return this;
        }

        /** How the test image runs: platform, pull policy (never when offline), whether its container is kept, host folders copied in. */
        public Settings image(String platform, PullPolicy pull, boolean isOffline, boolean keep, List<ExtraInput> inputs) {
            dockerPlatform = platform;
            pullPolicy = pull;
            offline = isOffline;
            keepContainer = keep;
            imageInputs = List.copyOf(inputs);
            return this;
        }

        public Settings cluster(ClusterOptions value) {
            cluster = value;
            return this;
        }

        public WheelTestSettings tests() {
            return tests;
        }

        public ClusterOptions cluster() {
            return cluster;
        }
    }

    private final Settings settings;
    private final Map<String, String> environment;
    private final Reporter reporter;

    public WheelTests(Settings settings, Map<String, String> environment, Reporter reporter) {
        this.settings = settings;
        this.environment = environment;
        this.reporter = reporter;
    }

    /**
     * Runs every test; failing tests are in the outcome.
     *
     * @throws ProjectConfigurationException pyproject.toml cannot be used
     * @throws InvalidSettingException a setting cannot be used (no wheels, a remote index offline, ...)
     * @throws ClusterException the allocation or a module was refused
     * @throws DockerUnavailableException no Docker engine answers
     * @throws IOException the tests could not run
     */
    public WheelTestOutcome run() throws ProjectConfigurationException, ClusterException, IOException {
        ProjectSettings project = ProjectSettings.load(settings.sourceDirectory, settings.pom, settings.dockerPlatform, environment);
        ProjectSettings.describeFromPyproject(List.of(project.testImage(), project.network(), project.passEnvironment(),
                project.testRequirements(), project.testCommands())).forEach(reporter::info);
        boolean inImage = project.testImage().isSet();
        WheelTestSettings tests = settings.tests.requirements(project.testRequirements().value())
                .commands(project.testCommands().value());
        if (inImage) { // a container does not inherit the host's variables: pass the chosen ones
            Map<String, String> variables = new LinkedHashMap<>(tests.environment());
            PassedVariables.pick(project.passEnvironment().value(), environment).forEach(variables::putIfAbsent);
            tests.environment(variables);
        }
        List<TestSubject> subjects = subjects();
        boolean onCluster = !settings.cluster.isEmpty() || tests.mpiVariants().stream().anyMatch(v -> !v.modules().isEmpty());
        if (inImage && !settings.cluster.isEmpty()) {
            throw new InvalidSettingException("neuron.test.image", "neuron.test.allocation and neuron.test.modules run the"
                    + " tests on this machine; they do not combine with neuron.test.image");
        }
        PythonSelector pythons = PythonSelector.parse(settings.python);
        if (tests.commands().isEmpty() && tests.mpiCommands().isEmpty() && tests.gpuCommands().isEmpty()) {
            reporter.warn("no test commands configured: only the installation of each wheel is tested");
        }
        WheelTestRunner runner = new WheelTestRunner(tests, reporter);
        if (inImage) {
            String image = project.testImage().value();
            ImageTestOptions options = new ImageTestOptions(image, WheelBuild.pullPolicy(settings.pullPolicy,
                    settings.offline, image, reporter), settings.dockerPlatform, settings.keepContainer,
                    settings.imageInputs, project.network().value());
            try (DockerEngine engine = DockerEngine.connect(project.dockerHost().value(), environment)) {
                return runner.runInImage(subjects, engine, options, pythons);
            }
        }
        if (onCluster) {
            return runner.runOnCluster(subjects, settings.cluster, pythons);
        }
        return runner.run(subjects, PythonDiscovery.ofSystem().select(pythons));
    }

    private List<TestSubject> subjects() throws IOException {
        if (settings.requirement != null && !settings.requirement.isBlank()) {
            if (settings.offline && settings.index != null && TestSubject.needsNetwork(settings.index)) {
                throw new InvalidSettingException("neuron.test.index", "the run is offline (-o) but neuron.test.index="
                        + settings.index.strip() + " needs the network; run online or name a file:// or loopback index");
            }
            return List.of(TestSubject.requirement(settings.requirement, settings.index));
        }
        Path folder = settings.wheelhouse;
        if (!Files.isDirectory(folder)) {
            throw new InvalidSettingException("neuron.wheelhouse", "neuron.wheelhouse: " + folder
                    + " is not a folder; build the wheels first or name a release with neuron.test.requirement");
        }
        List<TestSubject> subjects = FileTrees.wheelsIn(folder).stream().map(TestSubject::wheel).toList();
        if (subjects.isEmpty()) {
            throw new InvalidSettingException("neuron.wheelhouse", "neuron.wheelhouse: " + folder + " holds no .whl files to test");
        }
        return subjects;
    }
}
