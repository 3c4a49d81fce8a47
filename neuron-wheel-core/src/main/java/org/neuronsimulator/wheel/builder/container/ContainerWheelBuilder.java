package org.neuronsimulator.wheel.builder.container;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.builder.BuildFailedException;
import org.neuronsimulator.wheel.builder.BuildRequest;
import org.neuronsimulator.wheel.builder.BuiltWheel;
import org.neuronsimulator.wheel.builder.PythonInterpreter;
import org.neuronsimulator.wheel.builder.PythonSelector;
import org.neuronsimulator.wheel.builder.WheelBuilder;

/**
 * Builds raw wheels inside a Docker image, one container per parallel lane. The project is copied
 * in as a tar stream (so a remote engine works), each selected Python from {@code /opt/python/*}
 * in the image builds in turn with one {@code docker exec}, and the wheels are copied out into
 * {@code <outputDirectory>/<cpXY>/}, written by this process and so owned by the invoking user.
 * Containers run without network and are removed in every case (also on Ctrl-C through a
 * shutdown hook) unless they are to be kept for debugging.
 */
public final class ContainerWheelBuilder implements WheelBuilder {

    /** Where the project lives inside the container. */
    public static final String PROJECT_PATH = "/project";
    /** Per-Python output folders inside the container: {@code /neuron-wheel/out/<cpXY>}. */
    public static final String OUTPUT_ROOT = "/neuron-wheel/out";
    /** Where the compiler cache is mounted. */
    public static final String CACHE_PATH = "/neuron-wheel/ccache";

    private static final int TAIL_LINES = 60;

    /** Prints one line per interpreter under /opt/python (and any named paths), then the PATH and ccache facts. */
    static final String PROBE_SCRIPT = String.join("\n",
            "probe='import sys, sysconfig; print(sys.version_info[0], sys.version_info[1], sys.implementation.name,"
                    + " 1 if sysconfig.get_config_var(\"Py_GIL_DISABLED\") else 0)'",
            "for p in /opt/python/*/bin/python \"$@\"; do",
            "  [ -x \"$p\" ] || continue",
            "  r=$(\"$p\" -c \"$probe\" 2>/dev/null) || continue",
            "  echo \"python $r $p\"",
            "done",
            "echo \"path $PATH\"",
            "for d in /usr/lib/ccache /usr/lib64/ccache /usr/local/lib/ccache /usr/local/lib64/ccache; do",
            "  [ -x \"$d/gcc\" ] || [ -x \"$d/cc\" ] && echo \"ccachedir $d\" && break",
            "done",
            "true",
            "");

    private static final Set<String> SKIPPED_TOP_LEVEL = Set.of("target", "build", "dist", "wheelhouse", ".venv",
            "venv", ".tox", ".nox");

    private final DockerEngine engine;
    private final ContainerBuildOptions options;
    private final Map<String, String> hostEnvironment;
    private final Reporter reporter;
    private Path libraryExportRoot;

    public ContainerWheelBuilder(DockerEngine engine, ContainerBuildOptions options, Map<String, String> hostEnvironment,
                                 Reporter reporter) {
        this.engine = engine;
        this.options = options;
        this.hostEnvironment = Map.copyOf(hostEnvironment);
        this.reporter = reporter;
    }

    /**
     * After the builds, copy the shared libraries the wheels load (as the image's loader resolves them)
     * and the image's {@code ld.so.conf} files into this folder, at their absolute paths, so that the
     * repair step can graft libraries from the image rather than the host.
     */
    public ContainerWheelBuilder exportLibrariesTo(Path root) {
        this.libraryExportRoot = root;
        return this;
    }

