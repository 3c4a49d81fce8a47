package org.neuronsimulator.wheel.builder.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.RecordingReporter;

/** Containers of a build that was killed with kill -9 (no shutdown hook ran) are removed by the next build. */
class OrphanContainerTest {

    @Test
    void containersOfADeadProcessAreRemovedThoseOfALiveOneStay() throws Exception {
        try (DockerEngine engine = DockerTestSupport.localEngineOrSkip()) {
            String host = BuildContainer.OWNER.substring(0, BuildContainer.OWNER.lastIndexOf(' '));
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            String orphan = create(engine, "neuron-wheel-orphan-" + ProcessHandle.current().pid(), host + " " + gone.pid());
            String live = create(engine, "neuron-wheel-live-" + ProcessHandle.current().pid(), BuildContainer.OWNER);
            String foreign = create(engine, "neuron-wheel-foreign-" + ProcessHandle.current().pid(), "another-host " + gone.pid());
            try {
                RecordingReporter reporter = new RecordingReporter();
                List<String> removed = BuildContainer.reapOrphans(engine.client(), reporter);
                assertTrue(removed.contains(orphan), removed + " " + reporter.text());
                assertTrue(!removed.contains(live) && !removed.contains(foreign), removed.toString());
                assertTrue(reporter.text().contains("removed container " + orphan + ", left behind by a build that was killed"),
                        reporter.text());
                assertEquals(List.of(), names(engine, orphan));
                assertEquals(1, names(engine, live).size());
                assertEquals(1, names(engine, foreign).size());
            } finally {
                for (String name : List.of(orphan, live, foreign)) {
                    try {
                        engine.client().removeContainerCmd(name).withForce(true).exec();
                    } catch (RuntimeException e) {
                        // already removed
                    }
                }
            }
        }
    }

    private static String create(DockerEngine engine, String name, String owner) throws IOException {
        engine.client().createContainerCmd(DockerTestSupport.TEST_IMAGE).withName(name)
                .withLabels(Map.of(BuildContainer.LABEL, "true", BuildContainer.PROJECT_LABEL, "/nowhere",
                        BuildContainer.OWNER_LABEL, owner))
                .withEntrypoint("sleep").withCmd("infinity").exec();
        return name;
    }

    private static List<String> names(DockerEngine engine, String name) {
        return engine.client().listContainersCmd().withShowAll(true).withNameFilter(List.of(name)).exec().stream()
                .map(c -> c.getNames()[0]).toList();
    }
}
