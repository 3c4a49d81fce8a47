package org.neuronsimulator.wheel.publish;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.neuronsimulator.wheel.Reporter;

/** Keeps every reported line, debug included, with its level. */
final class RecordingReporter implements Reporter {

    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void info(String message) {
        lines.add("[INFO] " + message);
    }

    @Override
    public void warn(String message) {
        lines.add("[WARN] " + message);
    }

    @Override
    public void debug(String message) {
        lines.add("[DEBUG] " + message);
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    String text() {
        return String.join("\n", lines());
    }
}
