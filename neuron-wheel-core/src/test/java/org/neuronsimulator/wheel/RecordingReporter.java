package org.neuronsimulator.wheel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Keeps every reported line, debug included, prefixed with its level ({@code [INFO] ...}), for tests. */
public final class RecordingReporter implements Reporter {

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

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public String text() {
        return String.join("\n", lines());
    }
}
