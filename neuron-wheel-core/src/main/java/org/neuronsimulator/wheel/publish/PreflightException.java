package org.neuronsimulator.wheel.publish;

import java.nio.file.Path;
import java.util.List;
import org.neuronsimulator.wheel.Reasons;

/** A wheel the index would refuse; the message names the file and the first reasons, {@link #reasons()} holds all. */
public final class PreflightException extends Exception {

    private final List<String> reasons;

    public PreflightException(Path file, List<String> reasons) {
        super(file.getFileName() + ": " + Reasons.summary(reasons));
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}
