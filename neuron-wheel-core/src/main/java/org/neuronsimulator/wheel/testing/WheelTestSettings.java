package org.neuronsimulator.wheel.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * What the wheel tests run and where they write. Commands are shell lines (run by {@code /bin/sh -c})
 * with placeholders: {@code {python}} the environment's interpreter, {@code {wheel}} the wheel file
 * (or the requirement), {@code {project}} the project folder, {@code {package}} the installed
 * package's folder, {@code {venv}} the environment and, in MPI commands, {@code {launcher}} the MPI
 * launcher (prepended when the command does not place it itself).
 */
public final class WheelTestSettings {

    /** The default MPI launcher: MPICH's and Open MPI's {@code mpiexec} both take it. */
    public static final String DEFAULT_MPI_LAUNCHER = "mpiexec -n 2";
    /** The default GPU probe: lists the NVIDIA GPUs, fails (or is missing) when there are none. */
    public static final String DEFAULT_GPU_PROBE = "nvidia-smi -L";

    private final Path projectDirectory;
    private final Path workDirectory;
    private final Path reportsDirectory;
    private List<String> requirements = List.of();
    private List<String> pipOptions = List.of();
    private List<String> commands = List.of();
    private List<String> mpiCommands = List.of();
    private List<String> mpiLaunchers = List.of(DEFAULT_MPI_LAUNCHER);
    private List<MpiVariant> mpiVariants = List.of();
    private List<String> gpuCommands = List.of();
    private String gpuProbe = DEFAULT_GPU_PROBE;
    private Map<String, String> environment = Map.of();
    private Map<String, Map<String, String>> variantEnvironment = Map.of();
    private Duration timeout = Duration.ofMinutes(30);
    private boolean keepEnvironments;

    /**
     * @param projectDirectory the project whose wheels are tested ({@code {project}}); commands run there
     * @param workDirectory    where the virtual environments are made (a build folder)
     * @param reportsDirectory where the JUnit XML files go
     */
    public WheelTestSettings(Path projectDirectory, Path workDirectory, Path reportsDirectory) {
        this.projectDirectory = projectDirectory.toAbsolutePath().normalize();
        this.workDirectory = workDirectory.toAbsolutePath().normalize();
        this.reportsDirectory = reportsDirectory.toAbsolutePath().normalize();
    }

    /** Installed with the wheel, e.g. {@code pytest}, {@code numpy<2}. */
    public WheelTestSettings requirements(List<String> values) {
        requirements = clean(values);
        return this;
    }

    /** Extra {@code pip install} options, e.g. {@code --no-index} or {@code --find-links DIR}. */
    public WheelTestSettings pipOptions(List<String> values) {
        pipOptions = clean(values);
        return this;
    }

    public WheelTestSettings commands(List<String> values) {
        commands = clean(values);
        return this;
    }

    public WheelTestSettings mpiCommands(List<String> values) {
        mpiCommands = clean(values);
        return this;
    }

    /** Launcher prefixes, one MPI variant each, e.g. {@code mpiexec.mpich -n 2}, {@code mpiexec.openmpi -n 2}. */
    public WheelTestSettings mpiLaunchers(List<String> values) {
        mpiLaunchers = clean(values);
        return this;
    }

    /**
     * MPI variants with their own launcher and modules (e.g. {@code hpe-mpi} under {@code srun -n 2}); when
     * given, they replace {@link #mpiLaunchers}.
     */
    public WheelTestSettings mpiVariants(List<MpiVariant> values) {
        mpiVariants = List.copyOf(Objects.requireNonNullElse(values, List.<MpiVariant>of()));
        return this;
    }

    public WheelTestSettings gpuCommands(List<String> values) {
        gpuCommands = clean(values);
        return this;
    }

    /** A shell command that succeeds when a GPU is usable; blank restores {@link #DEFAULT_GPU_PROBE}. */
    public WheelTestSettings gpuProbe(String value) {
        gpuProbe = value == null || value.isBlank() ? DEFAULT_GPU_PROBE : value.trim();
        return this;
    }

