package org.neuronsimulator.wheel.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.RecordingReporter;
import org.neuronsimulator.wheel.config.PomSettings;
import org.neuronsimulator.wheel.builder.container.PullPolicy;
import org.neuronsimulator.wheel.testing.ClusterOptions;
import org.neuronsimulator.wheel.testing.TestSubject;
import org.neuronsimulator.wheel.testing.WheelTestSettings;

/** The settings a test run refuses before it makes any environment or container. */
class WheelTestsTest {

    @TempDir
    Path project;

    private WheelTests.Settings settings(Path wheelhouse, PomSettings pom) {
        WheelTestSettings tests = new WheelTestSettings(project, project.resolve("envs"), project.resolve("reports"));
        return new WheelTests.Settings(tests, project, pom).subjects(wheelhouse, null, null);
    }

    private static InvalidSettingException refused(WheelTests.Settings settings) {
        return assertThrows(InvalidSettingException.class,
                () -> new WheelTests(settings, Map.of(), new RecordingReporter()).run());
    }

    @Test
    void aMissingWheelhouseNamesTheSetting() {
        Path missing = project.resolve("wheelhouse");
        InvalidSettingException e = refused(settings(missing, new PomSettings()));
        assertEquals("neuron.wheelhouse", e.setting());
        assertEquals("neuron.wheelhouse: " + missing + " is not a folder; build the wheels first or name a release with"
                + " neuron.test.requirement", e.getMessage());
        assertFalse(Files.exists(project.resolve("envs")));
    }

    @Test
    void aWheelhouseWithoutWheelsIsRefused() throws IOException {
        Path wheelhouse = Files.createDirectories(project.resolve("wheelhouse"));
        Files.writeString(wheelhouse.resolve("notes.txt"), "not a wheel");
        assertEquals("neuron.wheelhouse: " + wheelhouse + " holds no .whl files to test",
                refused(settings(wheelhouse, new PomSettings())).getMessage());
    }

    @Test
    void anAllocationDoesNotCombineWithATestImage() throws IOException {
        Path wheelhouse = Files.createDirectories(project.resolve("wheelhouse"));
        Files.createFile(wheelhouse.resolve("demo-1.0-py3-none-any.whl"));
        WheelTests.Settings settings = settings(wheelhouse, new PomSettings().testImage("quay.io/pypa/manylinux_2_28_x86_64"))
                .cluster(new ClusterOptions("salloc -N1", List.of(), false, List.of(), null));
        InvalidSettingException e = refused(settings);
        assertEquals("neuron.test.image", e.setting());
        assertFalse(Files.exists(project.resolve("envs")));
    }

    @Test
    void offlineRefusesARemoteIndexButNotALoopbackOne() {
        WheelTestSettings tests = new WheelTestSettings(project, project.resolve("envs"), project.resolve("reports"));
        WheelTests.Settings remote = new WheelTests.Settings(tests, project, new PomSettings())
                .subjects(project.resolve("wheelhouse"), "neuron==8.2.0", "https://test.pypi.org/simple/")
                .image(null, PullPolicy.MISSING, true, false, List.of());
        InvalidSettingException e = refused(remote);
        assertEquals("neuron.test.index", e.setting());
        assertEquals("the run is offline (-o) but neuron.test.index=https://test.pypi.org/simple/ needs the network;"
                + " run online or name a file:// or loopback index", e.getMessage());
        assertFalse(Files.exists(project.resolve("envs")));
        assertFalse(TestSubject.needsNetwork("http://127.0.0.1:8080/simple/"));
        assertFalse(TestSubject.needsNetwork("file:///opt/pypi/simple"));
    }
}
