package org.neuronsimulator.wheel.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.neuronsimulator.wheel.builder.container.ImageContainer;
import org.neuronsimulator.wheel.process.ProcessResult;

/** The tests run inside one container of an image, with the image's interpreters. */
final class ContainerMachine implements TestMachine {

    static final Path WHEEL_FOLDER = Path.of("/neuron-wheel/wheels");
    static final Path WORK_FOLDER = Path.of("/neuron-wheel/test-envs");
    static final Path PROJECT_FOLDER = Path.of("/project");

    private final ImageContainer container;
    private String path;
    /** Set once a timeout has killed the container: every later step fails with this reason. */
    private String killedBy;

    ContainerMachine(ImageContainer container) {
        this.container = container;
    }

    @Override
    public String description() {
        return "container " + container.name() + " of " + container.image();
    }

    @Override
    public String basePath() throws IOException {
        if (path == null) {
            path = container.path();
        }
        return path;
    }

    @Override
    public Path workDirectory() {
        return WORK_FOLDER;
    }

    @Override
    public Path projectDirectory() {
        return PROJECT_FOLDER;
    }

    @Override
    public Path wheelLocation(Path hostWheel) {
        return WHEEL_FOLDER.resolve(hostWheel.getFileName().toString());
    }

    @Override
    public ProcessResult run(List<String> command, Map<String, String> environment, Path directory,
                             Duration timeout, int tailLines, Consumer<String> output) throws IOException {
        if (killedBy != null) {
            return new ProcessResult(List.copyOf(command), -1, false, Duration.ZERO, List.of(killedBy));
        }
        ProcessResult result = container.exec(command, environment, directory == null ? "/" : directory.toString(),
                timeout, tailLines, output);
        if (result.timedOut()) {
            killedBy = "not run: the container " + container.name() + " was killed when '" + String.join(" ", command)
                    + "' timed out";
        }
        return result;
    }

    @Override
    public boolean hasProgram(String commandLine, String path) throws IOException {
        String program = Executables.firstWord(commandLine);
        if (program.isEmpty()) {
            return false;
        }
        if (killedBy != null) {
            return true; // the variant runs, and each of its commands fails with the reason
        }
        ProcessResult result = container.exec(List.of("/bin/sh", "-c", "command -v \"$1\"", "sh", program),
                Map.of("PATH", path), "/", Duration.ofMinutes(1), 10, line -> { });
        return result.succeeded();
    }

    @Override
    public Optional<String> readText(Path file) throws IOException {
        if (killedBy != null) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder();
        ProcessResult result = container.exec(List.of("/bin/sh", "-c", "[ -f \"$1\" ] || exit 3; cat \"$1\"", "sh",
                file.toString()), Map.of(), "/", Duration.ofMinutes(1), 10, line -> text.append(line).append('\n'));
        if (result.exitCode() == 3) {
            return Optional.empty();
        }
        if (!result.succeeded()) {
            throw new IOException("reading " + file + " in " + description() + " failed: " + result.tailText());
        }
        return Optional.of(text.toString());
    }

    @Override
    public void deleteTree(Path directory) throws IOException {
        if (killedBy != null) {
            return; // the container is stopped and is removed with everything in it
        }
        ProcessResult result = container.exec(List.of("rm", "-rf", "--", directory.toString()), Map.of(), "/",
                Duration.ofMinutes(10), 20, line -> { });
        if (!result.succeeded()) {
            throw new IOException("rm -rf " + directory + " in " + description() + " failed: " + result.tailText());
        }
    }
}
