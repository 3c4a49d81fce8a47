package org.neuronsimulator.wheel.builder;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * Finds the host's Python interpreters: {@code PATH} entries named {@code python3.N}, pyenv's
 * versions and manylinux-style {@code /opt/python/*}. Each candidate is asked for its version and
 * the tags it accepts, so that nothing is guessed from file names.
 */
public final class PythonDiscovery {

    private static final Pattern VERSIONED_NAME = Pattern.compile("python3\\.\\d+t?");

    /**
     * Prints version, implementation, free-threading and the accepted tags, one per line; run by
     * an interpreter on the host or inside a container, read by {@link #parseProbe}.
     */
    public static final String PROBE_SCRIPT = String.join("\n",
            "import sys, sysconfig",
            "print(sys.version_info[0], sys.version_info[1])",
            "print(sys.implementation.name)",
            "print(1 if sysconfig.get_config_var('Py_GIL_DISABLED') else 0)",
            "try:",
            "    from pip._vendor.packaging import tags",
            "except Exception:",
            "    try:",
            "        from packaging import tags",
            "    except Exception:",
            "        tags = None",
            "if tags is not None:",
            "    for t in tags.sys_tags():",
            "        print(t)",
            "");

    private final Map<String, String> environment;
    private final Map<Path, Optional<PythonInterpreter>> probed = new ConcurrentHashMap<>();

    public PythonDiscovery(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static PythonDiscovery ofSystem() {
        return new PythonDiscovery(System.getenv());
    }

    /**
     * The interpreters a selector names, ordered by version.
     *
     * @throws IllegalArgumentException when a named path is not a working Python or nothing matches
     */
    public List<PythonInterpreter> select(PythonSelector selector) throws IOException {
        List<PythonInterpreter> chosen = new ArrayList<>();
        if (selector.isDefault()) {
            Path python3 = onPath("python3").orElseThrow(() -> new IllegalArgumentException(
                    "no python3 on the PATH; set neuron.python to a version (3.11) or an interpreter path"));
            chosen.add(probe(python3).orElseThrow(() -> new IllegalArgumentException(
                    python3 + " does not run as a Python interpreter")));
            return chosen;
        }
        for (Path path : selector.paths()) {
            chosen.add(probe(path).orElseThrow(() -> new IllegalArgumentException(
                    "neuron.python: " + path + " is not a working Python interpreter")));
        }
        if (selector.hasVersionPatterns()) {
            Map<String, PythonInterpreter> byTag = new LinkedHashMap<>();
            for (Path candidate : candidates()) {
                Optional<PythonInterpreter> interpreter = probe(candidate);
                if (interpreter.isPresent() && "cpython".equals(interpreter.get().implementation())
                        && selector.matchesTag(interpreter.get().cpythonTag())) {
                    byTag.putIfAbsent(interpreter.get().cpythonTag(), interpreter.get());
                }
            }
            if (byTag.isEmpty()) {
                throw new InvalidSettingException("neuron.python", "neuron.python=" + selector
                        + " matches no CPython interpreter on this machine (looked in PATH, pyenv and /opt/python)");
            }
            chosen.addAll(byTag.values());
        }
        chosen.sort(Comparator.comparingInt(PythonInterpreter::major).thenComparingInt(PythonInterpreter::minor));
        return chosen;
    }

    /** Candidate executables, in preference order, deduplicated by real path. */
    List<Path> candidates() throws IOException {
        Map<Path, Path> byRealPath = new LinkedHashMap<>();
        String pathVariable = environment.getOrDefault("PATH", "");
        for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty() || dir.contains("/.pyenv/shims")) {
                continue; // pyenv shims are slow scripts; its versions are scanned directly below
            }
            addMatching(Path.of(dir), byRealPath);
        }
        String pyenvRoot = environment.getOrDefault("PYENV_ROOT",
                environment.getOrDefault("HOME", "/root") + "/.pyenv");
        for (Path version : listDirectories(Path.of(pyenvRoot, "versions"))) {
            addMatching(version.resolve("bin"), byRealPath);
        }
        for (Path version : listDirectories(Path.of("/opt/python"))) {
            addIfExecutable(version.resolve("bin/python"), byRealPath);
        }
        return new ArrayList<>(byRealPath.values());
    }

    private static void addMatching(Path dir, Map<Path, Path> byRealPath) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "python3.*")) {
            for (Path entry : entries) {
                if (VERSIONED_NAME.matcher(entry.getFileName().toString()).matches()) {
                    names.add(entry);
                }
            }
        } catch (IOException e) {
            return; // an unreadable PATH entry is no reason to fail discovery
        }
        names.sort(Comparator.naturalOrder());
        for (Path name : names) {
            addIfExecutable(name, byRealPath);
        }
    }

    private static void addIfExecutable(Path file, Map<Path, Path> byRealPath) {
        if (Files.isRegularFile(file) && Files.isExecutable(file)) {
            try {
                byRealPath.putIfAbsent(file.toRealPath(), file);
            } catch (IOException e) {
                // dangling link: not a candidate
            }
        }
    }

    private static List<Path> listDirectories(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        java.io.File[] files = dir.toFile().listFiles(java.io.File::isDirectory);
        if (files == null) {
            return List.of();
        }
        return Arrays.stream(files).map(java.io.File::toPath).sorted().toList();
    }

    private Optional<Path> onPath(String name) {
        for (String dir : environment.getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path file = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** Runs the probe script; empty when the file is not a working Python 3. */
    public Optional<PythonInterpreter> probe(Path executable) {
        return probed.computeIfAbsent(executable.toAbsolutePath().normalize(), this::runProbe);
    }

    private Optional<PythonInterpreter> runProbe(Path executable) {
        if (!Files.isExecutable(executable)) {
            return Optional.empty();
        }
        try {
            ProcessResult result = ProcessRunner.of(executable.toString(), "-c", PROBE_SCRIPT)
                    .environment(environment)
                    .tailLines(10_000)
                    .timeout(Duration.ofSeconds(60))
                    .run();
            return result.succeeded() ? parseProbe(executable, result.tail()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The interpreter described by the output of {@link #PROBE_SCRIPT}; empty when it is no Python 3. */
    public static Optional<PythonInterpreter> parseProbe(Path executable, List<String> lines) {
        if (lines.size() < 3) {
            return Optional.empty();
        }
        try {
            String[] version = lines.get(0).trim().split(" ");
            int major = Integer.parseInt(version[0]);
            if (major < 3) {
                return Optional.empty();
            }
            return Optional.of(new PythonInterpreter(executable, major, Integer.parseInt(version[1]),
                    lines.get(1).trim(), "1".equals(lines.get(2).trim()), lines.subList(3, lines.size())));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
