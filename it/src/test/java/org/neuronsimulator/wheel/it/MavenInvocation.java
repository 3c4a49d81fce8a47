package org.neuronsimulator.wheel.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * Runs a real Maven build of a sample project: the sample is copied to a fresh work folder, Maven
 * (the machine's {@code mvn}, or another installation) runs there with the plugin version under
 * test, and the whole log is kept in {@code build.log} beside the copy.
 */
public final class MavenInvocation {

    /** The Maven installations the plugin is checked on: the machine's own and a 3.9.x one. */
    public enum MavenVersion {
        SYSTEM, MAVEN_39;

        Path executable() {
            if (this == SYSTEM) {
                return Path.of("mvn");
            }
            return Path.of(System.getProperty("it.maven39Home", "target/maven/apache-maven-3.9.16"), "bin", "mvn");
        }
    }

    private final Path projectDirectory;
    private final List<String> arguments = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> removedEnvironment = new ArrayList<>();
    private MavenVersion maven = MavenVersion.SYSTEM;
    private Duration timeout = Duration.ofMinutes(15);

    private MavenInvocation(Path projectDirectory) {
        this.projectDirectory = projectDirectory;
    }

    /** Copies {@code samples/<sample>} to {@code it-work/<workName>} (replacing an earlier copy). */
    public static MavenInvocation ofSample(String sample, String workName) throws IOException {
        Path source = samplesDirectory().resolve(sample);
        if (!Files.isDirectory(source)) {
            throw new IOException("no sample project at " + source);
        }
        Path target = workDirectory().resolve(workName);
        deleteTree(target);
        copyTree(source, target);
        return new MavenInvocation(target);
    }

    /** Runs Maven in an existing folder (e.g. one with no pom, for goals that need none). */
    public static MavenInvocation in(Path directory) {
        return new MavenInvocation(directory);
    }

    public static Path samplesDirectory() {
        return Path.of(System.getProperty("it.samplesDirectory", "samples")).toAbsolutePath();
    }

    public static Path workDirectory() {
        return Path.of(System.getProperty("it.workDirectory", "target/it-work")).toAbsolutePath();
    }

    public static String pluginVersion() {
        return System.getProperty("it.projectVersion", "0.1.0-SNAPSHOT");
    }

    /** {@code org.neuronsimulator:neuron-wheel-maven-plugin:<version>:<goal>} for pom-less runs. */
    public static String goal(String goal) {
        return "org.neuronsimulator:neuron-wheel-maven-plugin:" + pluginVersion() + ":" + goal;
    }

    public Path projectDirectory() {
        return projectDirectory;
    }

    public MavenInvocation maven(MavenVersion version) {
        this.maven = version;
        return this;
    }

    public MavenInvocation args(String... args) {
        arguments.addAll(List.of(args));
        return this;
    }

    public MavenInvocation property(String name, String value) {
        arguments.add("-D" + name + "=" + value);
        return this;
    }

    public MavenInvocation env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Leaves a variable of this JVM's environment out of Maven's. */
    public MavenInvocation withoutEnv(String name) {
        removedEnvironment.add(name);
        return this;
    }

    public MavenInvocation timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    public Result run() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(maven.executable().toString());
        command.add("-B");
        command.add("-ntp");
        String localRepository = System.getProperty("it.localRepository");
        if (localRepository != null) {
            command.add("-Dmaven.repo.local=" + localRepository);
        }
        command.add("-Dneuron-wheel.version=" + pluginVersion());
        command.addAll(arguments);
        Path log = projectDirectory.resolve("build.log");
        List<String> lines = new ArrayList<>();
        ProcessRunner runner = ProcessRunner.of(command)
                .directory(projectDirectory)
                .environment(environment)
                .removeEnvironment("MAVEN_OPTS");
        removedEnvironment.forEach(runner::removeEnvironment);
        ProcessResult result = runner
                .timeout(timeout)
                .onOutput(lines::add)
                .run();
        Files.write(log, lines);
        return new Result(result, String.join("\n", lines), log);
    }

    /** What a Maven run did: its exit, its whole log and where the log was saved. */
    public record Result(ProcessResult process, String log, Path logFile) {

        public boolean succeeded() {
            return process.succeeded();
        }

        /** For assertion messages: the command and the log's end. */
        public String describe() {
            return String.join(" ", process.command()) + " -> exit " + process.exitCode()
                    + (process.timedOut() ? " (timed out)" : "") + "\n" + process.tailText();
        }
    }

    static void copyTree(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String name = dir.getFileName().toString();
                if (!dir.equals(source) && (name.equals("target") || name.equals("build")
                        || name.endsWith(".egg-info") || name.equals("__pycache__"))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, target.resolve(source.relativize(file).toString()),
                        StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
