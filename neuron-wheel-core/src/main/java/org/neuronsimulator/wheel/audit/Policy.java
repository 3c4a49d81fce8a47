package org.neuronsimulator.wheel.audit;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One platform policy for one architecture: what a wheel tagged with it may use.
 *
 * @param name           canonical name without architecture, e.g. {@code manylinux_2_17}, or {@code linux}
 * @param architecture   e.g. {@code x86_64}
 * @param priority       higher is more widely compatible; {@code linux} is 0
 * @param aliases        legacy names without architecture, e.g. {@code manylinux2014}
 * @param libraries      sonames a wheel may need without bundling them
 * @param symbolVersions version prefix (GLIBC, GLIBCXX, ...) → allowed version names
 * @param blacklist      soname → symbols that must not be imported from it
 */
public record Policy(String name, String architecture, int priority, List<String> aliases, Set<String> libraries,
                     Map<String, Set<String>> symbolVersions, Map<String, Set<String>> blacklist)
        implements Comparable<Policy> {

    /** The platform tag, e.g. {@code manylinux_2_17_x86_64}. */
    public String tag() {
        return name + "_" + architecture;
    }

    /** The tag followed by its legacy aliases, e.g. {@code manylinux_2_17_x86_64, manylinux2014_x86_64}. */
    public List<String> tags() {
        java.util.ArrayList<String> tags = new java.util.ArrayList<>();
        tags.add(tag());
        for (String alias : aliases) {
            tags.add(alias + "_" + architecture);
        }
        return List.copyOf(tags);
    }

    public boolean isGenericLinux() {
        return priority == 0;
    }

    /**
     * Whether these version requirements are allowed: for every prefix this policy lists, the
     * versions needed under it must all be allowed. Prefixes it does not list are not constrained.
     */
    public boolean admits(Map<String, ? extends java.util.Collection<String>> versionsByPrefix) {
        if (isGenericLinux()) {
            return true;
        }
        for (Map.Entry<String, ? extends java.util.Collection<String>> e : versionsByPrefix.entrySet()) {
            Set<String> allowed = symbolVersions.get(e.getKey());
            if (allowed != null && !allowed.containsAll(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(Policy other) {
        return Integer.compare(priority, other.priority);
    }

    @Override
    public String toString() {
        return tag();
    }
}
