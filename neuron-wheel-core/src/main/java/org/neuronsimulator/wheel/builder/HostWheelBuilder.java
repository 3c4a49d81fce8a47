package org.neuronsimulator.wheel.builder;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/** Builds raw wheels with the host's interpreters, one after the other. */
public final class HostWheelBuilder implements WheelBuilder {

    private final PythonDiscovery discovery;
    private final Reporter reporter;

    public HostWheelBuilder(PythonDiscovery discovery, Reporter reporter) {
        this.discovery = discovery;
        this.reporter = reporter;
    }

    @Override
    public List<BuiltWheel> build(BuildRequest request) throws IOException, BuildFailedException {
        List<PythonInterpreter> pythons = discovery.select(request.pythons());
        List<BuiltWheel> wheels = new ArrayList<>();
        for (PythonInterpreter python : pythons) {
            wheels.addAll(buildOne(request, python));
        }
        return wheels;
    }

    private List<BuiltWheel> buildOne(BuildRequest request, PythonInterpreter python)
            throws IOException, BuildFailedException {
        String tag = python.cpythonTag();
        Path outdir = request.outputDirectory().resolve(tag);
        deleteWheels(outdir);
        Files.createDirectories(outdir);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("python", python.executable().toString());
        values.put("source", request.projectDirectory().toString());
        values.put("outdir", outdir.toString());
        List<String> command = request.command().expand(values);
        String prefix = "[" + tag + "] ";
        reporter.info(prefix + "building with " + python);
        reporter.debug(prefix + String.join(" ", command));
        ProcessResult result = ProcessRunner.of(command)
                .directory(request.projectDirectory())
                .environment("PIP_PROGRESS_BAR", "off")
                .environment("PIP_NO_INPUT", "1")
                .environment("PIP_DISABLE_PIP_VERSION_CHECK", "1")
                .environment("NEURON_WHEEL_OUTDIR", outdir.toString())
                .environment(request.environment())
                .timeout(request.timeout())
                .onOutput(line -> reporter.info(prefix + line))
                .run();
        if (result.timedOut()) {
            throw new BuildFailedException("[" + tag + "] build timed out after " + request.timeout()
                    + ": " + String.join(" ", command), result.tail());
        }
        if (!result.succeeded()) {
            throw new BuildFailedException("[" + tag + "] build failed with exit code " + result.exitCode()
                    + ": " + String.join(" ", command), result.tail());
        }
        List<BuiltWheel> wheels = new ArrayList<>();
        for (Path wheel : listWheels(outdir)) {
            wheels.add(new BuiltWheel(wheel, tag));
        }
        if (wheels.isEmpty()) {
            throw new BuildFailedException("[" + tag + "] the build command succeeded but wrote no .whl into "
                    + outdir + " (does the command write to {outdir}?)", result.tail());
        }
        reporter.info(prefix + "built " + wheels.size() + " wheel(s) in "
                + String.format("%.1f s", result.duration().toMillis() / 1000.0));
        return wheels;
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
