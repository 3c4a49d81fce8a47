package org.neuronsimulator.wheel.builder.container;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A callback for docker-java's streams (pull, build, push, exec) that hands a stream's error to the
 * caller instead of logging it: docker-java's own adapter logs every error with its stack trace at
 * ERROR level, which Maven prints even without {@code -e}, before the goal reports the same failure.
 */
abstract class StreamCallback<T> extends ResultCallback.Adapter<T> {

    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @Override
    public void onError(Throwable throwable) {
        failure.compareAndSet(null, throwable);
        try {
            close();
        } catch (IOException e) {
            // the stream is being abandoned; its error is what the caller reports
        }
    }

    /** The stream's error, once it ended with one. */
    java.util.Optional<Throwable> failure() {
        return java.util.Optional.ofNullable(failure.get());
    }

    /** Waits for the end of the stream and throws its error, if any, as it came. */
    void await() throws InterruptedException {
        awaitCompletion();
        Throwable error = failure.get();
        if (error instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (error instanceof Error fatal) {
            throw fatal;
        }
        if (error != null) {
            throw new DockerClientException(error.getMessage() == null ? error.toString() : error.getMessage(), error);
        }
    }
}
