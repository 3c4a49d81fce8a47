package org.neuronsimulator.wheel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.neuronsimulator.wheel.FileTrees;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/** The tests run on this machine with its interpreters. */
class HostMachine implements TestMachine {

    private final WheelTestSettings settings;
    private final String path;

    HostMachine(WheelTestSettings settings, String path) {
        this.settings = settings;
        this.path = path;
    }

    @Override
    public String description() {
        return "this machine";
    }

    @Override
    public String basePath() {
        return path;
    }

    @Override
    public Path workDirectory() {
        return settings.workDirectory();
    }

    @Override
    public Path projectDirectory() {
        return settings.projectDirectory();
    }

    @Override
    public Path wheelLocation(Path hostWheel) {
        return hostWheel;
    }

    @Override
    public ProcessResult run(List<String> command, Map<String, String> environment, Path directory,
                             Duration timeout, int tailLines, Consumer<String> output) throws IOException {
        ProcessRunner runner = ProcessRunner.of(command)
                .environment(environment)
                .removeEnvironment("PYTHONPATH")
                .removeEnvironment("PYTHONHOME")
                .tailLines(tailLines)
                .timeout(timeout)
                .onOutput(output);
        if (directory != null) {
            runner.directory(directory);
        }
        return runner.run();
    }

    @Override
    public boolean hasProgram(String commandLine, String path) {
        return Executables.find(commandLine, path).isPresent();
    }

    @Override
    public Optional<String> readText(Path file) throws IOException {
        return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
    }

    @Override
    public void deleteTree(Path directory) throws IOException {
        FileTrees.delete(directory);
    }
}
