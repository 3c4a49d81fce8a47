package org.neuronsimulator.wheel.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.neuronsimulator.wheel.process.ProcessResult;

/**
 * Where the test steps run: this machine, or a container of an image. Paths are those the machine
 * sees; the reports are always written on this machine.
 */
interface TestMachine {

    /** For log lines: {@code this machine}, {@code container NAME of IMAGE}. */
    String description();

    /** The {@code PATH} behind a test environment's own {@code bin}. */
    String basePath() throws IOException;

    /** Where the virtual environments are made. */
    Path workDirectory();

    /** The project folder: {@code {project}}, and where the commands run. */
    Path projectDirectory();

    /** Where the machine sees a wheel of the wheelhouse. */
    Path wheelLocation(Path hostWheel);

    /** Runs a program; {@code environment} is added to the machine's own (PYTHONPATH and PYTHONHOME are dropped). */
    ProcessResult run(List<String> command, Map<String, String> environment, Path directory, Duration timeout,
                      int tailLines, Consumer<String> output) throws IOException;

    /** Whether the program named by a command line's first word is found on {@code path}. */
    boolean hasProgram(String commandLine, String path) throws IOException;

    /** A text file the machine sees, empty when it does not exist. */
    Optional<String> readText(Path file) throws IOException;

    /** Removes a folder and everything in it; nothing when it does not exist. */
    void deleteTree(Path directory) throws IOException;

    /** The machine as a variant's commands see it (an MPI variant with its own modules); this one otherwise. */
    default TestMachine forVariant(String variantName) {
        return this;
    }
}
