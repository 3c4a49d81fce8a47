package org.neuronsimulator.wheel.publish;

/**
 * What became of one file.
 *
 * @param attempts how many POSTs were made (0 for a dry run)
 */
public record UploadResult(String filename, Status status, int attempts, long bytes, long nanos) {

    public enum Status { UPLOADED, ALREADY_EXISTS, DRY_RUN }

    /** Bytes per second of the successful attempt, 0 when nothing was sent. */
    public double bytesPerSecond() {
        return nanos <= 0 ? 0 : bytes * 1e9 / nanos;
    }
}
