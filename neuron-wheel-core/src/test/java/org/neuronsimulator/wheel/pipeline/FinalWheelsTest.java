package org.neuronsimulator.wheel.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.RecordingReporter;
import org.neuronsimulator.wheel.config.PomSettings;

class FinalWheelsTest {

    @Test
    void outputTimestampsAreSecondsOrIsoDateTimes() {
        assertEquals(1767225600L, FinalWheels.outputTimestamp(" 1767225600 "));
        assertEquals(1767225600L, FinalWheels.outputTimestamp("2026-01-01T00:00:00Z"));
        assertEquals(1767225600L, FinalWheels.outputTimestamp("2026-01-01T01:00:00+01:00"));
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> FinalWheels.outputTimestamp("yesterday"));
        assertEquals("project.build.outputTimestamp", e.setting());
        assertEquals("project.build.outputTimestamp 'yesterday' is neither seconds since 1970 nor an ISO-8601 date-time",
                e.getMessage());
    }

    @Test
    void withoutRawWheelsNothingIsWritten(@TempDir Path project) throws IOException {
        Path raw = Files.createDirectories(project.resolve("raw-wheels/cp312"));
        Files.writeString(raw.resolve("build.log"), "no wheel here");
        FinalWheels.Settings settings = new FinalWheels.Settings(project.resolve("raw-wheels"), project.resolve("wheelhouse"),
                project, new PomSettings());
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new FinalWheels(settings, Map.of(), new RecordingReporter()).write());
        assertEquals("no raw wheels in " + project.resolve("raw-wheels")
                + ": run the build goal first or set neuron.rawWheelDirectory", e.getMessage());
        assertFalse(Files.exists(project.resolve("wheelhouse")));
    }

    @Test
    void aVersionThatIsNoPep440VersionNamesTheSetting(@TempDir Path project) throws IOException {
        Path raw = Files.createDirectories(project.resolve("raw-wheels"));
        Files.createFile(raw.resolve("demo-1.0-py3-none-any.whl"));
        FinalWheels.Settings settings = new FinalWheels.Settings(raw, project.resolve("wheelhouse"), project, new PomSettings())
                .rename(null, "nine");
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new FinalWheels(settings, Map.of(), new RecordingReporter()).write());
        assertEquals("neuron.distributionVersion", e.setting());
        assertFalse(Files.exists(project.resolve("wheelhouse")));
    }
}
