package org.neuronsimulator.wheel.archive;

import java.io.IOException;
import java.nio.file.Path;

/** A wheel (or zip archive) that cannot be used as given: names the file and what is wrong with it. */
public class InvalidWheelException extends IOException {

    private final Path file;
    private final String reason;

    public InvalidWheelException(Path file, String reason) {
        this(file, reason, null);
    }

    public InvalidWheelException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    public String reason() {
        return reason;
    }
}
