package org.neuronsimulator.wheel.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * This machine as a cluster's login shell sees it after {@code salloc} and {@code module load}: every
 * step runs with exactly the environment the allocation and the modules made (the scheduler's
 * variables, the modules' PATH and variables), and is stopped when the allocation ends early.
 */
final class ClusterMachine extends HostMachine {

    private final WheelTestSettings settings;
    private final Map<String, String> environment;
    private final Map<String, Map<String, String>> variantEnvironments;
    private final Allocation allocation;

    /**
     * @param environment         the whole environment of the run (PYTHONPATH and PYTHONHOME are left out)
     * @param variantEnvironments whole environments of variants with their own modules, by variant name
     * @param allocation          the allocation the run is in; null for none
     */
    ClusterMachine(WheelTestSettings settings, Map<String, String> environment,
                   Map<String, Map<String, String>> variantEnvironments, Allocation allocation) {
        super(settings, environment.getOrDefault("PATH", "/usr/bin:/bin"));
        this.settings = settings;
        Map<String, String> own = new LinkedHashMap<>(environment);
        own.remove("PYTHONPATH");
        own.remove("PYTHONHOME");
        this.environment = Map.copyOf(own);
        this.variantEnvironments = Map.copyOf(variantEnvironments);
        this.allocation = allocation;
    }

    @Override
    public String description() {
        return allocation == null ? "this machine" : "this machine in the allocation"
                + allocation.jobId().map(id -> " (job " + id + ")").orElse("");
    }

    @Override
    public TestMachine forVariant(String variantName) {
        Map<String, String> variant = variantEnvironments.get(variantName);
        return variant == null ? this : new ClusterMachine(settings, variant, Map.of(), allocation);
    }

    @Override
    public ProcessResult run(List<String> command, Map<String, String> additions, Path directory, Duration timeout,
                             int tailLines, Consumer<String> output) throws IOException {
        Optional<String> ended = allocation == null ? Optional.empty() : allocation.endedBecause();
        if (ended.isPresent()) {
            return new ProcessResult(List.copyOf(command), -1, false, Duration.ZERO,
                    List.of("not run: the allocation ended: " + ended.get()));
        }
        ProcessRunner runner = ShellEnvironment.runner(command, environment)
                .environment(additions)
                .tailLines(tailLines)
                .timeout(timeout)
                .onOutput(output);
        if (directory != null) {
            runner.directory(directory);
        }
        if (allocation != null) {
            runner.stopWhen(allocation.ended());
        }
        ProcessResult result = runner.run();
        ended = allocation == null ? Optional.empty() : allocation.endedBecause();
        if (ended.isPresent() && !result.succeeded()) {
            List<String> tail = new ArrayList<>(result.tail());
            tail.add("stopped: the allocation ended: " + ended.get());
            return new ProcessResult(result.command(), result.exitCode(), result.timedOut(), result.duration(), tail);
        }
        return result;
    }
}
