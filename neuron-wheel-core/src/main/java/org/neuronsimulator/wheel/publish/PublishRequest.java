package org.neuronsimulator.wheel.publish;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * One publication of a wheelhouse.
 *
 * @param wheelhouse      the folder whose {@code *.whl} files are published
 * @param stagingDirectory where renamed copies are written (never inside the wheelhouse)
 * @param repository      where they go
 * @param credentials     may be null for an index that accepts anonymous uploads
 * @param naming          nightly or release names and versions
 * @param skipExisting    accept "already exists" answers
 * @param dryRun          do everything but the upload itself
 * @param verifyTimeout   how long to wait for the files in the index; zero skips verification
 * @param maxFileSize     the largest file the index accepts, in bytes (PyPI: 100 MiB unless raised)
 * @param retry           retries of 5xx answers and connection faults
 * @param timeouts        the read timeout, per-try and total deadlines
 */
public record PublishRequest(Path wheelhouse, Path stagingDirectory, PackageRepository repository, Credentials credentials,
        PublishNaming naming, boolean skipExisting, boolean dryRun, Duration verifyTimeout, long maxFileSize,
        RetryPolicy retry, UploadTimeouts timeouts) {

    public static final long PYPI_MAX_FILE_SIZE = 100L * 1024 * 1024;

    /** With the given read timeout and the default deadlines. */
    public PublishRequest(Path wheelhouse, Path stagingDirectory, PackageRepository repository, Credentials credentials,
            PublishNaming naming, boolean skipExisting, boolean dryRun, Duration verifyTimeout, long maxFileSize,
            RetryPolicy retry, Duration readTimeout) {
        this(wheelhouse, stagingDirectory, repository, credentials, naming, skipExisting, dryRun, verifyTimeout,
                maxFileSize, retry, UploadTimeouts.withRead(readTimeout));
    }

    public PublishRequest {
        Objects.requireNonNull(wheelhouse, "wheelhouse");
        Objects.requireNonNull(stagingDirectory, "stagingDirectory");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(naming, "naming");
        Objects.requireNonNull(verifyTimeout, "verifyTimeout");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(timeouts, "timeouts");
        if (maxFileSize <= 0) {
            throw new InvalidSettingException("neuron.upload.maxFileSizeMiB", "the file size limit must be positive, not " + maxFileSize);
        }
    }
}
