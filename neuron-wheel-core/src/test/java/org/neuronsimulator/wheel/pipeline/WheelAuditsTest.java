package org.neuronsimulator.wheel.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.RecordingReporter;
import org.neuronsimulator.wheel.audit.WheelAuditException;

class WheelAuditsTest {

    private static WheelAudits.Settings settings(Path wheel, Path json) {
        return new WheelAudits.Settings(wheel, json, null, false, null, null);
    }

    @Test
    void nothingToAuditNamesTheSetting(@TempDir Path dir) throws IOException {
        InvalidSettingException missing = assertThrows(InvalidSettingException.class,
                () -> new WheelAudits(settings(dir.resolve("dist"), null), Map.of(), new RecordingReporter()).run());
        assertEquals("neuron.wheel names no existing file or folder: " + dir.resolve("dist"), missing.getMessage());
        Files.writeString(dir.resolve("notes.txt"), "no wheel");
        InvalidSettingException empty = assertThrows(InvalidSettingException.class,
                () -> new WheelAudits(settings(dir, null), Map.of(), new RecordingReporter()).run());
        assertEquals("no .whl file in " + dir, empty.getMessage());
    }

    @Test
    void eachBrokenWheelIsReportedAndListedInTheJson(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("dist"));
        Files.writeString(folder.resolve("demo-1.0-cp312-cp312-linux_x86_64.whl"), "not a zip");
        Files.writeString(folder.resolve("other-1.0-cp312-cp312-linux_x86_64.whl"), "not a zip either");
        Path json = dir.resolve("audit.json");
        RecordingReporter reporter = new RecordingReporter();
        WheelAuditException e = assertThrows(WheelAuditException.class,
                () -> new WheelAudits(settings(folder, json), Map.of(), reporter).run());
        assertTrue(e.getMessage().startsWith("2 of 2 wheel(s) could not be audited: "), e::getMessage);
        String written = Files.readString(json);
        for (String name : List.of("demo-1.0-cp312-cp312-linux_x86_64.whl", "other-1.0-cp312-cp312-linux_x86_64.whl")) {
            assertTrue(written.contains(name), written);
        }
        assertTrue(written.contains("\"error\""), written);
    }
}
