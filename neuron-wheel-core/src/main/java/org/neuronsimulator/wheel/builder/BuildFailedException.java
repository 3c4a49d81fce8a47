package org.neuronsimulator.wheel.builder;

import java.util.List;

/** A build command failed or timed out; the message ends with the tail of its log. */
public class BuildFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> logTail;

    public BuildFailedException(String message, List<String> logTail) {
        super(message + (logTail.isEmpty() ? "" : System.lineSeparator() + "--- last lines of the build log ---"
                + System.lineSeparator() + String.join(System.lineSeparator(), logTail)));
        this.logTail = List.copyOf(logTail);
    }

    public List<String> logTail() {
        return logTail;
    }
}
