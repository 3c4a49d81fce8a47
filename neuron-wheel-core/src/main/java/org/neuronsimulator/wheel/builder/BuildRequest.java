package org.neuronsimulator.wheel.builder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to build: the project folder, where raw wheels go, which Pythons, the command and its
 * environment, and the steps around each build.
 *
 * @param projectDirectory the Python project (the folder holding {@code pyproject.toml} or {@code setup.py})
 * @param outputDirectory  raw wheels are written to {@code <outputDirectory>/<python tag>/}
 * @param pythons          which interpreters
 * @param command          the per-Python build command
 * @param environment      extra variables for the command, taken as they are
 * @param timeout          per-Python limit
 * @param selection        build/skip selectors and enabled groups, by build identifier
 * @param frontend         {@code pip} or {@code build}; with {@code build}, {@code {python}} in the command is
 *                         the interpreter of a virtual environment holding pypa/build
 * @param assignments      further variables as shell assignments, expanded where the build runs
 * @param beforeAll        shell commands run once (per container) before any build
 * @param beforeBuild      shell commands run before each Python's build ({@code {python}}, {@code {project}},
 *                         {@code {package}} placeholders; {@code python} and {@code pip} on the PATH are that Python's)
 * @param repairCommand    a shell command run on each built wheel ({@code {wheel}}, {@code {dest_dir}}), whose
 *                         output wheels replace the built ones; empty for none
 */
public record BuildRequest(Path projectDirectory, Path outputDirectory, PythonSelector pythons,
                           BuildCommand command, Map<String, String> environment, Duration timeout,
                           BuildSelection selection, BuildFrontend frontend, EnvironmentAssignments assignments,
                           List<String> beforeAll, List<String> beforeBuild, String repairCommand) {

    public BuildRequest {
        Objects.requireNonNull(projectDirectory, "projectDirectory");
        Objects.requireNonNull(outputDirectory, "outputDirectory");
        Objects.requireNonNull(pythons, "pythons");
        Objects.requireNonNull(command, "command");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(frontend, "frontend");
        Objects.requireNonNull(assignments, "assignments");
        beforeAll = List.copyOf(beforeAll);
        beforeBuild = List.copyOf(beforeBuild);
        repairCommand = repairCommand == null ? "" : repairCommand.strip();
    }

    /** A request with every CPython selected, pip as the frontend and no steps around the builds. */
    public BuildRequest(Path projectDirectory, Path outputDirectory, PythonSelector pythons, BuildCommand command,
                        Map<String, String> environment, Duration timeout) {
        this(projectDirectory, outputDirectory, pythons, command, environment, timeout, BuildSelection.DEFAULT,
                BuildFrontend.PIP, EnvironmentAssignments.NONE, List.of(), List.of(), "");
    }

    public BuildRequest withSelection(BuildSelection value) {
        return new BuildRequest(projectDirectory, outputDirectory, pythons, command, environment, timeout, value,
                frontend, assignments, beforeAll, beforeBuild, repairCommand);
    }

    /** The frontend; the command becomes the frontend's own. */
    public BuildRequest withFrontend(BuildFrontend value) {
        return new BuildRequest(projectDirectory, outputDirectory, pythons, value.command(), environment, timeout,
                selection, value, assignments, beforeAll, beforeBuild, repairCommand);
    }

    public BuildRequest withCommand(BuildCommand value) {
        return new BuildRequest(projectDirectory, outputDirectory, pythons, value, environment, timeout, selection,
                frontend, assignments, beforeAll, beforeBuild, repairCommand);
    }

    public BuildRequest withAssignments(EnvironmentAssignments value) {
        return new BuildRequest(projectDirectory, outputDirectory, pythons, command, environment, timeout, selection,
                frontend, value, beforeAll, beforeBuild, repairCommand);
    }

    public BuildRequest withBeforeSteps(List<String> all, List<String> build) {
        return new BuildRequest(projectDirectory, outputDirectory, pythons, command, environment, timeout, selection,
                frontend, assignments, all, build, repairCommand);
    }

    public BuildRequest withRepairCommand(String value) {
        return new BuildRequest(projectDirectory, outputDirectory, pythons, command, environment, timeout, selection,
                frontend, assignments, beforeAll, beforeBuild, value);
    }

    /** The placeholders of the before-steps and the repair command other than {@code {python}}. */
    public static String fill(String template, Map<String, String> values) {
        String result = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            result = result.replace("{" + value.getKey() + "}", value.getValue());
        }
        return result;
    }
}
