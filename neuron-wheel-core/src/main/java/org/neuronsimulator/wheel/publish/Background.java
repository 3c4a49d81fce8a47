package org.neuronsimulator.wheel.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs file passes (digests, RECORD checks) beside each other on daemon threads of their own, so
 * they neither wait behind nor block the common fork-join pool.
 */
final class Background {

    /** An I/O-bound or CPU-bound pass over a file. */
    @FunctionalInterface
    interface Pass<T> {
        T run() throws IOException;
    }

    private static final ExecutorService THREADS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "neuron-wheel publish pass");
        thread.setDaemon(true);
        return thread;
    });

    private Background() {
    }

    static <T> CompletableFuture<T> start(Pass<T> pass) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return pass.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, THREADS);
    }

    /** The pass's result, its IOException rethrown as such. */
    static <T> T join(CompletableFuture<T> future) throws IOException {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
