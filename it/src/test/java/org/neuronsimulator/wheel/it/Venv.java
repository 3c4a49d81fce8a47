package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/** A fresh virtual environment made by a real interpreter, to install and exercise built wheels. */
public final class Venv {

    private final Path directory;

    private Venv(Path directory) {
        this.directory = directory;
    }

    public static Venv create(String basePython, Path directory) throws IOException {
        MavenInvocation.deleteTree(directory);
        run(List.of(basePython, "-m", "venv", directory.toString()));
        return new Venv(directory);
    }

    public Path python() {
        return directory.resolve("bin/python");
    }

    /** Runs the venv's Python with arguments; asserts success and returns the output. */
    public String python(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(python().toString());
        command.addAll(List.of(args));
        return run(command);
    }

    public String pip(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(python().toString(), "-m", "pip",
                "--disable-pip-version-check", "--no-input"));
        command.addAll(List.of(args));
        return run(command);
    }

    static String run(List<String> command) throws IOException {
        ProcessResult result = ProcessRunner.of(command)
                .removeEnvironment("LD_LIBRARY_PATH")
                .removeEnvironment("PYTHONPATH")
                .tailLines(100_000)
                .timeout(Duration.ofMinutes(5))
                .run();
        assertTrue(result.succeeded(), () -> String.join(" ", command) + " failed:\n" + result.tailText());
        return result.tailText();
    }
}
