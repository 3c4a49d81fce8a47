package org.neuronsimulator.wheel.builder.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.neuronsimulator.wheel.Reporter;

/**
 * One running build container, on the network it is given, kept alive by a sleeping main process, so
 * that each step is a {@code docker exec} in the same file system.
 */
final class BuildContainer {

    /** Label on every container this project starts, so stray ones can be found with {@code docker ps -a --filter label=...}. */
    static final String LABEL = "org.neuronsimulator.wheel.builder";
    /** Label holding the absolute path of the project a container builds. */
    static final String PROJECT_LABEL = "org.neuronsimulator.wheel.project";
    /** Label naming the process that made a container: host name, a space, its pid. */
    static final String OWNER_LABEL = "org.neuronsimulator.wheel.owner";
    /** This process as {@link #OWNER_LABEL} names it. */
    static final String OWNER = hostName() + " " + ProcessHandle.current().pid();

    /** Calls that answer at once, with a deadline. */
    private final DockerClient control;
    /** Exec output and copies, which may take long. */
    private final DockerClient client;
    private final String id;
    private final String name;

    private BuildContainer(DockerClient control, DockerClient client, String id, String name) {
        this.control = control;
        this.client = client;
        this.id = id;
        this.name = name;
    }

    /** Creates and starts the container; a creation that fails after the container exists removes it. */
    static BuildContainer start(DockerEngine engine, String image, String name, String platform, String project,
                                List<Bind> binds, List<Mount> mounts, ContainerNetwork network) throws IOException {
        HostConfig hostConfig = HostConfig.newHostConfig()
                .withBinds(binds)
                .withMounts(mounts.isEmpty() ? null : mounts);
        if (!network.isDefault()) {
            hostConfig.withNetworkMode(network.name());
        }
        DockerClient control = engine.control();
        CreateContainerCmd create = control.createContainerCmd(image)
                .withName(name)
                .withLabels(Map.of(LABEL, "true", PROJECT_LABEL, project, OWNER_LABEL, OWNER))
                .withEntrypoint("sleep")
                .withCmd("infinity")
                .withHostConfig(hostConfig);
        if (network.isNone()) {
            create.withNetworkDisabled(true);
        }
        if (platform != null && !platform.isBlank()) {
            create.withPlatform(platform);
        }
        String id;
        try {
            id = create.exec().getId();
        } catch (DockerException e) {
            throw new IOException("could not create a container from " + image + ": " + DockerEngine.rootMessage(e), e);
        }
        BuildContainer container = new BuildContainer(control, engine.client(), id, name);
        try {
            control.startContainerCmd(id).exec();
        } catch (DockerException e) {
            container.remove();
            throw new IOException("could not start a container from " + image + ": " + DockerEngine.rootMessage(e), e);
        }
        return container;
    }

    String id() {
        return id;
    }

    String name() {
        return name;
    }

    /** The outcome of one exec: exit code (-1 when killed by its timeout), whether it timed out, the output tail. */
    record ExecResult(int exitCode, boolean timedOut, Duration duration, List<String> tail) {
        boolean succeeded() {
            return !timedOut && exitCode == 0;
        }
    }

