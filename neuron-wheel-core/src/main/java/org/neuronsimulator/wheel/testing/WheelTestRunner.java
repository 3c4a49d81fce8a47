package org.neuronsimulator.wheel.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.builder.PythonDiscovery;
import org.neuronsimulator.wheel.builder.PythonInterpreter;
import org.neuronsimulator.wheel.model.InvalidWheelFileNameException;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.builder.PythonSelector;
import org.neuronsimulator.wheel.builder.container.DockerEngine;
import org.neuronsimulator.wheel.builder.container.ExtraInput;
import org.neuronsimulator.wheel.builder.container.ImageContainer;

/**
 * Tests wheels the way NEURON's {@code test_wheels.sh} does, for every wheel and every interpreter
 * that accepts it: a fresh virtual environment, the test requirements and the wheel, then the serial
 * commands, the MPI commands once per launcher and the GPU commands where a GPU is found. Every
 * command runs even after a failure; each variant is written as a JUnit XML file.
 */
public final class WheelTestRunner {

    private static final int REPORTED_OUTPUT_LINES = 5_000;
    private static final int LOGGED_FAILURE_LINES = 40;

    private final WheelTestSettings settings;
    private final Reporter reporter;
    private String hostPath = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin");
    private Optional<String> gpuMissingReason;

    public WheelTestRunner(WheelTestSettings settings, Reporter reporter) {
        this.settings = Objects.requireNonNull(settings);
        this.reporter = Objects.requireNonNull(reporter);
    }

    /** The {@code PATH} behind the environment's own {@code bin} (launchers and probes are looked up on it). */
    public WheelTestRunner hostPath(String path) {
        this.hostPath = Objects.requireNonNull(path);
        return this;
    }

    /**
     * Runs every subject on every interpreter that can install it and writes the reports.
     *
     * @param interpreters the host interpreters chosen by the user, ordered by version
     * @throws IOException when a report cannot be written or a program cannot be started at all
     */
    public WheelTestOutcome run(List<TestSubject> subjects, List<PythonInterpreter> interpreters) throws IOException {
        return run(new HostMachine(settings, hostPath), subjects, interpreters);
    }

    /**
     * Runs every subject inside one container of an image (on the options' network), on each of the image's
     * interpreters under {@code /opt/python/*} that the selector chooses and that accepts the wheel by
     * its own supported tags. The wheels, the project (when there are commands) and the extra inputs are
     * copied in; the container is removed at the end in every case unless it is to be kept.
     *
     * @throws IllegalArgumentException when the selector matches no interpreter of the image
     * @throws IOException              when the image, the container or a copy fails, or a report cannot be written
     */
    public WheelTestOutcome runInImage(List<TestSubject> subjects, DockerEngine engine, ImageTestOptions image,
                                       PythonSelector selector) throws IOException {
        for (MpiVariant variant : settings.mpiVariants()) {
            if (!variant.modules().isEmpty()) {
                throw new InvalidSettingException("mpiVariants", "MPI variant " + variant.name() + " loads environment modules, which"
                        + " this machine's module system provides: test on this machine, not in image " + image.image());
            }
        }
        try (ImageContainer container = ImageContainer.start(engine, image.image(), image.pullPolicy(),
                image.platform(), image.network(), "test", settings.projectDirectory(), image.keepContainer(), reporter)) {
            reporter.info("testing in container " + container.name() + " of " + image.image()
                    + " (" + image.network().describe() + ") on the Docker engine at " + engine.endpoint());
            List<Path> wheels = subjects.stream().filter(TestSubject::isWheel).map(TestSubject::wheelFile).toList();
            container.copyFilesIn(wheels, ContainerMachine.WHEEL_FOLDER.toString());
            boolean hasCommands = !settings.commands().isEmpty() || !settings.mpiCommands().isEmpty()
                    || !settings.gpuCommands().isEmpty();
            if (hasCommands && java.nio.file.Files.isDirectory(settings.projectDirectory())) {
                container.copyProjectIn(settings.projectDirectory(), settings.workDirectory(),
                        ContainerMachine.PROJECT_FOLDER.toString());
            } else {
                container.copyFilesIn(List.of(), ContainerMachine.PROJECT_FOLDER.toString());
            }
            for (ExtraInput input : image.extraInputs()) {
                if (!java.nio.file.Files.isDirectory(input.hostPath())) {
                    throw new IOException("test input " + input.hostPath() + " (for " + input.containerPath()
                            + ") is not a folder");
                }
                container.copyFolderIn(input.hostPath(), input.containerPath());
            }
            boolean needsIndex = subjects.stream().anyMatch(s -> !s.isWheel()) || !settings.requirements().isEmpty();
            if (needsIndex && image.network().isNone() && !settings.pipOptions().contains("--no-index")) {
                reporter.info("the container has no network: requirements must come from a folder copied in"
                        + " (neuron.test.imageInputs with neuron.test.pipOptions=--no-index,--find-links=FOLDER)");
            }
            List<PythonInterpreter> pythons = container.pythons(selector);
            reporter.info("Pythons of " + image.image() + " under test: "
                    + String.join(", ", pythons.stream().map(PythonInterpreter::cpythonTag).toList()));
            return run(new ContainerMachine(container), subjects, pythons);
        }
    }

