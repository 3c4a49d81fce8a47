package org.neuronsimulator.wheel.publish;

import java.time.Duration;
import java.util.Objects;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * Deadlines of a publication.
 *
 * @param read   the longest silence while a request or its answer is under way
 * @param perTry the longest one request may take, answer body included (a server that trickles its answer
 *               one byte at a time never reaches {@code read})
 * @param total  the longest the whole publication may take, every try and wait included
 */
public record UploadTimeouts(Duration read, Duration perTry, Duration total) {

    public static final Duration DEFAULT_PER_TRY = Duration.ofMinutes(30);
    public static final Duration DEFAULT_TOTAL = Duration.ofHours(2);

    public UploadTimeouts {
        for (Duration d : new Duration[] {read, perTry, total}) {
            Objects.requireNonNull(d, "timeout");
            if (d.isNegative() || d.isZero()) {
                throw new InvalidSettingException("neuron.upload.readTimeout", "upload timeouts must be positive, not " + d);
            }
        }
    }

    /** The given read timeout with the default per-try and total deadlines. */
    public static UploadTimeouts withRead(Duration read) {
        return new UploadTimeouts(read, DEFAULT_PER_TRY, DEFAULT_TOTAL);
    }
}