    @Override
    public List<BuiltWheel> build(BuildRequest request) throws IOException, BuildFailedException {
        Path project = request.projectDirectory().toAbsolutePath().normalize();
        if (!Files.isDirectory(project)) {
            throw new IOException("project folder " + project + " does not exist");
        }
        List<Bind> binds = new ArrayList<>();
        List<Mount> mounts = new ArrayList<>();
        List<ExtraInput> copiedInputs = new ArrayList<>();
        planInputs(binds, mounts, copiedInputs);

        long started = System.nanoTime();
        engine.ensureImage(options.image(), options.pullPolicy(), options.platform(), reporter);
        ImagePlatform.check(engine, options.image(), options.platform(), reporter);
        reporter.info("container build in " + options.image() + (options.platform() == null ? "" : " (" + options.platform() + ")")
                + " on the Docker engine at " + engine.endpoint() + ", version " + engine.serverVersion());

        Path archive = Files.createTempFile("neuron-wheel-project", ".tar");
        ContainerTracker tracker = new ContainerTracker(options.keepContainers(), reporter);
        try {
            long t = System.nanoTime();
            writeArchive(archive, project, request.outputDirectory().toAbsolutePath().normalize(), copiedInputs);
            reporter.info(String.format("project archive: %d KiB in %.1f s", Files.size(archive) / 1024,
                    seconds(System.nanoTime() - t)));

            BuildContainer first = startContainer(tracker, archive, project, binds, mounts, 1);
            ImageFacts facts = probe(first, request.pythons());
            List<PythonInterpreter> pythons = select(facts, request.pythons());
            reporter.info("Pythons in the image: " + describe(facts.pythons()) + "; building " + tags(pythons));
            if (options.cacheDirectory() != null && facts.ccacheDirectory().isEmpty()) {
                reporter.warn("neuron.cacheDir is set but the image has no ccache compiler folder"
                        + " (/usr/lib/ccache or /usr/lib64/ccache): builds run without a compiler cache");
            }
            List<BuiltWheel> wheels = runBuilds(request, pythons, facts, first, tracker, archive, project, binds, mounts);
            reporter.info(String.format("container build of %d Python(s) done in %.1f s", pythons.size(),
                    seconds(System.nanoTime() - started)));
            return wheels;
        } finally {
            tracker.close();
            Files.deleteIfExists(archive);
        }
    }

    private void planInputs(List<Bind> binds, List<Mount> mounts, List<ExtraInput> copied) throws IOException {
        boolean local = engine.endpoint().isLocalSocket();
        for (ExtraInput input : options.extraInputs()) {
            if (!Files.isDirectory(input.hostPath())) {
                throw new IOException("extra input " + input.hostPath() + " (for " + input.containerPath()
                        + ") is not a folder");
            }
            if (options.mountExtraInputs() && local) {
                binds.add(new Bind(input.hostPath().toAbsolutePath().toString(), new Volume(input.containerPath()),
                        AccessMode.ro));
            } else {
                copied.add(input);
            }
        }
        if (options.cacheDirectory() != null) {
            if (options.cacheIsHostFolder()) {
                if (!local) {
                    throw new IOException("neuron.cacheDir=" + options.cacheDirectory() + " is a host folder, which"
                            + " needs a Docker engine on this machine, but the engine is " + engine.endpoint()
                            + "; name a Docker volume instead (e.g. neuron.cacheDir=neuron-wheel-ccache)");
                }
                String folder = options.cacheDirectory().startsWith("~")
                        ? hostEnvironment.getOrDefault("HOME", System.getProperty("user.home")) + options.cacheDirectory().substring(1)
                        : options.cacheDirectory();
                Path cache = Path.of(folder).toAbsolutePath().normalize();
                Files.createDirectories(cache);
                binds.add(new Bind(cache.toString(), new Volume(CACHE_PATH)));
            } else {
                mounts.add(new Mount().withType(MountType.VOLUME).withSource(options.cacheDirectory()).withTarget(CACHE_PATH));
            }
        }
    }

    private void writeArchive(Path archive, Path project, Path outputDirectory, List<ExtraInput> copied) throws IOException {
        try (OutputStream out = Files.newOutputStream(archive);
             ContainerArchives.Writer tar = new ContainerArchives.Writer(out)) {
            tar.tree(project, PROJECT_PATH, projectFilter(project, outputDirectory));
            for (ExtraInput input : copied) {
                tar.tree(input.hostPath(), input.containerPath(), path -> false);
            }
            tar.directory(OUTPUT_ROOT);
        }
    }

    /** What is left out when the project is copied in: outputs, build folders, caches, environments. */
    static java.util.function.Predicate<Path> projectFilter(Path project, Path outputDirectory) {
        return path -> {
            if (outputDirectory != null && path.startsWith(outputDirectory)) {
                return true;
            }
            String name = path.getFileName().toString();
            if (name.equals("__pycache__") || name.endsWith(".egg-info")) {
                return true;
            }
            return path.getParent().equals(project) && SKIPPED_TOP_LEVEL.contains(name) && Files.isDirectory(path);
        };
    }

