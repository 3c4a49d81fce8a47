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
import java.util.Comparator;
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
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.builder.BuildFailedException;
import org.neuronsimulator.wheel.builder.BuildIdentifier;
import org.neuronsimulator.wheel.builder.BuildRequest;
import org.neuronsimulator.wheel.builder.BuildSelection;
import org.neuronsimulator.wheel.builder.BuiltWheel;
import org.neuronsimulator.wheel.builder.PassedVariables;
import org.neuronsimulator.wheel.builder.PythonInterpreter;
import org.neuronsimulator.wheel.builder.PythonSelector;
import org.neuronsimulator.wheel.builder.WheelBuilder;

/**
 * Builds raw wheels inside a Docker image, one container per parallel lane. The project is copied
 * in as a tar stream (so a remote engine works), each selected interpreter from {@code /opt/python/*}
 * in the image builds in turn with one {@code docker exec}, and the wheels are copied out into
 * {@code <outputDirectory>/<python tag>/}, written by this process and so owned by the invoking user.
 * Containers get the network the options name (the engine's default unless told otherwise), run the
 * before-all steps once and the before-build steps per Python, and are removed in every case (also on
 * Ctrl-C through a shutdown hook) unless they are to be kept for debugging.
 */
public final class ContainerWheelBuilder implements WheelBuilder {

    /** Where the project lives inside the container. */
    public static final String PROJECT_PATH = "/project";
    /** Per-Python output folders inside the container: {@code /neuron-wheel/out/<python tag>}. */
    public static final String OUTPUT_ROOT = "/neuron-wheel/out";
    /** Per-Python folders the repair command writes to: {@code /neuron-wheel/repaired/<python tag>}. */
    public static final String REPAIRED_ROOT = "/neuron-wheel/repaired";
    /** Per-Python virtual environments of the build frontend. */
    public static final String FRONTEND_ROOT = "/neuron-wheel/frontend";
    /** Where the compiler cache is mounted. */
    public static final String CACHE_PATH = "/neuron-wheel/ccache";
    /** Where the pip (and uv) download cache is mounted. */
    public static final String PIP_CACHE_PATH = "/neuron-wheel/pip-cache";

    private static final int TAIL_LINES = 60;

    /**
     * Prints one line per interpreter under /opt/python (and any named paths): version, implementation,
     * free-threading, implementation version, sysconfig platform, path; then the PATH, the C library,
     * the ccache compiler folder and the container's environment.
     */
    static final String PROBE_SCRIPT = String.join("\n",
            "probe='import sys, sysconfig; v = sys.implementation.version; print(sys.version_info[0], sys.version_info[1],"
                    + " sys.implementation.name, 1 if sysconfig.get_config_var(\"Py_GIL_DISABLED\") else 0,"
                    + " \"%d.%d\" % (v[0], v[1]), sysconfig.get_platform())'",
            "for p in /opt/python/*/bin/python \"$@\"; do",
            "  [ -x \"$p\" ] || continue",
            "  r=$(\"$p\" -c \"$probe\" 2>/dev/null) || continue",
            "  echo \"python $r $p\"",
            "done",
            "echo \"path $PATH\"",
            "for f in /lib/ld-musl-*; do [ -e \"$f\" ] && echo \"libc musl\" && break; done",
            "for d in /usr/lib/ccache /usr/lib64/ccache /usr/local/lib/ccache /usr/local/lib64/ccache; do",
            "  [ -x \"$d/gcc\" ] || [ -x \"$d/cc\" ] && echo \"ccachedir $d\" && break",
            "done",
            "env | while IFS= read -r line; do echo \"env $line\"; done",
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
        engine.checkNetwork(options.network());
        reporter.info("container build in " + options.image() + (options.platform() == null ? "" : " (" + options.platform() + ")")
                + " on the Docker engine at " + engine.endpoint() + ", version " + engine.serverVersion()
                + ", " + options.network().describe());

        BuildContainer.reapOrphans(engine.control(), reporter);
        ContainerTracker tracker = new ContainerTracker(options.keepContainers(), reporter);
        Path archive = tracker.deleteOnStop(Files.createTempFile("neuron-wheel-project", ".tar"));
        try {
            long t = System.nanoTime();
            writeArchive(archive, project, request.outputDirectory().toAbsolutePath().normalize(), copiedInputs);
            reporter.info(String.format("project archive: %d KiB in %.1f s", Files.size(archive) / 1024,
                    seconds(System.nanoTime() - t)));

            BuildContainer first = startContainer(tracker, archive, project, binds, mounts, 1);
            ImageFacts facts = probe(first, request.pythons());
            List<ImagePython> pythons = select(facts, request.pythons(), request.selection(), options.image(), reporter);
            reporter.info("Pythons in the image: " + describe(facts.pythons()) + "; building " + identifiers(pythons));
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
            mountCache("neuron.cacheDir", options.cacheDirectory(), options.cacheIsHostFolder(), CACHE_PATH, local,
                    binds, mounts);
        }
        if (options.pipCache() != null) {
            mountCache("neuron.pipCache", options.pipCache(), options.pipCacheIsHostFolder(), PIP_CACHE_PATH, local,
                    binds, mounts);
        }
    }

