package org.neuronsimulator.wheel.publish;

import java.nio.file.Path;
import java.util.List;

/** A wheel the index would refuse; the message names the file and every reason. */
public final class PreflightException extends Exception {

    private final List<String> reasons;

    public PreflightException(Path file, List<String> reasons) {
        super(file.getFileName() + ": " + String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}
