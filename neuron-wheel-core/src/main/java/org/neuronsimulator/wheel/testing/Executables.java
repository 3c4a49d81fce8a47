package org.neuronsimulator.wheel.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs the way a shell does, so a skipped variant can say exactly what was missing. */
final class Executables {

    private Executables() {
    }

    /** The program named by the first word of a command line, searched on {@code path} unless it holds a slash. */
    static Optional<Path> find(String commandLine, String path) {
        String program = firstWord(commandLine);
        if (program.isEmpty()) {
            return Optional.empty();
        }
        if (program.contains("/")) {
            Path file = Path.of(program);
            return Files.isRegularFile(file) && Files.isExecutable(file) ? Optional.of(file) : Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path file = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    static String firstWord(String commandLine) {
        String trimmed = commandLine.strip();
        int space = trimmed.indexOf(' ');
        return space < 0 ? trimmed : trimmed.substring(0, space);
    }
}
