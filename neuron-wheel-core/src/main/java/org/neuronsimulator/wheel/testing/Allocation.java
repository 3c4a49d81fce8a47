package org.neuronsimulator.wheel.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.neuronsimulator.wheel.Reporter;

/**
 * A job allocation wrapping a whole test run, made by the user's allocation command (Slurm's
 * {@code salloc -N1 -n2 --time=00:20:00}). The command runs a small holder inside the allocation: it
 * writes the environment the scheduler gives its programs ({@code SLURM_JOB_ID}, {@code SLURM_NTASKS},
 * ...) and then waits on its standard input. Every test step runs with that environment, so an
 * {@code srun} in a command starts a step of this job, as in a shell that {@code salloc} opened.
 * {@link #close()} ends the holder, and the allocation command releases the job.
 *
 * <p>The scheduler's lines are watched while the tests run: when it revokes the allocation (its time
 * limit, a cancellation) or the allocation command ends, the allocation has ended, with that line as
 * the reason, and {@link #ended()} completes, which stops the step that is running.
 */
public final class Allocation implements AutoCloseable {

    static final String READY = "neuron-wheel: allocation ready";
    /** How schedulers word the end of an allocation (Slurm: "...has exceeded its time limit and its allocation has been revoked."). */
    private static final Pattern REVOKED = Pattern.compile("(?i)revoked|cancell?ed|exceeded its time limit|preempted");
    private static final int KEPT_LINES = 40;

    private final String commandLine;
    private final Process process;
    private final Deque<String> lines = new ArrayDeque<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private Map<String, String> environment = Map.of();
    private volatile boolean closing;

    private Allocation(String commandLine, Process process) {
        this.commandLine = commandLine;
        this.process = process;
    }

    /**
     * Runs the allocation command and waits until the scheduler grants the allocation.
     *
     * @param commandLine  a shell line that runs the command given after it inside a new allocation
     * @param environment  the whole environment the command starts with
     * @param grantLimit   how long to wait for the grant (a busy queue); the command is ended after it
     * @throws ClusterException when the command fails (with the scheduler's message) or no grant comes in time
     */
    public static Allocation start(String commandLine, Map<String, String> environment, Path directory, Path scratch,
                                   Duration grantLimit, Reporter reporter) throws ClusterException, IOException {
        Files.createDirectories(scratch);
        Path dump = Files.createTempFile(scratch, "allocation", ".env");
        String holder = "env -0 > \"$1\" && echo '" + READY + "' && exec cat > /dev/null";
        String line = commandLine.strip() + " /bin/sh -c " + CommandTemplate.quote(holder) + " sh "
                + CommandTemplate.quote(dump.toString());
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", line).redirectErrorStream(true);
        if (directory != null && Files.isDirectory(directory)) {
            builder.directory(directory.toFile());
        }
        builder.environment().clear();
        builder.environment().putAll(environment);
        reporter.info("allocating: " + commandLine.strip());
        long start = System.nanoTime();
        Allocation allocation = new Allocation(commandLine.strip(), builder.start());
        try {
            allocation.watch(reporter);
            allocation.awaitGrant(grantLimit);
            allocation.environment = ShellEnvironment.read(dump);
        } catch (ClusterException | IOException | RuntimeException e) {
            allocation.close();
            throw e;
        } finally {
            Files.deleteIfExists(dump);
        }
        reporter.info(String.format("allocation granted in %.1f s%s", (System.nanoTime() - start) / 1e9,
                allocation.jobId().map(id -> ": job " + id).orElse("")));
        return allocation;
    }

    private void watch(Reporter reporter) {
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.equals(READY)) {
                        ready.complete(null);
                        continue;
                    }
                    keep(line);
                    reporter.info("[allocation] " + line);
                    if (ready.isDone() && !closing && REVOKED.matcher(line).find()) {
                        ended.complete(line.strip());
                    }
                }
            } catch (IOException e) {
                // the stream closes with the process; what it said is kept
            }
            int exit;
            try {
                exit = process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exit = -1;
            }
            String reason = "the allocation command '" + commandLine + "' ended (exit " + exit + "): "
                    + ShellEnvironment.message(lastLines(6));
            ready.completeExceptionally(new ClusterException(reason));
            ended.complete(reason);
        }, "allocation " + commandLine);
        pump.setDaemon(true);
        pump.start();
    }

    private void awaitGrant(Duration limit) throws ClusterException {
        try {
            ready.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ClusterException("the allocation '" + commandLine + "' failed (exit " + process.exitValue() + "): "
                    + ShellEnvironment.message(lastLines(10)), e.getCause());
        } catch (TimeoutException e) {
            throw new ClusterException("the allocation '" + commandLine + "' was not granted within " + limit.toMinutes()
                    + " min: " + ShellEnvironment.message(lastLines(6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while waiting for the allocation '" + commandLine + "'", e);
        }
    }

    private void keep(String line) {
        synchronized (lines) {
            if (lines.size() == KEPT_LINES) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }
    }

    private List<String> lastLines(int count) {
        synchronized (lines) {
            List<String> all = new ArrayList<>(lines);
            return all.subList(Math.max(0, all.size() - count), all.size());
        }
    }

    /** The environment inside the allocation (this process's, plus what the scheduler sets). */
    public Map<String, String> environment() {
        return environment;
    }

    /** The scheduler's job id, when it names one ({@code SLURM_JOB_ID}). */
    public Optional<String> jobId() {
        return Optional.ofNullable(environment.get("SLURM_JOB_ID"));
    }

    public String commandLine() {
        return commandLine;
    }

    /** Completes with the scheduler's words when the allocation ends before it is released. */
    public CompletableFuture<String> ended() {
        return ended;
    }

    /** Why the allocation ended early; empty while it lasts. */
    public Optional<String> endedBecause() {
        return closing || !ended.isDone() ? Optional.empty() : Optional.of(ended.getNow(""));
    }

    /** Releases the allocation: the holder's input closes, so it ends, and the allocation command with it. */
    @Override
    public void close() {
        closing = true;
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.close();
        } catch (IOException e) {
            // already closed: the holder has ended
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