    /**
     * Runs every subject on this machine as a cluster job: the allocation command (when given) wraps the
     * whole run, the modules are loaded inside it ({@code module purge} first when asked), then the
     * interpreters the selector names are looked for in that environment, and every step runs in it; an
     * MPI variant with modules of its own loads them on top. An {@code srun} in a command or launcher
     * starts a step of the allocation.
     *
     * @throws ClusterException when the allocation is refused or ends before the tests do (its time limit),
     *                          or a module does not load; the scheduler's or module system's message says why
     * @throws IllegalArgumentException when the selector matches no interpreter in that environment
     */
    public WheelTestOutcome runOnCluster(List<TestSubject> subjects, ClusterOptions cluster, PythonSelector selector)
            throws IOException, ClusterException {
        Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        Path scratch = settings.workDirectory();
        Allocation allocation = null;
        try {
            if (cluster.allocation() != null) {
                allocation = Allocation.start(cluster.allocation(), environment, settings.projectDirectory(), scratch,
                        cluster.allocationWait() != null ? cluster.allocationWait() : installTimeout(), reporter);
                environment = new LinkedHashMap<>(allocation.environment());
            }
            List<MpiVariant> withModules = settings.mpiCommands().isEmpty() ? List.of()
                    : settings.mpiVariants().stream().filter(v -> !v.modules().isEmpty()).toList();
            Map<String, Map<String, String>> variantEnvironments = new LinkedHashMap<>();
            if (cluster.usesModules() || !withModules.isEmpty()) {
                EnvironmentModules modules = EnvironmentModules.find(cluster.moduleInit(), environment);
                if (cluster.usesModules()) {
                    reporter.info((cluster.purgeModules() ? "module purge; " : "")
                            + cluster.modulePaths().stream().map(f -> "module use " + f + "; ").collect(Collectors.joining())
                            + "module load " + String.join(" ", cluster.modules()) + " (" + modules.init() + ")");
                    environment = new LinkedHashMap<>(modules.load(cluster.modules(), cluster.purgeModules(),
                            cluster.modulePaths(), environment, scratch));
                }
                for (MpiVariant variant : withModules) {
                    reporter.info(variant.variantName() + ": module load " + String.join(" ", variant.modules()));
                    variantEnvironments.put(variant.variantName(), modules.load(variant.modules(), false, List.of(),
                            environment, scratch));
                }
            }
            List<PythonInterpreter> interpreters = new PythonDiscovery(environment).select(selector);
            ClusterMachine machine = new ClusterMachine(settings, environment, variantEnvironments, allocation);
            WheelTestOutcome outcome = run(machine, subjects, interpreters);
            if (allocation != null && allocation.endedBecause().isPresent()) {
                throw new ClusterException("the allocation '" + allocation.commandLine() + "' ended before the tests did: "
                        + allocation.endedBecause().get() + " (JUnit reports in " + settings.reportsDirectory() + ")");
            }
            return outcome;
        } finally {
            if (allocation != null) {
                allocation.close();
            }
        }
    }

