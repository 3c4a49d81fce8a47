package org.neuronsimulator.wheel.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.RecordingReporter;
import org.neuronsimulator.wheel.audit.TestWheels;
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

    @Test
    void severalWheelsAreAuditedInAJvmOfTheirOwnWhoseReportComesBackHere(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("dist"));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("demo/__init__.py", "from ._demo import *\n".getBytes(StandardCharsets.UTF_8));
        entries.put("demo/_demo.cpython-311-x86_64-linux-gnu.so", Files.readAllBytes(Path.of("/usr/lib/x86_64-linux-gnu/libz.so.1")));
        TestWheels.write(folder.resolve("demo-1.0-cp311-cp311-linux_x86_64.whl"), "demo-1.0.dist-info", entries);
        Files.writeString(folder.resolve("other-1.0-cp312-cp312-linux_x86_64.whl"), "not a zip");
        Path json = dir.resolve("audit.json");
        RecordingReporter reporter = new RecordingReporter();
        WheelAuditException e = assertThrows(WheelAuditException.class,
                () -> new WheelAudits(settings(folder, json), Map.of(), reporter).run());
        assertTrue(e.getMessage().startsWith("1 of 2 wheel(s) could not be audited: "), e::getMessage);
        assertTrue(e.getMessage().contains("other-1.0-cp312-cp312-linux_x86_64.whl"), e::getMessage);
        String text = reporter.text();
        assertTrue(text.contains("[INFO] demo-1.0-cp311-cp311-linux_x86_64.whl"), text);
        assertTrue(text.contains("[WARN] ") && text.contains("other-1.0-cp312-cp312-linux_x86_64.whl"), text);
        assertTrue(text.contains("[INFO] JSON report: " + json), text);
        assertFalse(text.contains(AuditJvm.PREFIX), "the audit JVM's protocol shows through: " + text);
        assertFalse(text.contains("cannot start a JVM"), text);
        String written = Files.readString(json);
        assertTrue(written.contains("\"overallTag\"") && written.contains("\"error\""), written);
    }

    @Test
    void theAuditJvmGetsEverySettingAndEveryMessageLineIntact() {
        WheelAudits.Settings all = new WheelAudits.Settings(Path.of("/w/dist"), Path.of("/w/a b.json"),
                List.of("libcuda*", "a=b"), true, Path.of("/image"), List.of("/opt/x", "/opt/y"));
        assertEquals(all, AuditJvm.settings(AuditJvm.arguments(all).toArray(String[]::new)));
        WheelAudits.Settings none = settings(Path.of("w.whl"), null);
        assertEquals(none, AuditJvm.settings(AuditJvm.arguments(none).toArray(String[]::new)));
        for (String message : List.of("", "plain", "two\nlines", "back\\slash\\n", "cr\r\n", "tab\tand \\")) {
            String escaped = AuditJvm.escape(message);
            assertFalse(escaped.contains("\n") || escaped.contains("\r"), escaped);
            assertEquals(message, AuditJvm.unescape(escaped));
        }
    }
}
