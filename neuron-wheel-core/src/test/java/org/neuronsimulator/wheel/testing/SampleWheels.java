package org.neuronsimulator.wheel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/** Builds a tiny pure-Python project into a real {@code py3-none-any} wheel with pip. */
final class SampleWheels {

    static final String DISTRIBUTION = "nrnwt-sample";
    static final String MODULE = "nrnwt_sample";

    private SampleWheels() {
    }

    /** Builds {@code nrnwt_sample-VERSION-py3-none-any.whl} into {@code outDir} (once per folder). */
    static Path build(Path workDir, String version) throws IOException {
        Path project = workDir.resolve("sample-src-" + version);
        Path dist = workDir.resolve("sample-dist-" + version);
        Path wheel = dist.resolve(MODULE + "-" + version + "-py3-none-any.whl");
        if (Files.isRegularFile(wheel)) {
            return wheel;
        }
        Files.createDirectories(project.resolve("src").resolve(MODULE));
        Files.writeString(project.resolve("pyproject.toml"), String.join("\n",
                "[build-system]",
                "requires = [\"setuptools>=61\"]",
                "build-backend = \"setuptools.build_meta\"",
                "[project]",
                "name = \"" + DISTRIBUTION + "\"",
                "version = \"" + version + "\"",
                ""));
        Files.writeString(project.resolve("src").resolve(MODULE).resolve("__init__.py"),
                "def hello():\n    return 'hello from " + MODULE + " " + version + "'\n");
        ProcessResult result = ProcessRunner.of("python3", "-m", "pip", "wheel", "--no-deps",
                        "--disable-pip-version-check", "-w", dist.toString(), project.toString())
                .environment("PIP_RETRIES", "0") // the configured local index answers; fail fast elsewhere
                .removeEnvironment("PYTHONPATH")
                .tailLines(200)
                .timeout(Duration.ofMinutes(5))
                .run();
        assertTrue(result.succeeded(), () -> "pip wheel failed:\n" + result.tailText());
        try (Stream<Path> files = Files.list(dist)) {
            List<Path> wheels = files.filter(f -> f.toString().endsWith(".whl")).toList();
            assertEquals(List.of(wheel), wheels);
        }
        return wheel;
    }
}