    /** Variables for every command. */
    public WheelTestSettings environment(Map<String, String> values) {
        environment = Map.copyOf(values);
        return this;
    }

    /**
     * Variables per variant, keyed by kind ({@code serial}, {@code mpi}, {@code gpu}) or by a full
     * variant name such as {@code mpi[mpiexec.openmpi -n 2]}; the full name wins.
     */
    public WheelTestSettings variantEnvironment(Map<String, Map<String, String>> values) {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        variantEnvironment = Map.copyOf(copy);
        return this;
    }

    /**
     * Variables per variant as a pom lists them, one {@code (variant, variables)} pair per entry;
     * entries of the same variant are merged, later ones winning.
     */
    public WheelTestSettings variantEnvironment(List<Map.Entry<String, Map<String, String>>> entries) {
        Map<String, Map<String, String>> byVariant = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> entry : entries) {
            if (entry.getKey() == null || entry.getKey().isBlank()) {
                throw new InvalidSettingException("variantEnvironments", "variantEnvironments: an entry has no <variant>"
                        + " (serial, mpi, gpu or a full variant name)");
            }
            byVariant.computeIfAbsent(entry.getKey().strip(), k -> new LinkedHashMap<>())
                    .putAll(entry.getValue() == null ? Map.of() : entry.getValue());
        }
        return variantEnvironment(byVariant);
    }

    /** The per-command time limit in minutes, as the pom gives it. */
    public WheelTestSettings timeoutMinutes(long minutes) {
        if (minutes <= 0) {
            throw new InvalidSettingException("neuron.test.timeoutMinutes", "neuron.test.timeoutMinutes must be positive, not "
                    + minutes);
        }
        return timeout(Duration.ofMinutes(minutes));
    }

    public WheelTestSettings timeout(Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new InvalidSettingException("neuron.test.timeoutMinutes", "the per-command timeout must be positive, not " + value);
        }
        timeout = value;
        return this;
    }

    public WheelTestSettings keepEnvironments(boolean value) {
        keepEnvironments = value;
        return this;
    }

    private static List<String> clean(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String value : Objects.requireNonNullElse(values, List.<String>of())) {
            if (value != null && !value.isBlank()) {
                out.add(value.strip());
            }
        }
        return List.copyOf(out);
    }

    public Path projectDirectory() {
        return projectDirectory;
    }

    public Path workDirectory() {
        return workDirectory;
    }

    public Path reportsDirectory() {
        return reportsDirectory;
    }

    public List<String> requirements() {
        return requirements;
    }

    public List<String> pipOptions() {
        return pipOptions;
    }

    public List<String> commands() {
        return commands;
    }

    public List<String> mpiCommands() {
        return mpiCommands;
    }

    public List<String> mpiLaunchers() {
        return mpiLaunchers;
    }

    /** The MPI variants: those configured, else one per launcher, named after it. */
    public List<MpiVariant> mpiVariants() {
        return mpiVariants.isEmpty() ? mpiLaunchers.stream().map(MpiVariant::ofLauncher).toList() : mpiVariants;
    }

    public List<String> gpuCommands() {
        return gpuCommands;
    }

    public String gpuProbe() {
        return gpuProbe;
    }

    public Map<String, String> environment() {
        return environment;
    }

    /** Variables of a variant: those of its kind, overridden by those of its full name. */
    public Map<String, String> environmentOf(String kind, String variantName) {
        Map<String, String> merged = new LinkedHashMap<>(variantEnvironment.getOrDefault(kind, Map.of()));
        merged.putAll(variantEnvironment.getOrDefault(variantName, Map.of()));
        return merged;
    }

    public Duration timeout() {
        return timeout;
    }

    public boolean keepEnvironments() {
        return keepEnvironments;
    }
}