    private WheelTestOutcome run(TestMachine machine, List<TestSubject> subjects, List<PythonInterpreter> interpreters)
            throws IOException {
        gpuMissingReason = null;
        List<TestSuiteResult> suites = new ArrayList<>();
        for (TestSubject subject : subjects) {
            List<PythonInterpreter> accepting = new ArrayList<>();
            Set<String> wheelTags;
            try {
                wheelTags = subject.isWheel() ? WheelCompatibility.tags(subject.wheelFile()) : Set.of();
            } catch (InvalidWheelFileNameException e) {
                reporter.warn(e.getMessage());
                suites.add(write(new TestSuiteResult(subject.label(), "none", "install", Instant.now(),
                        List.of(TestCaseResult.failed("read the wheel's tags", e.getMessage(), "", Duration.ZERO)),
                        null)));
                continue;
            }
            for (PythonInterpreter python : interpreters) {
                if (!subject.isWheel() || WheelCompatibility.accepts(python, wheelTags)) {
                    accepting.add(python);
                } else {
                    reporter.debug(python + " does not accept " + subject.label());
                }
            }
            if (accepting.isEmpty()) {
                suites.add(write(noInterpreter(subject, wheelTags, interpreters)));
                continue;
            }
            for (PythonInterpreter python : accepting) {
                suites.addAll(runOn(machine, subject, python));
            }
        }
        WheelTestOutcome outcome = new WheelTestOutcome(suites);
        reporter.info("Wheel test results (JUnit XML in " + settings.reportsDirectory() + "):");
        outcome.summaryTable().forEach(reporter::info);
        return outcome;
    }

    private TestSuiteResult noInterpreter(TestSubject subject, Set<String> wheelTags,
                                          List<PythonInterpreter> interpreters) {
        StringBuilder detail = new StringBuilder("wheel tags: " + String.join(", ", wheelTags)
                + "\ninterpreters tried:");
        for (PythonInterpreter python : interpreters) {
            detail.append("\n  ").append(python);
        }
        String message = "no selected interpreter accepts " + subject.label()
                + " (select another one with neuron.python)";
        reporter.warn(message);
        reporter.warn(detail.toString());
        return new TestSuiteResult(subject.label(), "none", "install", Instant.now(),
                List.of(TestCaseResult.failed("find an interpreter that accepts the wheel", message,
                        detail.toString(), Duration.ZERO)), null);
    }

