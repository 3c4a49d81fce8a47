package org.neuronsimulator.wheel.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/** A real CPython virtual environment under target/ with {@code wheel} from the machine's local index. */
final class TestPython {

    /**
     * pip options naming the machine's local package index when it has one (then unreachable PyPI is not
     * tried); otherwise none, and pip uses its configured index.
     */
    static final List<String> LOCAL_INDEX = localIndex();

    private static List<String> localIndex() {
        List<String> options = new ArrayList<>();
        for (String index : List.of("/opt/pypi/simple", "/opt/pypi-more/simple")) {
            if (Files.isDirectory(Path.of(index))) {
                options.add(options.isEmpty() ? "--index-url" : "--extra-index-url");
                options.add("file://" + index);
            }
        }
        return List.copyOf(options);
    }

    private static Path tools;

    private TestPython() {
    }

    /** The shared tools environment (wheel installed), created once per build. */
    static synchronized Path toolsVenv() throws IOException {
        if (tools == null) {
            Path venv = Path.of("target", "archive-tools-venv").toAbsolutePath();
            if (!Files.exists(venv.resolve(".ready"))) {
                tools = createVenv(venv);
                List<String> install = new ArrayList<>(List.of(python(venv).toString(), "-m", "pip", "install",
                        "-q", "--disable-pip-version-check"));
                install.addAll(LOCAL_INDEX);
                install.add("wheel");
                check(run(venv, install));
                Files.writeString(venv.resolve(".ready"), "ok");
            }
            tools = venv;
        }
        return tools;
    }

    /** A new empty virtual environment. */
    static Path createVenv(Path venv) throws IOException {
        deleteTree(venv);
        check(run(venv.getParent(), List.of("python3", "-m", "venv", venv.toString())));
        return venv;
    }

    static Path python(Path venv) {
        return venv.resolve("bin/python");
    }

    static ProcessResult run(Path directory, List<String> command) throws IOException {
        Files.createDirectories(directory);
        return ProcessRunner.of(command).directory(directory).timeout(Duration.ofMinutes(5)).tailLines(60)
                .removeEnvironment("PYTHONPATH").run();
    }

    static ProcessResult check(ProcessResult result) {
        if (!result.succeeded()) {
            throw new AssertionError("command failed: " + result.command() + "\n" + result.tailText());
        }
        return result;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
