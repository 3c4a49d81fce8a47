package org.neuronsimulator.wheel.builder.container;

import java.nio.file.Path;
import java.util.Objects;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * A host folder the build needs inside the container (e.g. vendor MPI headers at
 * {@code /nrnwheel/mpt/include}). It is copied in, or bind-mounted read-only when asked and the
 * engine runs on this machine.
 */
public record ExtraInput(Path hostPath, String containerPath) {

    public ExtraInput {
        Objects.requireNonNull(hostPath, "hostPath");
        Objects.requireNonNull(containerPath, "containerPath");
        if (!containerPath.startsWith("/")) {
            throw new InvalidSettingException("extra-input", "extra input target '" + containerPath + "' must be an absolute container path");
        }
    }

    /** Parses {@code /host/folder:/container/folder}. */
    public static ExtraInput parse(String text) {
        int colon = text.indexOf(":/");
        if (colon <= 0) {
            throw new InvalidSettingException("extra-input", "extra input '" + text + "' is not HOST_FOLDER:/CONTAINER/FOLDER");
        }
        return new ExtraInput(Path.of(text.substring(0, colon)), text.substring(colon + 1));
    }
}
