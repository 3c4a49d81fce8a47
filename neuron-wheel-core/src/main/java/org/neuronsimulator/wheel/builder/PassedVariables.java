package org.neuronsimulator.wheel.builder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Host variables handed to builds that do not inherit the host's environment (containers): names, or
 * globs such as {@code PIP_*}. A variable that is not set on the host is not passed.
 */
public final class PassedVariables {

    private PassedVariables() {
    }

    /** The host variables the names and globs pick, in the names' order (a glob's matches sorted by name). */
    public static Map<String, String> pick(List<String> namesOrGlobs, Map<String, String> host) {
        Map<String, String> picked = new LinkedHashMap<>();
        for (String item : namesOrGlobs) {
            if (item.contains("*") || item.contains("?") || item.contains("[")) {
                IdentifierPattern pattern = IdentifierPattern.parse(item);
                new TreeMap<>(host).forEach((name, value) -> {
                    if (pattern.matches(name)) {
                        picked.put(name, value);
                    }
                });
            } else if (host.containsKey(item)) {
                picked.put(item, host.get(item));
            }
        }
        return picked;
    }
}
