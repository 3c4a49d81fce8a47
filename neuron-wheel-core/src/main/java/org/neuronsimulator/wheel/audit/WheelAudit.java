package org.neuronsimulator.wheel.audit;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * The outcome of auditing one wheel, with what {@code auditwheel show --json} reports.
 *
 * @param wheel              the wheel's file name
 * @param policies           the policies of the wheel's libc and architecture
 * @param overallPolicy      the most compatible policy the wheel satisfies as it is
 * @param symbolPolicy       the best policy its symbol versions allow (external libraries included)
 * @param referencePolicy    the best policy with no external library left to bundle
 * @param blacklistPolicy    the best policy whose forbidden symbols the wheel does not import
 * @param machinePolicy      the best policy its instruction set level allows
 * @param versionedSymbols   library → sorted version names the wheel needs from it
 * @param externalLibraries  soname → resolved path (null when not found) of libraries the most
 *                           compatible policy would need bundled
 * @param policyUpgrades     policy tag → what keeps the wheel from it, for policies above the overall one
 * @param elfFiles           the ELF objects in the wheel
 * @param externalReferences wheel path → policy name → soname → resolved path (null when not found):
 *                           what repairing each object for each policy must bundle
 * @param resolvedLibraries  real path → library, for every external library found
 * @param notes              remarks on entries that were skipped
 */
public record WheelAudit(String wheel, PolicySet policies, Policy overallPolicy, Policy symbolPolicy,
                         Policy referencePolicy, Policy blacklistPolicy, Policy machinePolicy,
                         SortedMap<String, SortedSet<String>> versionedSymbols,
                         SortedMap<String, String> externalLibraries,
                         SortedMap<String, PolicyUpgrade> policyUpgrades, List<WheelElf> elfFiles,
                         Map<String, Map<String, SortedMap<String, String>>> externalReferences,
                         Map<String, ResolvedLibrary> resolvedLibraries, List<String> notes) {

    public String overallTag() {
        return overallPolicy.tag();
    }

    public String symbolTag() {
        return symbolPolicy.tag();
    }

    /** The best policy the wheel can reach by bundling its external libraries. */
    public Policy repairablePolicy() {
        Policy best = symbolPolicy;
        if (blacklistPolicy.priority() < best.priority()) {
            best = blacklistPolicy;
        }
        if (machinePolicy.priority() < best.priority()) {
            best = machinePolicy;
        }
        return best;
    }

    /** External sonames with no path: libraries this machine lacks. */
    public List<String> unresolvedLibraries() {
        return externalLibraries.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
    }
}