    /** A cache as a bind mount of a host folder (local engines only) or as a named volume. */
    private void mountCache(String property, String cache, boolean hostFolder, String target, boolean local,
                            List<Bind> binds, List<Mount> mounts) throws IOException {
        if (!hostFolder) {
            mounts.add(new Mount().withType(MountType.VOLUME).withSource(cache).withTarget(target));
            return;
        }
        if (!local) {
            throw new IOException(property + "=" + cache + " is a host folder, which needs a Docker engine on this"
                    + " machine, but the engine is " + engine.endpoint() + "; name a Docker volume instead (e.g. "
                    + property + "=neuron-wheel-cache)");
        }
        String folder = cache.startsWith("~")
                ? hostEnvironment.getOrDefault("HOME", System.getProperty("user.home")) + cache.substring(1)
                : cache;
        Path path = Path.of(folder).toAbsolutePath().normalize();
        Files.createDirectories(path);
        binds.add(new Bind(path.toString(), new Volume(target)));
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
        BuildContainer container = BuildContainer.start(engine, options.image(), name, options.platform(),
                project.toString(), binds, mounts, options.network());
        tracker.add(container);
        try (InputStream in = Files.newInputStream(archive)) {
            container.copyIn(in, "/");
        }
        reporter.info(String.format("container %s ready in %.1f s (create, start, copy project in)", name,
                seconds(System.nanoTime() - t)));
        return container;
    }

    /** An interpreter of the image with the identifier builds and selectors know it by. */
    record ImagePython(PythonInterpreter interpreter, BuildIdentifier identifier) {
        String tag() {
            return identifier.pythonTag();
        }
    }

