package org.neuronsimulator.wheel.elf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/** Compiles small C programs and libraries with the machine's gcc for tests. */
public final class NativeBuild {

    private NativeBuild() {
    }

    public static boolean gccAvailable() {
        try {
            return ProcessRunner.of("gcc", "--version").timeout(Duration.ofSeconds(30)).run().succeeded();
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes {@code source} to {@code <dir>/<name>.c} and runs gcc with the arguments; fails on errors. */
    public static Path compile(Path dir, String name, String source, Path output, String... arguments) throws IOException {
        ProcessResult result = tryCompile(dir, name, source, output, arguments);
        if (!result.succeeded()) {
            throw new IOException("gcc failed for " + name + ":\n" + result.tailText());
        }
        return output;
    }

    public static ProcessResult tryCompile(Path dir, String name, String source, Path output, String... arguments)
            throws IOException {
        Path c = dir.resolve(name + ".c");
        Files.writeString(c, source);
        List<String> command = new ArrayList<>(List.of("gcc", "-o", output.toString(), c.toString()));
        command.addAll(List.of(arguments));
        return ProcessRunner.of(command).directory(dir).timeout(Duration.ofMinutes(2)).run();
    }

    /** Runs a tool (readelf, patchelf) and returns its output, failing when it fails. */
    public static String run(String... command) throws IOException {
        List<String> lines = new ArrayList<>();
        ProcessResult result = ProcessRunner.of(command).onOutput(lines::add).timeout(Duration.ofMinutes(2)).run();
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", command) + " failed:\n" + result.tailText());
        }
        return String.join("\n", lines);
    }
}
