package org.neuronsimulator.wheel.builder;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuronsimulator.wheel.FileTrees;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * Builds raw wheels with the host's interpreters, one after the other: the before-all steps once, then
 * per Python the before-build steps, the build and the repair command when there is one.
 */
public final class HostWheelBuilder implements WheelBuilder {

    private final PythonDiscovery discovery;
    private final Reporter reporter;
    private final Map<String, String> hostEnvironment;
    private final String platform;

    public HostWheelBuilder(PythonDiscovery discovery, Reporter reporter) {
        this(discovery, reporter, System.getenv(),
                BuildIdentifier.hostPlatform(System.getProperty("os.name"), System.getProperty("os.arch")));
    }

    /**
     * @param hostEnvironment what environment assignments expand against
     * @param platform        the platform part of the builds' identifiers, e.g. {@code macosx_arm64}
     */
    public HostWheelBuilder(PythonDiscovery discovery, Reporter reporter, Map<String, String> hostEnvironment,
                            String platform) {
        this.discovery = discovery;
        this.reporter = reporter;
        this.hostEnvironment = Map.copyOf(hostEnvironment);
        this.platform = platform;
    }

    @Override
    public List<BuiltWheel> build(BuildRequest request) throws IOException, BuildFailedException {
        List<PythonInterpreter> pythons = select(request);
        Map<String, String> environment = environment(request);
        for (int i = 0; i < request.beforeAll().size(); i++) {
            String command = BuildRequest.fill(request.beforeAll().get(i), projectPlaceholders(request));
            runStep(command, "before-all step " + (i + 1) + " of " + request.beforeAll().size(), "[before-all] ",
                    request, environment);
        }
        List<BuiltWheel> wheels = new ArrayList<>();
        for (PythonInterpreter python : pythons) {
            wheels.addAll(buildOne(request, python, environment));
        }
        return wheels;
    }

    /** The discovered interpreters that the build/skip selection keeps; the others are reported. */
    private List<PythonInterpreter> select(BuildRequest request) throws IOException {
        List<PythonInterpreter> chosen = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (PythonInterpreter python : discovery.select(request.pythons())) {
            BuildIdentifier identifier = BuildIdentifier.of(python, "", platform);
            var why = request.selection().whyNot(identifier, python.freeThreaded());
            if (why.isPresent()) {
                reasons.add(identifier + ": " + why.get());
                reporter.info("skipping " + identifier + " (" + python.executable() + "): " + why.get());
            } else {
                chosen.add(python);
            }
        }
        if (chosen.isEmpty()) {
            throw new InvalidSettingException("neuron.python", "the build selection (" + request.selection() + ") leaves no interpreter"
                    + " to build with: " + String.join("; ", reasons));
        }
        return chosen;
    }

