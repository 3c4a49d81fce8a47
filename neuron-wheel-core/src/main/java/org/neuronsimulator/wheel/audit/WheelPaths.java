package org.neuronsimulator.wheel.audit;

import java.util.ArrayList;
import java.util.List;

/** Operations on wheel-relative paths ({@code /}-separated, no leading slash). */
public final class WheelPaths {

    private WheelPaths() {
    }

    /** Resolves {@code .} and {@code ..}; null when the path leaves the wheel. */
    public static String normalize(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    /** The folder part; empty at the wheel's root. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    public static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