    private List<TestSuiteResult> runOn(TestMachine machine, TestSubject subject, PythonInterpreter python)
            throws IOException {
        String pythonLabel = python.cpythonTag();
        String basePath = machine.basePath();
        reporter.info("Testing " + subject + " on " + python
                + (machine instanceof HostMachine ? "" : " in " + machine.description()));
        PythonEnvironment venv = PythonEnvironment.at(machine, machine.workDirectory()
                .resolve(environmentName(subject.label(), pythonLabel)));
        Map<String, String> baseEnvironment = new LinkedHashMap<>(settings.environment());
        baseEnvironment.put("VIRTUAL_ENV", venv.directory().toString());
        baseEnvironment.put("PATH", venv.binDirectory() + File.pathSeparator + basePath);
        baseEnvironment.put("PYTHONNOUSERSITE", "1");

        List<TestSuiteResult> suites = new ArrayList<>();
        Instant started = Instant.now();
        List<TestCaseResult> install = new ArrayList<>();
        try {
            install.add(step("create virtual environment with " + python.executable(),
                    venv.create(python.executable(), Map.of("PATH", basePath), installTimeout())));
            if (install.get(0).status() == TestCaseResult.Status.PASSED) {
                List<String> pipArgs = new ArrayList<>(settings.pipOptions());
                pipArgs.addAll(settings.requirements());
                pipArgs.addAll(subject.pipArguments(subject.isWheel() ? machine.wheelLocation(subject.wheelFile()) : null));
                install.add(step("pip install " + String.join(" ", pipArgs),
                        venv.pipInstall(pipArgs, baseEnvironment, installTimeout())));
            }
            boolean installed = install.stream().allMatch(c -> c.status() == TestCaseResult.Status.PASSED);
            suites.add(write(new TestSuiteResult(subject.label(), pythonLabel, "install", started, install, null)));

            Map<String, String> placeholders = new LinkedHashMap<>();
            placeholders.put("python", venv.python().toString());
            placeholders.put("wheel", subject.isWheel() ? machine.wheelLocation(subject.wheelFile()).toString()
                    : subject.placeholderValue());
            placeholders.put("project", machine.projectDirectory().toString());
            placeholders.put("venv", venv.directory().toString());
            if (installed) {
                String distribution = subject.isWheel() ? WheelCompatibility.distribution(subject.wheelFile())
                        : subject.requirementName();
                Optional<Path> folder = venv.packageFolder(distribution, baseEnvironment);
                if (folder.isPresent()) {
                    placeholders.put("package", folder.get().toString());
                } else {
                    reporter.warn("cannot locate the installed package of " + distribution + "; {package} stays unset");
                }
            }
            String notInstalled = installed ? null : "not run: installing " + subject.label() + " failed";

            if (!settings.commands().isEmpty()) {
                suites.add(write(runVariant(machine, subject, pythonLabel, "serial", "serial", null,
                        settings.commands(), placeholders, baseEnvironment, notInstalled)));
            }
            if (!settings.mpiCommands().isEmpty()) {
                for (MpiVariant mpi : settings.mpiVariants()) {
                    String name = mpi.variantName();
                    String launcher = mpi.launcher();
                    TestMachine variantMachine = machine.forVariant(name);
                    Map<String, String> variantEnvironment = baseEnvironment;
                    if (variantMachine != machine) {
                        // the variant's modules set their own PATH; the test environment stays in front
                        variantEnvironment = new LinkedHashMap<>(baseEnvironment);
                        variantEnvironment.put("PATH", venv.binDirectory() + File.pathSeparator + variantMachine.basePath());
                    }
                    String skip = notInstalled;
                    if (skip == null && !variantMachine.hasProgram(launcher, variantEnvironment.get("PATH"))) {
                        skip = "MPI launcher '" + Executables.firstWord(launcher) + "' is not installed (not found on PATH"
                                + (machine instanceof HostMachine ? "" : " in " + machine.description())
                                + (mpi.modules().isEmpty() ? "" : " with module(s) " + String.join(" ", mpi.modules())) + ")";
                    }
                    suites.add(write(runVariant(variantMachine, subject, pythonLabel, "mpi", name, launcher,
                            settings.mpiCommands(), placeholders, variantEnvironment, skip)));
                }
            }
            if (!settings.gpuCommands().isEmpty()) {
                String skip = notInstalled != null ? notInstalled : gpuMissingReason(machine, baseEnvironment).orElse(null);
                suites.add(write(runVariant(machine, subject, pythonLabel, "gpu", "gpu", null,
                        settings.gpuCommands(), placeholders, baseEnvironment, skip)));
            }
        } finally {
            if (settings.keepEnvironments()) {
                reporter.info("kept the test environment " + venv.directory());
            } else {
                try {
                    venv.delete();
                } catch (IOException e) {
                    reporter.warn("could not remove the test environment " + venv.directory() + ": " + e.getMessage());
                }
            }
        }
        return suites;
    }

    private TestSuiteResult runVariant(TestMachine machine, TestSubject subject, String pythonLabel, String kind, String name,
                                       String launcher, List<String> commands, Map<String, String> placeholders,
                                       Map<String, String> baseEnvironment, String skipReason) throws IOException {
        Instant started = Instant.now();
        List<TestCaseResult> cases = new ArrayList<>();
        if (skipReason != null) {
            reporter.info("  " + name + ": skipped, " + skipReason);
            for (String command : commands) {
                cases.add(TestCaseResult.skipped(command, skipReason));
            }
            return new TestSuiteResult(subject.label(), pythonLabel, name, started, cases, null);
        }
        Map<String, String> environment = new LinkedHashMap<>(baseEnvironment);
        environment.putAll(settings.environmentOf(kind, name));
        Map<String, String> raw = launcher == null ? Map.of() : Map.of("launcher", launcher);
        reporter.info("  " + name + ": " + commands.size() + " command(s)");
        for (String template : commands) {
            String line = CommandTemplate.fill(template, placeholders, raw);
            if (launcher != null && !CommandTemplate.mentions(template, "launcher")) {
                line = launcher + " " + line;
            }
            reporter.debug("running: " + line);
            // pytest reads PYTEST_ADDOPTS: a command that runs pytest leaves its own cases in this report
            Path pytestReport = machine.workDirectory().resolve("pytest-reports")
                    .resolve(name.replaceAll("[^A-Za-z0-9_.-]+", "_") + "-" + cases.size() + "-" + System.nanoTime() + ".xml");
            Map<String, String> commandEnvironment = new LinkedHashMap<>(environment);
            commandEnvironment.put(PytestReport.ADDOPTS, PytestReport.addOptions(environment.getOrDefault(
                    PytestReport.ADDOPTS, machine instanceof HostMachine ? System.getenv(PytestReport.ADDOPTS) : null),
                    pytestReport.toString()));
            ProcessResult result = machine.run(List.of("/bin/sh", "-c", line), commandEnvironment,
                    machine.projectDirectory(), settings.timeout(), REPORTED_OUTPUT_LINES, reporter::debug);
            TestCaseResult test = step(template, result);
            cases.add(test);
            Optional<String> pytestXml = machine.readText(pytestReport);
            if (pytestXml.isPresent()) {
                List<TestCaseResult> pytestCases = PytestReport.cases(pytestXml.get(), "pytest: ", pytestReport.toString());
                reporter.info("      pytest: " + pytestCases.size() + " case(s), "
                        + pytestCases.stream().filter(c -> c.status() == TestCaseResult.Status.FAILED).count() + " failed");
                cases.addAll(pytestCases);
            }
        }
        return new TestSuiteResult(subject.label(), pythonLabel, name, started, cases, null);
    }

