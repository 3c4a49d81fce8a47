package org.neuronsimulator.wheel.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs an external command with its output merged and streamed line by line, a timeout that kills
 * the whole process tree, and the last lines kept for error messages.
 */
public final class ProcessRunner {

    private static final int DEFAULT_TAIL_LINES = 60;

    private final List<String> command;
    private Path workingDirectory;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> removedEnvironment = new ArrayList<>();
    private Duration timeout = Duration.ofHours(2);
    private Consumer<String> outputLines = line -> { };
    private int tailLines = DEFAULT_TAIL_LINES;
    private CompletableFuture<?> stopSignal;

    private ProcessRunner(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        this.command = List.copyOf(command);
    }

    public static ProcessRunner of(List<String> command) {
        return new ProcessRunner(command);
    }

    public static ProcessRunner of(String... command) {
        return new ProcessRunner(List.of(command));
    }

    public ProcessRunner directory(Path directory) {
        this.workingDirectory = directory;
        return this;
    }

    public ProcessRunner environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public ProcessRunner environment(Map<String, String> values) {
        environment.putAll(values);
        return this;
    }

    /** Drops a variable inherited from this JVM's environment. */
    public ProcessRunner removeEnvironment(String name) {
        removedEnvironment.add(name);
        return this;
    }

    public ProcessRunner timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout);
        return this;
    }

    /** Receives every output line as it is printed. */
    public ProcessRunner onOutput(Consumer<String> consumer) {
        this.outputLines = Objects.requireNonNull(consumer);
        return this;
    }

    public ProcessRunner tailLines(int lines) {
        this.tailLines = lines;
        return this;
    }

    /**
     * Kills the process tree when the signal completes before the process ends (e.g. the job allocation
     * it runs in was revoked); the result then has the exit code of the killed process.
     */
    public ProcessRunner stopWhen(CompletableFuture<?> signal) {
        this.stopSignal = signal;
        return this;
    }

    /**
     * Runs the command to its end (or its timeout).
     *
     * @throws IOException when the program cannot be started
     */
    public ProcessResult run() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        removedEnvironment.forEach(builder.environment()::remove);
        builder.environment().putAll(environment);
        long start = System.nanoTime();
        Process process = builder.start();
        process.getOutputStream().close();
        Deque<String> tail = new ArrayDeque<>();
        Thread pump = new Thread(() -> pump(process, tail), "output of " + command.get(0));
        pump.setDaemon(true);
        pump.start();
        if (stopSignal != null) {
            stopSignal.whenComplete((value, error) -> {
                if (process.isAlive()) {
                    destroyTree(process);
                }
            });
        }
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            destroyTree(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
        if (!finished) {
            destroyTree(process);
        }
        try {
            pump.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        List<String> lines;
        synchronized (tail) {
            lines = List.copyOf(tail);
        }
        return new ProcessResult(command, finished ? process.exitValue() : -1, !finished, elapsed, lines);
    }

    private void pump(Process process, Deque<String> tail) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (tail) {
                    if (tail.size() == tailLines) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
                outputLines.accept(line);
            }
        } catch (IOException e) {
            // The stream closes when the process is killed; what was read stays in the tail.
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("output consumer failed", e));
        }
    }

    private static void destroyTree(Process process) {
        // Parent first, so that a shell waiting on a killed child cannot run its next command; its children
        // are listed before, while they still are its descendants.
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