    private BuildContainer startContainer(ContainerTracker tracker, Path archive, Path project, List<Bind> binds,
                                          List<Mount> mounts, int lane) throws IOException {
        long t = System.nanoTime();
        String name = "neuron-wheel-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "-" + lane;
        BuildContainer container = BuildContainer.start(engine.client(), options.image(), name, options.platform(),
                project.toString(), binds, mounts);
        tracker.add(container);
        try (InputStream in = Files.newInputStream(archive)) {
            container.copyIn(in, "/");
        }
        reporter.info(String.format("container %s ready in %.1f s (create, start, copy project in)", name,
                seconds(System.nanoTime() - t)));
        return container;
    }

    /** What the image offers: its Pythons, its PATH and its ccache compiler folder. */
    record ImageFacts(List<PythonInterpreter> pythons, String path, Optional<String> ccacheDirectory) {
    }

    private ImageFacts probe(BuildContainer container, PythonSelector selector) throws IOException {
        return probe(container, selector, options.image(), options.containerTimeout());
    }

    static ImageFacts probe(BuildContainer container, PythonSelector selector, String image, Duration timeout)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", PROBE_SCRIPT, "sh"));
        for (Path path : selector.paths()) {
            command.add(path.toString().replace('\\', '/'));
        }
        List<String> lines = new ArrayList<>();
        BuildContainer.ExecResult result = container.exec(command, List.of(), "/", timeout, 10_000, lines::add);
        if (!result.succeeded()) {
            throw new IOException("could not list the Pythons in " + image + " (exit " + result.exitCode()
                    + "): " + String.join(" | ", result.tail()));
        }
        return parseProbe(lines);
    }

    static ImageFacts parseProbe(List<String> lines) {
        List<PythonInterpreter> pythons = new ArrayList<>();
        String path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        Optional<String> ccache = Optional.empty();
        for (String line : lines) {
            if (line.startsWith("python ")) {
                String[] parts = line.split(" ", 6);
                if (parts.length == 6) {
                    pythons.add(new PythonInterpreter(Path.of(parts[5]), Integer.parseInt(parts[1]),
                            Integer.parseInt(parts[2]), parts[3], "1".equals(parts[4]), List.of()));
                }
            } else if (line.startsWith("path ")) {
                path = line.substring(5);
            } else if (line.startsWith("ccachedir ")) {
                ccache = Optional.of(line.substring(10));
            }
        }
        return new ImageFacts(pythons, path, ccache);
    }

    /**
     * The selected interpreters, by version: all non-free-threaded CPythons when nothing is selected,
     * otherwise those whose tag matches plus those named by path.
     */
    List<PythonInterpreter> select(ImageFacts facts, PythonSelector selector) {
        return select(facts, selector, options.image());
    }

    static List<PythonInterpreter> select(ImageFacts facts, PythonSelector selector, String image) {
        Map<String, PythonInterpreter> byTag = new LinkedHashMap<>();
        List<String> namedPaths = selector.paths().stream().map(p -> p.toString().replace('\\', '/')).toList();
        for (PythonInterpreter python : facts.pythons()) {
            boolean named = namedPaths.contains(python.executable().toString());
            boolean cpython = "cpython".equals(python.implementation());
            boolean chosen = named
                    || (cpython && selector.isDefault() && !python.freeThreaded())
                    || (cpython && selector.hasVersionPatterns() && selector.matchesTag(python.cpythonTag()));
            if (chosen) {
                byTag.putIfAbsent(python.cpythonTag(), python);
            }
        }
        for (String path : namedPaths) {
            if (facts.pythons().stream().noneMatch(p -> p.executable().toString().equals(path))) {
                throw new IllegalArgumentException("neuron.python: " + path + " is not a working Python in image "
                        + image);
            }
        }
        if (byTag.isEmpty()) {
            throw new IllegalArgumentException("neuron.python=" + (selector.isDefault() ? "" : selector)
                    + " matches no CPython in image " + image + " (it has: "
                    + (facts.pythons().isEmpty() ? "none under /opt/python" : describe(facts.pythons())) + ")");
        }
        List<PythonInterpreter> chosen = new ArrayList<>(byTag.values());
        chosen.sort((a, b) -> a.major() != b.major() ? Integer.compare(a.major(), b.major())
                : a.minor() != b.minor() ? Integer.compare(a.minor(), b.minor())
                : Boolean.compare(a.freeThreaded(), b.freeThreaded()));
        return chosen;
    }

    private List<BuiltWheel> runBuilds(BuildRequest request, List<PythonInterpreter> pythons, ImageFacts facts,
                                       BuildContainer first, ContainerTracker tracker, Path archive, Path project,
                                       List<Bind> binds, List<Mount> mounts) throws IOException, BuildFailedException {
        int lanes = Math.min(options.parallel(), pythons.size());
        ConcurrentLinkedQueue<PythonInterpreter> queue = new ConcurrentLinkedQueue<>(pythons);
        Map<String, List<BuiltWheel>> results = Collections.synchronizedMap(new LinkedHashMap<>());
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<BuildContainer> containers = new CopyOnWriteArrayList<>();
        containers.add(first);
        if (lanes == 1) {
            runLane(request, facts, first, queue, results, failure, containers);
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(lanes, runnable -> {
                Thread thread = new Thread(runnable, "neuron-wheel container lane");
                thread.setDaemon(true);
                return thread;
            });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int lane = 1; lane <= lanes; lane++) {
                    int number = lane;
                    futures.add(pool.submit(() -> {
                        BuildContainer container = first;
                        if (number > 1) {
                            try {
                                container = startContainer(tracker, archive, project, binds, mounts, number);
                                containers.add(container);
                            } catch (IOException | RuntimeException e) {
                                failure.compareAndSet(null, e);
                                return;
                            }
                        }
                        runLane(request, facts, container, queue, results, failure, containers);
                    }));
                }
                for (Future<?> future : futures) {
                    try {
                        future.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        failure.compareAndSet(null, new IOException("interrupted while waiting for the builds", e));
                        containers.forEach(BuildContainer::kill);
                    } catch (java.util.concurrent.ExecutionException e) {
                        failure.compareAndSet(null, new IOException("build lane failed: " + e.getCause(), e.getCause()));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        Exception failed = failure.get();
        if (failed instanceof BuildFailedException e) {
            throw e;
        }
        if (failed instanceof IOException e) {
            throw e;
        }
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        List<BuiltWheel> wheels = new ArrayList<>();
        for (PythonInterpreter python : pythons) {
            wheels.addAll(results.getOrDefault(python.cpythonTag(), List.of()));
        }
        return wheels;
    }

    /** Builds Pythons from the shared queue in one container until the queue is empty or a build failed. */
    private void runLane(BuildRequest request, ImageFacts facts, BuildContainer container,
                         ConcurrentLinkedQueue<PythonInterpreter> queue, Map<String, List<BuiltWheel>> results,
                         AtomicReference<Exception> failure, List<BuildContainer> containers) {
        PythonInterpreter python;
        while (failure.get() == null && (python = queue.poll()) != null) {
            try {
                results.put(python.cpythonTag(), buildOne(request, facts, container, python));
            } catch (BuildFailedException | IOException | RuntimeException e) {
                if (failure.compareAndSet(null, e)) {
                    // Stop the other lanes now rather than after their current build.
                    for (BuildContainer other : containers) {
                        if (other != container) {
                            other.kill();
                        }
                    }
                }
                return;
            }
        }
        if (failure.get() == null && libraryExportRoot != null) {
            try {
                new ImageLibraryExport(container, facts, options.containerTimeout(), reporter).export(libraryExportRoot);
            } catch (IOException | RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    private List<BuiltWheel> buildOne(BuildRequest request, ImageFacts facts, BuildContainer container,
                                      PythonInterpreter python) throws IOException, BuildFailedException {
        String tag = python.cpythonTag();
        String prefix = "[" + tag + "] ";
        String outdir = OUTPUT_ROOT + "/" + tag;
        Map<String, String> values = new LinkedHashMap<>();
        values.put("python", python.executable().toString());
        values.put("source", PROJECT_PATH);
        values.put("outdir", outdir);
        List<String> command = options.variant().apply(request.command().expand(values));
        Map<String, String> environment = buildEnvironment(request, facts, tag, outdir);
        reporter.info(prefix + "building with " + python + " in container " + container.name()
                + (options.variant().name().isEmpty() ? "" : ", variant " + options.variant().name()));
        reporter.debug(prefix + String.join(" ", command));
        reporter.debug(prefix + "environment: " + String.join(" ", environment.keySet()));

        BuildContainer.ExecResult prepare = container.exec(List.of("mkdir", "-p", outdir), List.of(), "/",
                options.containerTimeout(), TAIL_LINES, line -> reporter.info(prefix + line));
        if (!prepare.succeeded()) {
            throw new IOException(prefix + "could not create " + outdir + " in the container: "
                    + String.join(" | ", prepare.tail()));
        }
        BuildContainer.ExecResult result = container.exec(command, BuildContainer.env(environment), PROJECT_PATH,
                request.timeout(), TAIL_LINES, line -> reporter.info(prefix + line));
        reporter.info(String.format("%sbuild step: %.1f s", prefix, result.duration().toMillis() / 1000.0));
        if (result.timedOut()) {
            throw new BuildFailedException(prefix + "build timed out after " + request.timeout()
                    + " in container " + container.name() + ": " + String.join(" ", command), result.tail());
        }
        if (!result.succeeded()) {
            throw new BuildFailedException(prefix + "build failed with exit code " + result.exitCode() + " in image "
                    + options.image() + ": " + String.join(" ", command), result.tail());
        }
        long t = System.nanoTime();
        Path hostOut = request.outputDirectory().resolve(tag);
        deleteWheels(hostOut);
        List<Path> files;
        try (InputStream tar = container.copyOut(outdir)) {
            files = ContainerArchives.extractFiles(tar, hostOut, ".whl");
        }
        reporter.info(String.format("%scopy-out step: %.1f s", prefix, seconds(System.nanoTime() - t)));
        if (files.isEmpty()) {
            throw new BuildFailedException(prefix + "the build command succeeded but wrote no .whl into " + outdir
                    + " (does the command write to {outdir}?)", result.tail());
        }
        List<BuiltWheel> wheels = new ArrayList<>();
        for (Path file : files) {
            wheels.add(new BuiltWheel(file, tag));
            reporter.info(prefix + "built " + file.getFileName());
        }
        return wheels;
    }

    private Map<String, String> buildEnvironment(BuildRequest request, ImageFacts facts, String tag, String outdir) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PIP_PROGRESS_BAR", "off");
        environment.put("PIP_NO_INPUT", "1");
        environment.put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        environment.put("NEURON_WHEEL_OUTDIR", outdir);
        environment.put("NEURON_WHEEL_PYTHON_TAG", tag);
        if (options.cacheDirectory() != null && facts.ccacheDirectory().isPresent()) {
            environment.put("CCACHE_DIR", CACHE_PATH);
            environment.put("CCACHE_BASEDIR", PROJECT_PATH);
            environment.put("PATH", facts.ccacheDirectory().get() + ":" + facts.path());
        }
        for (String name : options.passEnvironment()) {
            String value = hostEnvironment.get(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
        environment.putAll(options.variant().environment());
        environment.putAll(request.environment());
        return environment;
    }

    private static void deleteWheels(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var entries = Files.newDirectoryStream(dir, "*.whl")) {
            for (Path stale : entries) {
                Files.delete(stale);
            }
        }
    }

    private static String describe(List<PythonInterpreter> pythons) {
        List<String> names = new ArrayList<>();
        for (PythonInterpreter python : pythons) {
            names.add(python.cpythonTag() + (python.implementation().equals("cpython") ? "" : "/" + python.implementation()));
        }
        return String.join(", ", names);
    }

    private static String tags(List<PythonInterpreter> pythons) {
        return String.join(", ", pythons.stream().map(PythonInterpreter::cpythonTag).toList());
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Containers of one build: removed at the end, or by a shutdown hook when the JVM is stopped first. */
    static final class ContainerTracker implements AutoCloseable {
        private final boolean keep;
        private final Reporter reporter;
        private final List<BuildContainer> containers = new CopyOnWriteArrayList<>();
        private final Thread hook;

        ContainerTracker(boolean keep, Reporter reporter) {
            this.keep = keep;
            this.reporter = reporter;
            this.hook = new Thread(this::removeAll, "neuron-wheel container cleanup");
            if (!keep) {
                Runtime.getRuntime().addShutdownHook(hook);
            }
        }

        void add(BuildContainer container) {
            containers.add(container);
        }

        /** Synchronized: on Ctrl-C the hook and the build thread both get here; the second waits and finds nothing. */
        private synchronized void removeAll() {
            for (BuildContainer container : containers) {
                if (!container.remove()) {
                    reporter.warn("could not remove container " + container.name() + "; remove it with: docker rm -f "
                            + container.name());
                }
            }
            containers.clear();
        }

        @Override
        public synchronized void close() {
            if (keep) {
                for (BuildContainer container : containers) {
                    reporter.info("kept container " + container.name() + " for debugging: docker start " + container.name()
                            + " && docker exec -it " + container.name() + " bash; remove it with: docker rm -f "
                            + container.name());
                }
                return;
            }
            removeAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook has run or will find nothing left
            }
        }
    }
}