    private Map<String, String> environment(BuildRequest request) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PIP_PROGRESS_BAR", "off");
        environment.put("PIP_NO_INPUT", "1");
        environment.put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        environment.putAll(request.assignments().evaluate(hostEnvironment));
        environment.putAll(request.environment());
        return environment;
    }

    private List<BuiltWheel> buildOne(BuildRequest request, PythonInterpreter python, Map<String, String> base)
            throws IOException, BuildFailedException {
        String tag = python.cpythonTag();
        String prefix = "[" + tag + "] ";
        Path outdir = request.outputDirectory().resolve(tag);
        deleteWheels(outdir);
        Files.createDirectories(outdir);
        Map<String, String> environment = new LinkedHashMap<>(base);
        environment.put("NEURON_WHEEL_OUTDIR", outdir.toString());
        Path bin = python.executable().toAbsolutePath().getParent();
        String path = environment.getOrDefault("PATH", hostEnvironment.getOrDefault("PATH", ""));
        environment.put("PATH", bin + (path.isEmpty() ? "" : java.io.File.pathSeparator + path));
        reporter.info(prefix + "building with " + python);

        Path frontend = null;
        try {
            String interpreter = python.executable().toString();
            if (request.frontend().needsBuildPackage()) {
                frontend = Files.createTempDirectory("neuron-wheel-frontend-" + tag);
                interpreter = installBuildFrontend(python, frontend, prefix, request, environment);
            }
            Map<String, String> placeholders = new LinkedHashMap<>(projectPlaceholders(request));
            placeholders.put("python", python.executable().toString());
            for (int i = 0; i < request.beforeBuild().size(); i++) {
                String command = BuildRequest.fill(request.beforeBuild().get(i), placeholders);
                runStep(command, "before-build step " + (i + 1) + " of " + request.beforeBuild().size(), prefix,
                        request, environment);
            }
            Map<String, String> values = new LinkedHashMap<>();
            values.put("python", interpreter);
            values.put("source", request.projectDirectory().toString());
            values.put("outdir", outdir.toString());
            List<String> command = request.command().expand(values);
            reporter.debug(prefix + String.join(" ", command));
            ProcessResult result = runLogged(command, prefix, request, environment);
            if (result.timedOut()) {
                throw new BuildFailedException(prefix + "build timed out after " + request.timeout()
                        + ": " + String.join(" ", command), result.tail());
            }
            if (!result.succeeded()) {
                throw new BuildFailedException(prefix + "build failed with exit code " + result.exitCode()
                        + ": " + String.join(" ", command), result.tail());
            }
            if (!request.repairCommand().isEmpty()) {
                repair(request, outdir, prefix, environment);
            }
            List<BuiltWheel> wheels = new ArrayList<>();
            for (Path wheel : listWheels(outdir)) {
                wheels.add(new BuiltWheel(wheel, tag));
            }
            if (wheels.isEmpty()) {
                throw new BuildFailedException(prefix + "the build command succeeded but wrote no .whl into "
                        + outdir + " (does the command write to {outdir}?)", result.tail());
            }
            reporter.info(prefix + "built " + wheels.size() + " wheel(s) in "
                    + String.format("%.1f s", result.duration().toMillis() / 1000.0));
            return wheels;
        } finally {
            if (frontend != null) {
                FileTrees.delete(frontend);
            }
        }
    }

    private String installBuildFrontend(PythonInterpreter python, Path venv, String prefix, BuildRequest request,
                                        Map<String, String> environment) throws IOException, BuildFailedException {
        reporter.info(prefix + "build frontend: pypa/build in " + venv);
        runCommand(List.of(python.executable().toString(), "-m", "venv", venv.toString()),
                "creating the build frontend's environment " + venv, prefix, request, environment);
        Path interpreter = venv.resolve("bin/python");
        runCommand(List.of(interpreter.toString(), "-m", "pip", "install", "build"),
                "installing the build frontend (pip install build)", prefix, request, environment);
        return interpreter.toString();
    }

    /** Runs the repair command on each built wheel and puts the wheels it writes in their place. */
    private void repair(BuildRequest request, Path outdir, String prefix, Map<String, String> environment)
            throws IOException, BuildFailedException {
        Path destination = Files.createTempDirectory("neuron-wheel-repaired");
        try {
            List<Path> built = listWheels(outdir);
            for (Path wheel : built) {
                Map<String, String> values = new LinkedHashMap<>(projectPlaceholders(request));
                values.put("wheel", wheel.toString());
                values.put("dest_dir", destination.toString());
                runStep(BuildRequest.fill(request.repairCommand(), values), "repair command", prefix, request,
                        environment);
            }
            List<Path> repaired = listWheels(destination);
            if (repaired.isEmpty()) {
                throw new BuildFailedException(prefix + "the repair command wrote no .whl into {dest_dir}", List.of());
            }
            for (Path wheel : built) {
                Files.delete(wheel);
            }
            for (Path wheel : repaired) {
                Files.move(wheel, outdir.resolve(wheel.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            FileTrees.delete(destination);
        }
    }

    private void runStep(String command, String step, String prefix, BuildRequest request,
                         Map<String, String> environment) throws IOException, BuildFailedException {
        reporter.info(prefix + step + ": " + command);
        runCommand(List.of("/bin/sh", "-c", command), step + " (" + command + ")", prefix, request, environment);
    }

    /** Runs a command in the project folder, each output line logged with the Python's prefix. */
    private ProcessResult runLogged(List<String> command, String prefix, BuildRequest request,
                                    Map<String, String> environment) throws IOException {
        return ProcessRunner.of(command)
                .directory(request.projectDirectory())
                .environment(environment)
                .timeout(request.timeout())
                .onOutput(line -> reporter.info(prefix + line))
                .run();
    }

    private void runCommand(List<String> command, String step, String prefix, BuildRequest request,
                            Map<String, String> environment) throws IOException, BuildFailedException {
        ProcessResult result = runLogged(command, prefix, request, environment);
        if (result.timedOut()) {
            throw new BuildFailedException(prefix + step + " timed out after " + request.timeout(), result.tail());
        }
        if (!result.succeeded()) {
            throw new BuildFailedException(prefix + step + " failed with exit code " + result.exitCode(), result.tail());
        }
    }

    private static Map<String, String> projectPlaceholders(BuildRequest request) {
        String project = request.projectDirectory().toAbsolutePath().toString();
        return Map.of("project", project, "package", project);
    }

    static List<Path> listWheels(Path dir) throws IOException {
        List<Path> wheels = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return wheels;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.whl")) {
            entries.forEach(wheels::add);
        }
        wheels.sort(null);
        return wheels;
    }

    private static void deleteWheels(Path dir) throws IOException {
        for (Path stale : listWheels(dir)) {
            Files.delete(stale);
        }
    }

}
