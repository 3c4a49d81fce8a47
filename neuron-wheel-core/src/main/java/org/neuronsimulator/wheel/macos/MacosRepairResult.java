package org.neuronsimulator.wheel.macos;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A repaired macOS wheel.
 *
 * @param wheel        the written wheel
 * @param audit        the audit of the wheel as built
 * @param platformTags its platform tags now
 * @param bundled      real path of each library copied in → its path inside the wheel
 */
public record MacosRepairResult(Path wheel, MacosWheelAudit audit, List<String> platformTags, Map<String, String> bundled) {

    public MacosRepairResult {
        platformTags = List.copyOf(platformTags);
        bundled = Map.copyOf(bundled);
    }
}
