package org.neuronsimulator.wheel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/** A fresh virtual environment made by one interpreter's own {@code venv} module. */
final class PythonEnvironment {

    /** Prints the folder of an installed distribution's top-level package (its site-packages when it has none). */
    private static final String LOCATE_SCRIPT = String.join("\n",
            "import os, re, sys",
            "name = sys.argv[1]",
            "norm = lambda s: re.sub(r'[-_.]+', '_', s).lower()",
            "try:",
            "    from importlib import metadata",
            "except ImportError:",
            "    import sysconfig",
            "    print(sysconfig.get_paths()['purelib'])",
            "    sys.exit(0)",
            "d = metadata.distribution(name)",
            "base = str(d.locate_file(''))",
            "tops = (d.read_text('top_level.txt') or '').split()",
            "if not tops:",
            "    for f in d.files or []:",
            "        p = f.parts",
            "        if len(p) > 1 and p[0] not in tops and p[0] not in ('..', '__pycache__') \\",
            "                and not p[0].endswith(('.dist-info', '.data', '.libs')):",
            "            tops.append(p[0])",
            "tops = [t for t in tops if os.path.isdir(os.path.join(base, t))]",
            "pick = next((t for t in tops if norm(t) == norm(name)), tops[0] if tops else None)",
            "print(os.path.join(base, pick) if pick else base)",
            "");

    private final Path directory;

    private PythonEnvironment(Path directory) {
        this.directory = directory;
    }

    static PythonEnvironment at(Path directory) {
        return new PythonEnvironment(directory);
    }

    Path directory() {
        return directory;
    }

    Path python() {
        return directory.resolve("bin/python");
    }

    Path binDirectory() {
        return directory.resolve("bin");
    }

    /** {@code <base> -m venv DIR}, after removing what an earlier run left there. Nothing is upgraded. */
    ProcessResult create(Path basePython, Map<String, String> environment, Duration timeout) throws IOException {
        delete();
        Files.createDirectories(directory.getParent());
        return ProcessRunner.of(basePython.toString(), "-m", "venv", directory.toString())
                .environment(environment)
                .tailLines(400)
                .timeout(timeout)
                .run();
    }

    /** {@code python -m pip install ARGS} with pip's own configuration (index, find-links). */
    ProcessResult pipInstall(List<String> arguments, Map<String, String> environment, Duration timeout)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(python().toString(), "-m", "pip", "install",
                "--disable-pip-version-check", "--no-input"));
        command.addAll(arguments);
        return ProcessRunner.of(command).environment(environment).tailLines(2_000).timeout(timeout).run();
    }

    /** The installed package's folder, or empty when it cannot be found (the reason is in the result). */
    Optional<Path> packageFolder(String distribution, Map<String, String> environment) throws IOException {
        ProcessResult result = ProcessRunner.of(python().toString(), "-c", LOCATE_SCRIPT, distribution)
                .environment(environment)
                .timeout(Duration.ofMinutes(1))
                .run();
        if (!result.succeeded() || result.tail().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Path.of(result.tail().get(result.tail().size() - 1).strip()));
    }

    void delete() throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
