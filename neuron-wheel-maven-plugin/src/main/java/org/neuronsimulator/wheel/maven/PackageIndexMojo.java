package org.neuronsimulator.wheel.maven;

import java.time.Duration;
import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.pipeline.WheelUpload;
import org.neuronsimulator.wheel.publish.UploadTimeouts;

/**
 * The upload goal's parameters for the package index: which one, where it lists its files, the largest file it takes,
 * and how long and how often each upload is tried.
 */
public abstract class PackageIndexMojo extends NeuronMojo {

    /** {@code pypi}, {@code testpypi}, or a name for the index at {@code repositoryUrl}. */
    @Parameter(property = "neuron.repository", defaultValue = "pypi")
    String repository;

    /** The legacy upload URL of another index (keep the trailing slash); wins over the alias's URL. */
    @Parameter(property = "neuron.repositoryUrl")
    String repositoryUrl;

    /** The simple index that lists the uploads; derived from the upload URL when not given. */
    @Parameter(property = "neuron.indexUrl")
    String indexUrl;

    /** Seconds to wait for the uploaded files to appear in the index; 0 skips the check. */
    @Parameter(property = "neuron.upload.verifyTimeout", defaultValue = "300")
    int verifyTimeout;

    /** The largest wheel the index accepts, in MiB (PyPI: 100 unless raised for the project). */
    @Parameter(property = "neuron.upload.maxFileSizeMiB", defaultValue = "100")
    long maxFileSizeMiB;

    /** Tries per file when the index answers 5xx or the connection fails. */
    @Parameter(property = "neuron.upload.attempts", defaultValue = "5")
    int attempts;

    /** Seconds one request may wait for the index (large uploads are checked by the index before it answers). */
    @Parameter(property = "neuron.upload.readTimeout", defaultValue = "600")
    int readTimeout;

    /** Seconds one upload try may take in all, answer included (a server trickling its answer is cut off). */
    @Parameter(property = "neuron.upload.tryTimeout", defaultValue = "1800")
    int tryTimeout;

    /** Seconds the whole upload may take, every try and retry wait included. */
    @Parameter(property = "neuron.upload.deadline", defaultValue = "7200")
    int deadline;

    /** These settings with the index and its limits. */
    WheelUpload.Settings index(WheelUpload.Settings upload) {
        return upload.repository(repository, repositoryUrl, indexUrl)
                .index(Duration.ofSeconds(verifyTimeout), maxFileSizeMiB * 1024 * 1024)
                .limits(attempts, new UploadTimeouts(Duration.ofSeconds(readTimeout), Duration.ofSeconds(tryTimeout),
                        Duration.ofSeconds(deadline)));
    }
}
