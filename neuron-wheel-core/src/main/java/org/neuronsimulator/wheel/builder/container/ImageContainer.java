package org.neuronsimulator.wheel.builder.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.builder.BuildSelection;
import org.neuronsimulator.wheel.builder.PythonDiscovery;
import org.neuronsimulator.wheel.builder.PythonInterpreter;
import org.neuronsimulator.wheel.builder.PythonSelector;
import org.neuronsimulator.wheel.process.ProcessResult;

/**
 * One long-lived container of an image for work other than building (testing wheels), on the network
 * it is given: files are copied in, commands run with {@code docker exec}, and the container is removed
 * on {@link #close()}, or by a shutdown hook when the JVM is stopped first.
 */
public final class ImageContainer implements AutoCloseable {

    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(2);

    private final String image;
    private final BuildContainer container;
    private final ContainerWheelBuilder.ContainerTracker tracker;
    private ContainerWheelBuilder.ImageFacts facts;

    private final Reporter reporter;

    private ImageContainer(String image, BuildContainer container, ContainerWheelBuilder.ContainerTracker tracker,
                           Reporter reporter) {
        this.image = image;
        this.container = container;
        this.tracker = tracker;
        this.reporter = reporter;
    }

    /**
     * Makes the image available by the pull policy and starts a container of it.
     *
     * @param purpose a word for the container's name and label, e.g. {@code test}
     * @param keep    leave the container in place on close (its name is printed)
     * @throws IllegalArgumentException when a named network does not exist
     */
    public static ImageContainer start(DockerEngine engine, String image, PullPolicy pullPolicy, String platform,
                                       ContainerNetwork network, String purpose, Path project, boolean keep,
                                       Reporter reporter) throws IOException {
        engine.ensureImage(image, pullPolicy, platform, reporter);
        ImagePlatform.check(engine, image, platform, reporter);
        engine.checkNetwork(network);
        String name = "neuron-wheel-" + purpose + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        BuildContainer.reapOrphans(engine.control(), reporter);
        ContainerWheelBuilder.ContainerTracker tracker = new ContainerWheelBuilder.ContainerTracker(keep, reporter);
        try {
            BuildContainer container = BuildContainer.start(engine, image, name, platform,
                    project.toAbsolutePath().normalize().toString(), List.of(), List.of(), network);
            tracker.add(container);
            return new ImageContainer(image, container, tracker, reporter);
        } catch (IOException | RuntimeException e) {
            tracker.close();
            throw e;
        }
    }

    public String image() {
        return image;
    }

    public String name() {
        return container.name();
    }

    /** The image's {@code PATH}. */
    public String path() throws IOException {
        return facts(PythonSelector.parse(null)).path();
    }

    /**
     * The interpreters of {@code /opt/python/*} (and paths named by the selector) that the selector
     * chooses, as the build chooses them, each with the tags it accepts, asked of the interpreter itself.
     *
     * @throws IllegalArgumentException when the selector matches no interpreter of the image
     */
    public List<PythonInterpreter> pythons(PythonSelector selector) throws IOException {
        List<PythonInterpreter> chosen = ContainerWheelBuilder.select(facts(selector), selector, BuildSelection.DEFAULT,
                image, reporter).stream().map(ContainerWheelBuilder.ImagePython::interpreter).toList();
        List<PythonInterpreter> withTags = new ArrayList<>();
        for (PythonInterpreter python : chosen) {
            String executable = python.executable().toString();
            ProcessResult result = exec(List.of(executable, "-c", PythonDiscovery.PROBE_SCRIPT), Map.of(), "/",
                    PROBE_TIMEOUT, 10_000, line -> { });
            withTags.add(result.succeeded()
                    ? PythonDiscovery.parseProbe(python.executable(), result.tail()).orElse(python)
                    : python);
        }
        return withTags;
    }

    private ContainerWheelBuilder.ImageFacts facts(PythonSelector selector) throws IOException {
        if (facts == null) {
            facts = ContainerWheelBuilder.probe(container, selector, image, PROBE_TIMEOUT);
        }
        return facts;
    }

    /** Copies host files into a container folder (made when missing), keeping their names. */
    public void copyFilesIn(List<Path> files, String containerFolder) throws IOException {
        copyIn(tar -> {
            tar.directory(containerFolder);
            for (Path file : files) {
                tar.file(file, containerFolder.replaceAll("/+$", "") + "/" + file.getFileName());
            }
        });
    }

    /** Copies a host folder's whole tree into a container folder. */
    public void copyFolderIn(Path folder, String containerFolder) throws IOException {
        copyIn(tar -> tar.tree(folder, containerFolder, path -> false));
    }

    /** Copies a host folder's tree into the container, leaving out the build outputs a project copy skips. */
    public void copyProjectIn(Path project, Path outputDirectory, String containerFolder) throws IOException {
        Path root = project.toAbsolutePath().normalize();
        copyIn(tar -> tar.tree(root, containerFolder, ContainerWheelBuilder.projectFilter(root,
                outputDirectory == null ? null : outputDirectory.toAbsolutePath().normalize())));
    }

    private interface TarContent {
        void write(ContainerArchives.Writer tar) throws IOException;
    }

    private void copyIn(TarContent content) throws IOException {
        Path archive = tracker.deleteOnStop(Files.createTempFile("neuron-wheel-copy", ".tar"));
        try {
            try (OutputStream out = Files.newOutputStream(archive);
                 ContainerArchives.Writer tar = new ContainerArchives.Writer(out)) {
                content.write(tar);
            }
            try (InputStream in = Files.newInputStream(archive)) {
                container.copyIn(in, "/");
            }
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    /**
     * Runs a command in the container, streaming its output; on timeout the container is killed (an
     * exec cannot be stopped alone), so later commands fail.
     */
    public ProcessResult exec(List<String> command, Map<String, String> environment, String workingDirectory,
                              Duration timeout, int tailLines, Consumer<String> lines) throws IOException {
        BuildContainer.ExecResult result = container.exec(command, BuildContainer.env(environment), workingDirectory,
                timeout, tailLines, lines);
        return new ProcessResult(List.copyOf(command), result.exitCode(), result.timedOut(), result.duration(),
                result.tail());
    }

    /** Removes the container (unless it is kept); a failure to remove is reported with the command that does it. */
    @Override
    public void close() {
        tracker.close();
    }
}
