package org.neuronsimulator.wheel.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.neuronsimulator.wheel.builder.container.DockerEngine;

/** Asks the engine, through docker-java, which build or test containers of a project folder still exist. */
final class ContainersLeft {

    private static final String LABEL = "org.neuronsimulator.wheel.builder";
    private static final String PROJECT_LABEL = "org.neuronsimulator.wheel.project";

    private ContainersLeft() {
    }

    /** Names of the containers (running or not) whose project label is the folder or lies under it. */
    static List<String> of(Path projectFolder, String engineHost) throws IOException {
        try (DockerEngine engine = DockerEngine.connect(engineHost, System.getenv())) {
            String prefix = projectFolder.toAbsolutePath().normalize().toString();
            return engine.client().listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(LABEL, "true")).exec().stream()
                    .filter(c -> c.getLabels() != null && c.getLabels().getOrDefault(PROJECT_LABEL, "").startsWith(prefix))
                    .map(c -> String.join(",", c.getNames()))
                    .toList();
        }
    }

    static List<String> of(Path projectFolder) throws IOException {
        return of(projectFolder, null);
    }
}
