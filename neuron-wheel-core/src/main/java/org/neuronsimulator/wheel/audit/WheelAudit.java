package org.neuronsimulator.wheel.audit;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * The outcome of auditing one wheel, with what {@code auditwheel show --json} reports.
 *
 * @param wheel                     the wheel's file name
 * @param policies                  the policies of the wheel's libc and architecture
 * @param overallPolicy             the most compatible policy the wheel satisfies as it is
 * @param symbolPolicy              the best policy its symbol versions allow (external libraries included)
 * @param referencePolicy           the best policy with no external library left to bundle
 * @param blacklistPolicy           the best policy whose forbidden symbols the wheel does not import
 * @param machinePolicy             the best policy its instruction set level allows
 * @param pyfpePolicy               {@code linux} when an extension imports fpectl symbols, else the highest
 * @param versionedSymbols          library → sorted version names the wheel needs from it
 * @param externalLibraries         soname → resolved path (null when not found) of libraries the most
 *                                  compatible policy would need bundled
 * @param externalLibrariesByPolicy policy name → soname → resolved path: what each policy needs bundled
 * @param policyUpgrades            policy tag → what keeps the wheel from it, for policies above the overall one
 * @param elfFiles                  the ELF objects in the wheel that fit its architecture
 * @param externalReferences        wheel path → policy name → soname → resolved path (null when not found):
 *                                  what repairing each object for each policy must bundle
 * @param resolvedLibraries         real path → library, for every external library found
 * @param notes                     remarks on entries that were skipped and rules that lowered the tag
 */
public record WheelAudit(String wheel, PolicySet policies, Policy overallPolicy, Policy symbolPolicy,
                         Policy referencePolicy, Policy blacklistPolicy, Policy machinePolicy, Policy pyfpePolicy,
                         SortedMap<String, SortedSet<String>> versionedSymbols,
                         SortedMap<String, String> externalLibraries,
                         Map<String, SortedMap<String, String>> externalLibrariesByPolicy,
                         SortedMap<String, PolicyUpgrade> policyUpgrades, List<WheelElf> elfFiles,
                         Map<String, Map<String, SortedMap<String, String>>> externalReferences,
                         Map<String, ResolvedLibrary> resolvedLibraries, List<String> notes) {

    public String overallTag() {
        return overallPolicy.tag();
    }

    public String symbolTag() {
        return symbolPolicy.tag();
    }

    /** Whether an extension imports fpectl symbols, which no manylinux or musllinux policy allows. */
    public boolean usesFpectl() {
        return pyfpePolicy.isGenericLinux() && !policies.highest().isGenericLinux();
    }

    /**
     * The best policy that needs no more bundled libraries than the fewest any policy of the
     * requested family needs: bundling is not stretched to reach a more compatible tag. With no
     * request ({@code null}), the fewest over all policies.
     *
     * @param requested a canonical policy name without architecture ({@code manylinux_2_17}), or null
     */
    public Policy graftPolicy(String requested) {
        int fewest = Integer.MAX_VALUE;
        for (Policy p : policies.all()) {
            boolean counts = requested == null ? !p.isGenericLinux() : p.name().equals(requested);
            if (counts) {
                fewest = Math.min(fewest, externalLibrariesByPolicy.get(p.name()).size());
            }
        }
        if (fewest == Integer.MAX_VALUE) {
            fewest = 0;
        }
        for (Policy p : policies.all()) {
            if (externalLibrariesByPolicy.get(p.name()).size() <= fewest) {
                return p;
            }
        }
        return policies.linux();
    }

    /** The best policy bundling can reach without a request: what symbols, imports and ISA allow. */
    public Policy repairablePolicy() {
        return repairablePolicy(null);
    }

    /** The best policy bundling can reach when repairing for {@code requested} (canonical name or null). */
    public Policy repairablePolicy(String requested) {
        Policy best = symbolPolicy;
        for (Policy p : List.of(blacklistPolicy, machinePolicy, pyfpePolicy, graftPolicy(requested))) {
            if (p.priority() < best.priority()) {
                best = p;
            }
        }
        return best;
    }

    /** External sonames with no path: libraries this machine lacks (libpython, which repair removes, aside). */
    public List<String> unresolvedLibraries() {
        return externalLibraries.entrySet().stream()
                .filter(e -> e.getValue() == null && !WheelAuditor.isLibpython(e.getKey()))
                .map(Map.Entry::getKey).toList();
    }
}