    /**
     * Runs a command in the container, streaming its output line by line. When the timeout passes
     * the container is killed (an exec cannot be stopped on its own), which ends the command.
     */
    ExecResult exec(List<String> command, List<String> environment, String workingDirectory, Duration timeout,
                    int tailLines, Consumer<String> lines) throws IOException {
        long start = System.nanoTime();
        String execId;
        try {
            var create = control.execCreateCmd(id)
                    .withCmd(command.toArray(String[]::new))
                    .withEnv(environment)
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .withTty(false);
            if (workingDirectory != null) {
                create.withWorkingDir(workingDirectory);
            }
            execId = create.exec().getId();
        } catch (DockerException e) {
            throw new IOException("could not run " + command.get(0) + " in container " + name + ": "
                    + DockerEngine.rootMessage(e), e);
        }
        Deque<String> tail = new ArrayDeque<>();
        LineSplitter out = new LineSplitter(line -> keep(tail, tailLines, line, lines));
        LineSplitter err = new LineSplitter(line -> keep(tail, tailLines, line, lines));
        boolean finished;
        try (StreamCallback<Frame> callback = client.execStartCmd(execId).exec(new StreamCallback<>() {
            @Override
            public void onNext(Frame frame) {
                (frame.getStreamType() == StreamType.STDERR ? err : out).accept(frame.getPayload());
            }
        })) {
            finished = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                kill();
                callback.awaitCompletion(30, TimeUnit.SECONDS);
            } else if (callback.failure().isPresent()) {
                throw new IOException("the output of " + command.get(0) + " in container " + name + " broke off: "
                        + DockerEngine.rootMessage(callback.failure().get()), callback.failure().get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IOException("interrupted while running " + command.get(0) + " in container " + name, e);
        }
        out.flush();
        err.flush();
        int exitCode = -1;
        if (finished) {
            Long code = control.inspectExecCmd(execId).exec().getExitCodeLong();
            exitCode = code == null ? -1 : code.intValue();
        }
        List<String> lastLines;
        synchronized (tail) {
            lastLines = List.copyOf(tail);
        }
        return new ExecResult(exitCode, !finished, Duration.ofNanos(System.nanoTime() - start), lastLines);
    }

    private static void keep(Deque<String> tail, int limit, String line, Consumer<String> lines) {
        synchronized (tail) {
            if (tail.size() == limit) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
        lines.accept(line);
    }

    /** Extracts a tar stream at {@code path} in the container. */
    void copyIn(InputStream tar, String path) throws IOException {
        try {
            client.copyArchiveToContainerCmd(id).withTarInputStream(tar).withRemotePath(path).exec();
        } catch (DockerException e) {
            throw new IOException("copying files into container " + name + " failed: " + DockerEngine.rootMessage(e), e);
        }
    }

    /** A tar stream of {@code path} in the container; its entries start with the path's last name. */
    InputStream copyOut(String path) throws IOException {
        try {
            return client.copyArchiveFromContainerCmd(id, path).exec();
        } catch (NotFoundException e) {
            throw new IOException(path + " does not exist in container " + name, e);
        } catch (DockerException e) {
            throw new IOException("copying " + path + " out of container " + name + " failed: "
                    + DockerEngine.rootMessage(e), e);
        }
    }

    void kill() {
        try {
            control.killContainerCmd(id).exec();
        } catch (RuntimeException e) {
            // already stopped or gone: the goal (ending the running command) is reached
        }
    }

    /** Removes the container and its anonymous volumes; true when it is gone. */
    /**
     * Removes the containers a process of this machine made and did not remove because it was killed
     * (kill -9 runs no shutdown hook): its pid is gone, or belongs to a process started after the container.
     * Containers of live processes, or of other machines sharing the engine, are left alone.
     *
     * @return the names of the containers removed
     */
    static List<String> reapOrphans(DockerClient client, Reporter reporter) {
        List<String> removed = new ArrayList<>();
        List<Container> labelled;
        try {
            labelled = client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, "true")).exec();
        } catch (RuntimeException e) {
            reporter.debug("could not list earlier build containers: " + DockerEngine.rootMessage(e));
            return removed;
        }
        String host = hostName();
        for (Container c : labelled) {
            String owner = c.getLabels() == null ? null : c.getLabels().get(OWNER_LABEL);
            String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0].replaceFirst("^/", "");
            if (owner == null || !owner.startsWith(host + " ") || !ownerIsGone(owner.substring(host.length() + 1), c.getCreated())) {
                continue;
            }
            try {
                client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                removed.add(name);
                reporter.warn("removed container " + name + ", left behind by a build that was killed (pid "
                        + owner.substring(host.length() + 1) + ")");
            } catch (NotFoundException e) {
                // removed meanwhile by its owner's cleanup or another build
            } catch (RuntimeException e) {
                reporter.warn("could not remove container " + name + ", left behind by a killed build: "
                        + DockerEngine.rootMessage(e) + "; remove it with: docker rm -f " + name);
            }
        }
        return removed;
    }

    private static boolean ownerIsGone(String pidText, Long createdSeconds) {
        long pid;
        try {
            pid = Long.parseLong(pidText.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return true;
        }
        Optional<Instant> started = process.get().info().startInstant();
        // a pid reused by a process started after the container cannot be its owner
        return createdSeconds != null && started.isPresent() && started.get().getEpochSecond() > createdSeconds + 1;
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }

    boolean remove() {
        try {
            control.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            return true;
        } catch (NotFoundException e) {
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Cuts a byte stream into UTF-8 lines; a partial last line is kept until more bytes or {@link #flush}. */
    private static final class LineSplitter {
        private final Consumer<String> lines;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        LineSplitter(Consumer<String> lines) {
            this.lines = lines;
        }

        synchronized void accept(byte[] bytes) {
            for (byte b : bytes) {
                if (b == '\n') {
                    emit();
                } else {
                    pending.write(b);
                }
            }
        }

        synchronized void flush() {
            if (pending.size() > 0) {
                emit();
            }
        }

        private void emit() {
            String line = pending.toString(StandardCharsets.UTF_8);
            pending.reset();
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            lines.accept(line);
        }
    }

    static List<String> env(Map<String, String> values) {
        List<String> list = new ArrayList<>(values.size());
        values.forEach((k, v) -> list.add(k + "=" + v));
        return list;
    }
}
