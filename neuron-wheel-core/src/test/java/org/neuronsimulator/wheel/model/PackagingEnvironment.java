package org.neuronsimulator.wheel.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * A virtual environment under {@code target/} with Python's {@code packaging} installed from the
 * machine's package index; tests are skipped when there is no python3 or no local index.
 */
final class PackagingEnvironment {

    static final Path WORK = Path.of("target", "packaging-differential");

    private static Path python;

    private PackagingEnvironment() {
    }

    /** The environment's interpreter, creating the environment on first use. */
    static synchronized Path python() throws IOException {
        if (python != null) {
            return python;
        }
        String systemPython = findOnPath("python3");
        Assumptions.assumeTrue(systemPython != null, "python3 is not on PATH");
        Path venv = WORK.resolve("venv").toAbsolutePath();
        Path candidate = venv.resolve("bin").resolve("python");
        if (!Files.isExecutable(candidate) || !run(candidate.toString(), "-c", "import packaging.metadata").succeeded()) {
            ProcessResult config = run(systemPython, "-m", "pip", "config", "list");
            boolean localIndex = config.succeeded() && config.tailText().contains("file:");
            ProcessResult created = run(systemPython, "-m", "venv", "--clear", venv.toString());
            assertTrue(created.succeeded(), () -> "python3 -m venv failed:\n" + created.tailText());
            ProcessResult installed = run(candidate.toString(), "-m", "pip", "install", "--disable-pip-version-check", "packaging");
            // Without a local index the install needs PyPI; a machine that has neither skips these tests.
            Assumptions.assumeTrue(localIndex || installed.succeeded(),
                    () -> "packaging cannot be installed (no local package index, PyPI unreachable):\n" + installed.tailText());
            assertTrue(installed.succeeded(), () -> "pip install packaging failed:\n" + installed.tailText());
        }
        python = candidate;
        return python;
    }

    /** The environment's site-packages directory. */
    static Path sitePackages() throws IOException {
        ProcessResult result = ProcessRunner.of(python().toString(), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
                .timeout(Duration.ofMinutes(1)).run();
        assertTrue(result.succeeded(), result::tailText);
        return Path.of(result.tailText().strip());
    }

    static ProcessResult run(String... command) throws IOException {
        return ProcessRunner.of(command).timeout(Duration.ofMinutes(5)).run();
    }

    private static String findOnPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Path.of(dir, command).toString();
            }
        }
        return null;
    }
}
