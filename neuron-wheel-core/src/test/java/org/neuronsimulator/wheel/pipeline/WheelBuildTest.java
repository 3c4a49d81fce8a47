package org.neuronsimulator.wheel.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.RecordingReporter;
import org.neuronsimulator.wheel.config.PomSettings;

/** The settings a build refuses before it clears or writes anything. */
class WheelBuildTest {

    @Test
    void anUnbalancedBuildCommandIsRefusedBeforeAnythingIsCleared(@TempDir Path project) throws IOException {
        Path imageRoot = Files.createDirectories(project.resolve("target/image-root/etc"));
        WheelBuild.Settings settings = new WheelBuild.Settings(project, project.resolve("target/raw-wheels"), new PomSettings())
                .imageLibraryDirectory(project.resolve("target/image-root")).buildCommand("{python} -m build 'oops");
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new WheelBuild(settings, Map.of(), new RecordingReporter()).run());
        assertEquals("command", e.setting());
        assertTrue(Files.isDirectory(imageRoot));
        assertTrue(Files.notExists(project.resolve("target/raw-wheels")));
    }

    @Test
    void anUnknownPythonSelectorNamesTheSetting(@TempDir Path project) {
        WheelBuild.Settings settings = new WheelBuild.Settings(project, project.resolve("raw"), new PomSettings())
                .python("snake");
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new WheelBuild(settings, Map.of(), new RecordingReporter()).run());
        assertEquals("neuron.python", e.setting());
    }
}