    /** A finished command as a test case, logged as it ends. */
    private TestCaseResult step(String name, ProcessResult result) {
        String output = result.tailText();
        String seconds = String.format(java.util.Locale.ROOT, "%.1f s", result.duration().toMillis() / 1000.0);
        if (result.succeeded()) {
            reporter.info("    passed  " + name + " (" + seconds + ")");
            return TestCaseResult.passed(name, output, result.duration());
        }
        String message = result.timedOut()
                ? "timed out after " + (settings.timeout().toSeconds() < 60 ? settings.timeout().toSeconds() + " s"
                        : settings.timeout().toMinutes() + " min")
                : "exit code " + result.exitCode();
        reporter.warn("    FAILED  " + name + " (" + seconds + "): " + message);
        List<String> tail = result.tail();
        tail.subList(Math.max(0, tail.size() - LOGGED_FAILURE_LINES), tail.size())
                .forEach(l -> reporter.warn("      | " + l));
        return TestCaseResult.failed(name, message, output, result.duration());
    }

    private Optional<String> gpuMissingReason(TestMachine machine, Map<String, String> environment)
            throws IOException {
        if (gpuMissingReason == null) {
            String probe = settings.gpuProbe();
            // The default probe names a program; a configured one may be any shell line (builtins included).
            String where = machine instanceof HostMachine ? "" : " in " + machine.description();
            if (probe.equals(WheelTestSettings.DEFAULT_GPU_PROBE)
                    && !machine.hasProgram(probe, environment.get("PATH"))) {
                gpuMissingReason = Optional.of("no GPU detected: " + Executables.firstWord(probe) + " is not installed"
                        + where);
            } else {
                ProcessResult result = machine.run(List.of("/bin/sh", "-c", probe), environment, null,
                        Duration.ofMinutes(1), 100, line -> { });
                gpuMissingReason = result.succeeded() ? Optional.empty()
                        : Optional.of("no GPU detected" + where + ": '" + probe + "' "
                        + (result.timedOut() ? "timed out" : "exited with " + result.exitCode())
                        + (result.tail().isEmpty() ? "" : " (" + result.tail().get(result.tail().size() - 1).strip() + ")"));
            }
            reporter.info(gpuMissingReason.orElse("GPU detected by '" + probe + "'"));
        }
        return gpuMissingReason;
    }

    /** Set-up is not a test: it gets at least the time a slow index or a large wheel needs. */
    private Duration installTimeout() {
        Duration floor = Duration.ofMinutes(20);
        return settings.timeout().compareTo(floor) > 0 ? settings.timeout() : floor;
    }

    private TestSuiteResult write(TestSuiteResult suite) throws IOException {
        return JUnitXmlWriter.write(suite, settings.reportsDirectory());
    }

    /**
     * A short folder name, unique per subject and interpreter: long wheel names would push the
     * environment's script shebangs past the kernel's length limit.
     */
    static String environmentName(String label, String pythonLabel) {
        String safe = label.replaceAll("[^A-Za-z0-9_.=+-]+", "_");
        String digest;
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(label.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest = java.util.HexFormat.of().formatHex(hash, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        return safe.substring(0, Math.min(safe.length(), 24)) + "-" + digest + "-" + pythonLabel;
    }
}
