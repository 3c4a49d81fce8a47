package org.neuronsimulator.wheel.builder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What to build: the project folder, where raw wheels go, which Pythons, the command and its
 * environment.
 *
 * @param projectDirectory the Python project (the folder holding {@code pyproject.toml} or {@code setup.py})
 * @param outputDirectory  raw wheels are written to {@code <outputDirectory>/<cpXY>/}
 * @param pythons          which interpreters
 * @param command          the per-Python build command
 * @param environment      extra variables for the command
 * @param timeout          per-Python limit
 */
public record BuildRequest(Path projectDirectory, Path outputDirectory, PythonSelector pythons,
                           BuildCommand command, Map<String, String> environment, Duration timeout) {

    public BuildRequest {
        Objects.requireNonNull(projectDirectory, "projectDirectory");
        Objects.requireNonNull(outputDirectory, "outputDirectory");
        Objects.requireNonNull(pythons, "pythons");
        Objects.requireNonNull(command, "command");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(timeout, "timeout");
    }
}