    /** What the image offers: its Pythons, its PATH, its ccache compiler folder and its environment. */
    record ImageFacts(List<ImagePython> pythons, String path, Optional<String> ccacheDirectory,
                      Map<String, String> environment) {
        List<PythonInterpreter> interpreters() {
            return pythons.stream().map(ImagePython::interpreter).toList();
        }
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
        List<String[]> found = new ArrayList<>();
        String path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        Optional<String> ccache = Optional.empty();
        boolean musl = false;
        Map<String, String> environment = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.startsWith("python ")) {
                String[] parts = line.split(" ", 8);
                if (parts.length == 8) {
                    found.add(parts);
                }
            } else if (line.startsWith("path ")) {
                path = line.substring(5);
            } else if (line.equals("libc musl")) {
                musl = true;
            } else if (line.startsWith("ccachedir ")) {
                ccache = Optional.of(line.substring(10));
            } else if (line.startsWith("env ") && line.indexOf('=') > 4) {
                environment.put(line.substring(4, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        List<ImagePython> pythons = new ArrayList<>();
        for (String[] parts : found) {
            PythonInterpreter interpreter = new PythonInterpreter(Path.of(parts[7]), Integer.parseInt(parts[1]),
                    Integer.parseInt(parts[2]), parts[3], "1".equals(parts[4]), List.of());
            pythons.add(new ImagePython(interpreter, BuildIdentifier.of(interpreter, parts[5],
                    BuildIdentifier.linuxPlatform(parts[6], musl))));
        }
        return new ImageFacts(pythons, path, ccache, environment);
    }

    /**
     * The interpreters to build with, ordered by version: those {@code neuron.python} names (every one when
     * it is empty) that the build/skip selection keeps, plus those named by path. Each interpreter left out
     * is reported with the reason.
     *
     * @throws IllegalArgumentException when nothing is left, or a named path is no Python of the image
     */
    static List<ImagePython> select(ImageFacts facts, PythonSelector selector, BuildSelection selection, String image,
                                    Reporter reporter) {
        Map<String, ImagePython> byTag = new LinkedHashMap<>();
        List<String> namedPaths = selector.paths().stream().map(p -> p.toString().replace('\\', '/')).toList();
        List<String> reasons = new ArrayList<>();
        for (ImagePython python : facts.pythons()) {
            PythonInterpreter interpreter = python.interpreter();
            boolean named = namedPaths.contains(interpreter.executable().toString());
            String why;
            if (named) {
                why = null;
            } else if (selector.hasVersionPatterns()) {
                boolean matched = "cpython".equals(interpreter.implementation())
                        && selector.matchesTag(interpreter.cpythonTag());
                why = matched ? selection.whyNot(python.identifier(), interpreter.freeThreaded()).orElse(null)
                        : "not chosen by neuron.python=" + selector;
            } else if (!selector.isDefault()) {
                why = "not among the interpreters named by neuron.python=" + selector;
            } else {
                why = selection.whyNot(python.identifier(), false).orElse(null);
            }
            if (why != null) {
                reasons.add(python.identifier() + ": " + why);
                reporter.info("skipping " + python.identifier() + " (" + interpreter.executable() + "): " + why);
            } else if (byTag.putIfAbsent(python.tag(), python) != null) {
                reporter.info("skipping " + python.identifier() + " (" + interpreter.executable()
                        + "): another interpreter of the image builds " + python.tag());
            }
        }
        for (String path : namedPaths) {
            if (facts.pythons().stream().noneMatch(p -> p.interpreter().executable().toString().equals(path))) {
                throw new InvalidSettingException("neuron.python", "neuron.python: " + path + " is not a working Python in image "
                        + image);
            }
        }
        if (byTag.isEmpty()) {
            throw new InvalidSettingException("neuron.python", (selector.isDefault() && !selection.isDefault()
                    ? "the build selection (" + selection + ")" : "neuron.python=" + (selector.isDefault() ? "" : selector))
                    + (selection.isDefault() ? " matches no CPython in image " : " matches no interpreter in image ")
                    + image + " (it has: "
                    + (facts.pythons().isEmpty() ? "none under /opt/python" : describe(facts.pythons())) + ")"
                    + (reasons.isEmpty() ? "" : "; " + String.join("; ", reasons)));
        }
        List<ImagePython> chosen = new ArrayList<>(byTag.values());
        chosen.sort(Comparator.comparingInt((ImagePython p) -> p.interpreter().major())
                .thenComparingInt(p -> p.interpreter().minor())
                .thenComparing(p -> p.identifier().kind()));
        return chosen;
    }

    private List<BuiltWheel> runBuilds(BuildRequest request, List<ImagePython> pythons, ImageFacts facts,
                                       BuildContainer first, ContainerTracker tracker, Path archive, Path project,
                                       List<Bind> binds, List<Mount> mounts) throws IOException, BuildFailedException {
        int lanes = Math.min(options.parallel(), pythons.size());
        ConcurrentLinkedQueue<ImagePython> queue = new ConcurrentLinkedQueue<>(pythons);
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
        for (ImagePython python : pythons) {
            wheels.addAll(results.getOrDefault(python.tag(), List.of()));
        }
        return wheels;
    }

    /**
     * Runs the before-all steps in one container, then builds Pythons from the shared queue there until the
     * queue is empty or a build failed.
     */
    private void runLane(BuildRequest request, ImageFacts facts, BuildContainer container,
                         ConcurrentLinkedQueue<ImagePython> queue, Map<String, List<BuiltWheel>> results,
                         AtomicReference<Exception> failure, List<BuildContainer> containers) {
        try {
            if (failure.get() == null) {
                runBeforeAll(request, facts, container);
            }
            ImagePython python;
            while (failure.get() == null && (python = queue.poll()) != null) {
                results.put(python.tag(), buildOne(request, facts, container, python));
            }
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
        if (failure.get() == null && libraryExportRoot != null) {
            try {
                new ImageLibraryExport(container, facts, options.containerTimeout(), reporter).export(libraryExportRoot);
            } catch (IOException | RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    private void runBeforeAll(BuildRequest request, ImageFacts facts, BuildContainer container)
            throws IOException, BuildFailedException {
        if (request.beforeAll().isEmpty()) {
            return;
        }
        Map<String, String> environment = baseEnvironment(request, facts);
        String prefix = "[before-all] ";
        for (int i = 0; i < request.beforeAll().size(); i++) {
            String command = BuildRequest.fill(request.beforeAll().get(i), projectPlaceholders());
            String step = "before-all step " + (i + 1) + " of " + request.beforeAll().size();
            reporter.info(prefix + step + " in container " + container.name() + ": " + command);
            BuildContainer.ExecResult result = container.exec(List.of("/bin/sh", "-c", command),
                    BuildContainer.env(environment), PROJECT_PATH, request.timeout(), TAIL_LINES,
                    line -> reporter.info(prefix + line));
            reporter.info(String.format("%s%s: %.1f s", prefix, step, result.duration().toMillis() / 1000.0));
            failIfUnsuccessful(result, prefix + step + " (" + command + ")", request.timeout(), container);
        }
    }

    private List<BuiltWheel> buildOne(BuildRequest request, ImageFacts facts, BuildContainer container,
                                      ImagePython image) throws IOException, BuildFailedException {
        PythonInterpreter python = image.interpreter();
        String tag = image.tag();
        String prefix = "[" + tag + "] ";
        String outdir = OUTPUT_ROOT + "/" + tag;
        // an earlier run's wheel for this Python must not survive a failure of this one (the wheel goal would take it)
        Path hostOut = request.outputDirectory().resolve(tag);
        deleteWheels(hostOut);
        Map<String, String> environment = buildEnvironment(request, facts, python, tag, outdir);
        reporter.info(prefix + "building " + image.identifier() + " with " + python + " in container " + container.name()
                + (options.variant().name().isEmpty() ? "" : ", variant " + options.variant().name()));
        reporter.debug(prefix + "environment: " + String.join(" ", environment.keySet()));

        String repaired = REPAIRED_ROOT + "/" + tag;
        run(container, List.of("mkdir", "-p", outdir, repaired), Map.of(), prefix, "creating " + outdir,
                options.containerTimeout());

        String interpreter = python.executable().toString();
        if (request.frontend().needsBuildPackage()) {
            interpreter = installBuildFrontend(container, python, tag, environment, request.timeout());
        }
        Map<String, String> placeholders = new LinkedHashMap<>(projectPlaceholders());
        placeholders.put("python", python.executable().toString());
        for (int i = 0; i < request.beforeBuild().size(); i++) {
            String command = BuildRequest.fill(request.beforeBuild().get(i), placeholders);
            String step = "before-build step " + (i + 1) + " of " + request.beforeBuild().size();
            reporter.info(prefix + step + ": " + command);
            BuildContainer.ExecResult result = container.exec(List.of("/bin/sh", "-c", command),
                    BuildContainer.env(environment), PROJECT_PATH, request.timeout(), TAIL_LINES,
                    line -> reporter.info(prefix + line));
            reporter.info(String.format("%s%s: %.1f s", prefix, step, result.duration().toMillis() / 1000.0));
            failIfUnsuccessful(result, prefix + step + " (" + command + ")", request.timeout(), container);
        }

        Map<String, String> values = new LinkedHashMap<>();
        values.put("python", interpreter);
        values.put("source", PROJECT_PATH);
        values.put("outdir", outdir);
        List<String> command = options.variant().apply(request.command().expand(values));
        reporter.debug(prefix + String.join(" ", command));
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
        String collected = outdir;
        if (!request.repairCommand().isEmpty()) {
            repair(request, container, prefix, outdir, repaired, environment);
            collected = repaired;
        }
        long t = System.nanoTime();
        List<Path> files;
        try (InputStream tar = container.copyOut(collected)) {
            files = ContainerArchives.extractFiles(tar, hostOut, ".whl");
        }
        reporter.info(String.format("%scopy-out step: %.1f s", prefix, seconds(System.nanoTime() - t)));
        if (files.isEmpty()) {
            throw new BuildFailedException(prefix + (collected.equals(outdir)
                    ? "the build command succeeded but wrote no .whl into " + outdir + " (does the command write to {outdir}?)"
                    : "the repair command wrote no .whl into " + repaired + " (does it write to {dest_dir}?)"),
                    result.tail());
        }
        List<BuiltWheel> wheels = new ArrayList<>();
        for (Path file : files) {
            wheels.add(new BuiltWheel(file, tag));
            reporter.info(prefix + "built " + file.getFileName());
        }
        return wheels;
    }

    /** A virtual environment per Python holding pypa/build; its interpreter runs the build. */
    private String installBuildFrontend(BuildContainer container, PythonInterpreter python, String tag,
                                        Map<String, String> environment, Duration timeout)
            throws IOException, BuildFailedException {
        String prefix = "[" + tag + "] ";
        String venv = FRONTEND_ROOT + "/" + tag;
        reporter.info(prefix + "build frontend: pypa/build in " + venv);
        BuildContainer.ExecResult created = container.exec(List.of(python.executable().toString(), "-m", "venv", venv),
                BuildContainer.env(environment), "/", timeout, TAIL_LINES, line -> reporter.info(prefix + line));
        failIfUnsuccessful(created, prefix + "creating the build frontend's environment " + venv, timeout, container);
        BuildContainer.ExecResult installed = container.exec(List.of(venv + "/bin/python", "-m", "pip", "install", "build"),
                BuildContainer.env(environment), "/", timeout, TAIL_LINES, line -> reporter.info(prefix + line));
        failIfUnsuccessful(installed, prefix + "installing the build frontend (pip install build)", timeout, container);
        return venv + "/bin/python";
    }

    /** Runs the repair command on each built wheel; the wheels it writes to the repaired folder are the results. */
    private void repair(BuildRequest request, BuildContainer container, String prefix, String outdir, String repaired,
                        Map<String, String> environment) throws IOException, BuildFailedException {
        List<String> listed = new ArrayList<>();
        run(container, List.of("sh", "-c", "for f in \"$1\"/*.whl; do [ -e \"$f\" ] && echo \"$f\"; done; true", "sh",
                outdir), Map.of(), prefix, "listing the built wheels", options.containerTimeout(), listed);
        for (String wheel : listed) {
            Map<String, String> values = new LinkedHashMap<>(projectPlaceholders());
            values.put("wheel", wheel);
            values.put("dest_dir", repaired);
            String command = BuildRequest.fill(request.repairCommand(), values);
            reporter.info(prefix + "repair: " + command);
            BuildContainer.ExecResult result = container.exec(List.of("/bin/sh", "-c", command),
                    BuildContainer.env(environment), PROJECT_PATH, request.timeout(), TAIL_LINES,
                    line -> reporter.info(prefix + line));
            reporter.info(String.format("%srepair step: %.1f s", prefix, result.duration().toMillis() / 1000.0));
            failIfUnsuccessful(result, prefix + "repair command (" + command + ")", request.timeout(), container);
        }
    }

    private void run(BuildContainer container, List<String> command, Map<String, String> environment, String prefix,
                     String what, Duration timeout) throws IOException {
        run(container, command, environment, prefix, what, timeout, new ArrayList<>());
    }

    private void run(BuildContainer container, List<String> command, Map<String, String> environment, String prefix,
                     String what, Duration timeout, List<String> output) throws IOException {
        BuildContainer.ExecResult result = container.exec(command, BuildContainer.env(environment), "/", timeout,
                TAIL_LINES, output::add);
        if (!result.succeeded()) {
            throw new IOException(prefix + what + " in container " + container.name() + " failed: "
                    + String.join(" | ", result.tail()));
        }
    }

    private void failIfUnsuccessful(BuildContainer.ExecResult result, String step, Duration timeout,
                                    BuildContainer container) throws BuildFailedException {
        if (result.timedOut()) {
            throw new BuildFailedException(step + " timed out after " + timeout + " in container " + container.name(),
                    result.tail());
        }
        if (!result.succeeded()) {
            throw new BuildFailedException(step + " failed with exit code " + result.exitCode() + " in image "
                    + options.image(), result.tail());
        }
    }

    private static Map<String, String> projectPlaceholders() {
        return Map.of("project", PROJECT_PATH, "package", PROJECT_PATH);
    }

    /**
     * What every command of a build sees besides the image's own environment: pip's quiet settings, the
     * caches, the passed host variables, the evaluated assignments, the variant's and the pom's variables.
     */
    private Map<String, String> baseEnvironment(BuildRequest request, ImageFacts facts) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PIP_PROGRESS_BAR", "off");
        environment.put("PIP_NO_INPUT", "1");
        environment.put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        environment.put("PIP_ROOT_USER_ACTION", "ignore");
        String path = facts.path();
        if (options.cacheDirectory() != null && facts.ccacheDirectory().isPresent()) {
            environment.put("CCACHE_DIR", CACHE_PATH);
            environment.put("CCACHE_BASEDIR", PROJECT_PATH);
            path = facts.ccacheDirectory().get() + ":" + path;
        }
        environment.put("PATH", path);
        if (options.pipCache() != null) {
            environment.put("PIP_CACHE_DIR", PIP_CACHE_PATH);
            environment.put("UV_CACHE_DIR", PIP_CACHE_PATH + "/uv");
        }
        environment.putAll(PassedVariables.pick(options.passEnvironment(), hostEnvironment));
        Map<String, String> scope = new LinkedHashMap<>(facts.environment());
        scope.putAll(environment);
        environment.putAll(request.assignments().evaluate(scope));
        environment.putAll(options.variant().environment());
        environment.putAll(request.environment());
        return environment;
    }

    /** The base environment with the Python's own folder first on the PATH and the output folder named. */
    private Map<String, String> buildEnvironment(BuildRequest request, ImageFacts facts, PythonInterpreter python,
                                                 String tag, String outdir) {
        Map<String, String> environment = baseEnvironment(request, facts);
        Path bin = python.executable().getParent();
        if (bin != null) {
            environment.put("PATH", bin.toString().replace('\\', '/') + ":" + environment.get("PATH"));
        }
        environment.put("NEURON_WHEEL_OUTDIR", outdir);
        environment.put("NEURON_WHEEL_PYTHON_TAG", tag);
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

    private static String describe(List<ImagePython> pythons) {
        List<String> names = new ArrayList<>();
        for (ImagePython python : pythons) {
            names.add(python.tag() + (python.interpreter().implementation().equals("cpython") ? ""
                    : "/" + python.interpreter().implementation()));
        }
        return String.join(", ", names);
    }

    private static String identifiers(List<ImagePython> pythons) {
        return String.join(", ", pythons.stream().map(p -> p.identifier().toString()).toList());
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /**
     * Containers and temporary files of one build: removed at the end, or by a shutdown hook when the JVM
     * is stopped first (Ctrl-C while the project archive is written leaves no partial archive).
     */
    static final class ContainerTracker implements AutoCloseable {
        private final boolean keep;
        private final Reporter reporter;
        private final List<BuildContainer> containers = new CopyOnWriteArrayList<>();
        private final List<Path> temporaryFiles = new CopyOnWriteArrayList<>();
        private final Thread hook;

        ContainerTracker(boolean keep, Reporter reporter) {
            this.keep = keep;
            this.reporter = reporter;
            this.hook = new Thread(this::removeAll, "neuron-wheel container cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        void add(BuildContainer container) {
            containers.add(container);
        }

        /** A temporary file to delete on close or when the JVM stops; returns it. */
        Path deleteOnStop(Path file) {
            temporaryFiles.add(file);
            return file;
        }

        /** Synchronized: on Ctrl-C the hook and the build thread both get here; the second waits and finds nothing. */
        private synchronized void removeAll() {
            for (Path file : temporaryFiles) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    reporter.warn("could not delete the temporary file " + file + ": " + e.getMessage());
                }
            }
            temporaryFiles.clear();
            if (keep) {
                return;
            }
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
