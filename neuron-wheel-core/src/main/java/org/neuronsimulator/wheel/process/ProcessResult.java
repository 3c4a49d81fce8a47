package org.neuronsimulator.wheel.process;

import java.time.Duration;
import java.util.List;

/**
 * Outcome of a finished external command.
 *
 * @param command  the command line as run
 * @param exitCode the exit status; -1 when it was killed by its timeout
 * @param timedOut true when the timeout ended it
 * @param duration wall time
 * @param tail     the last lines of its combined output (stdout and stderr)
 */
public record ProcessResult(List<String> command, int exitCode, boolean timedOut, Duration duration,
                            List<String> tail) {

    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /** The output tail as one block of text. */
    public String tailText() {
        return String.join(System.lineSeparator(), tail);
    }
}
