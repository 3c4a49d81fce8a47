package org.neuronsimulator.wheel.audit;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The policies of one libc family for one architecture, most compatible first, ending with the
 * generic {@code linux} policy.
 */
public final class PolicySet {

    private final Libc libc;
    private final String architecture;
    private final List<Policy> policies;

    PolicySet(Libc libc, String architecture, List<Policy> policies) {
        this.libc = libc;
        this.architecture = architecture;
        this.policies = List.copyOf(policies);
    }

    public Libc libc() {
        return libc;
    }

    public String architecture() {
        return architecture;
    }

    /** All policies, highest priority first; the last one is {@code linux}. */
    public List<Policy> all() {
        return policies;
    }

    public Policy highest() {
        return policies.get(0);
    }

    /** The least compatible policy other than {@code linux} (or {@code linux} when there is none). */
    public Policy lowestNonGeneric() {
        return policies.size() > 1 ? policies.get(policies.size() - 2) : linux();
    }

    public Policy linux() {
        return policies.get(policies.size() - 1);
    }

    /**
     * Finds a policy by canonical name or alias, with or without the architecture suffix
     * ({@code manylinux2014}, {@code manylinux_2_28_x86_64}).
     */
    public Optional<Policy> find(String name) {
        String suffix = "_" + architecture;
        String bare = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
        for (Policy p : policies) {
            if (p.name().equals(bare) || p.aliases().contains(bare)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Groups version names by prefix: {@code GLIBC_2.17} → {@code GLIBC} / {@code 2.17}. */
    public static Map<String, Set<String>> byPrefix(Map<String, ? extends Collection<String>> versionsByLibrary) {
        Map<String, Set<String>> result = new TreeMap<>();
        for (Collection<String> versions : versionsByLibrary.values()) {
            for (String version : versions) {
                int cut = version.indexOf('_');
                String prefix = cut < 0 ? version : version.substring(0, cut);
                String rest = cut < 0 ? "" : version.substring(cut + 1);
                result.computeIfAbsent(prefix, k -> new TreeSet<>()).add(rest);
            }
        }
        return result;
    }

    /** The most compatible policy that admits these version requirements (library → versions). */
    public Policy symbolPolicy(Map<String, ? extends Collection<String>> versionsByLibrary) {
        Map<String, Set<String>> needed = byPrefix(versionsByLibrary);
        for (Policy p : policies) {
            if (p.admits(needed)) {
                return p;
            }
        }
        return linux();
    }

    /**
     * The version names (full, e.g. {@code GLIBC_2.34}) that keep {@code policy} from admitting
     * the requirements.
     */
    public static Set<String> versionsBeyond(Policy policy, Map<String, ? extends Collection<String>> versionsByLibrary) {
        Set<String> beyond = new TreeSet<>();
        Map<String, Set<String>> needed = byPrefix(versionsByLibrary);
        for (Map.Entry<String, Set<String>> e : needed.entrySet()) {
            Set<String> allowed = policy.symbolVersions().get(e.getKey());
            if (allowed == null) {
                continue;
            }
            for (String v : e.getValue()) {
                if (!allowed.contains(v)) {
                    beyond.add(e.getKey() + "_" + v);
                }
            }
        }
        return beyond;
    }
}
