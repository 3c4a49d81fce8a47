package org.neuronsimulator.wheel.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The reference auditwheel beside the repository ({@code ../shared/tools/auditwheel/auditwheel}),
 * run as a separate program: the oracle the audit and repair are compared with.
 */
public final class ReferenceAuditwheel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path launcher;

    private ReferenceAuditwheel(Path launcher) {
        this.launcher = launcher;
    }

    /** The reference, or null when it is not beside this checkout (nor in /work/shared). */
    public static ReferenceAuditwheel locate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/tools/auditwheel/auditwheel").normalize();
            if (Files.exists(dir.resolve("pom.xml")) && Files.isExecutable(candidate)) {
                return new ReferenceAuditwheel(candidate);
            }
        }
        Path fallback = Path.of("/work/shared/tools/auditwheel/auditwheel");
        return Files.isExecutable(fallback) ? new ReferenceAuditwheel(fallback) : null;
    }

    /** What one run printed. */
    public record Run(int exitCode, String stdout, String stderr) {

        /** The JSON document {@code show --json} printed, or null when it printed none. */
        public JsonNode json() {
            int start = stdout.indexOf('{');
            if (start < 0) {
                return null;
            }
            try {
                return JSON.readTree(stdout.substring(start));
            } catch (IOException e) {
                return null;
            }
        }

        public String describe() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /** {@code auditwheel show --json WHEEL} with these extra environment variables. */
    public Run show(Path wheel, Map<String, String> environment) throws IOException {
        return run(List.of("show", "--json", wheel.toString()), environment, wheel.getParent());
    }

    /** {@code auditwheel repair ARGUMENTS... -w OUTPUT WHEEL}. */
    public Run repair(Path wheel, Path output, List<String> arguments, Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>(List.of("repair"));
        command.addAll(arguments);
        command.addAll(List.of("-w", output.toString(), wheel.toString()));
        return run(command, environment, wheel.getParent());
    }

    /**
     * Names this reference for caches: its version and a digest of its source, so a changed reference
     * never reuses old verdicts.
     */
    public String identity() throws IOException {
        Run version = run(List.of("--version"), Map.of(), Path.of("."));
        String[] words = version.stdout().trim().split("\\s+");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path source = launcher.getParent().resolve("src");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile).filter(p -> !p.toString().contains("__pycache__"))
                    .filter(p -> p.toString().endsWith(".py") || p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
            sha.update(source.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Files.readAllBytes(file));
            sha.update((byte) 0);
        }
        return (words.length > 1 ? words[1] : "unknown") + "-" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    }

    private Run run(List<String> arguments, Map<String, String> environment, Path directory) throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(arguments);
        Path out = Files.createTempFile("auditwheel", ".out");
        Path err = Files.createTempFile("auditwheel", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("the reference auditwheel did not finish within an hour: " + command);
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
