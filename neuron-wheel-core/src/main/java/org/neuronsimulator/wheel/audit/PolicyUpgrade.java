package org.neuronsimulator.wheel.audit;

import java.util.List;
import java.util.SortedMap;

/**
 * What stands between a wheel and a more compatible policy.
 *
 * @param librariesToEliminate external sonames that policy does not allow
 * @param blacklistedSymbols   soname → imported symbols that policy forbids
 */
public record PolicyUpgrade(List<String> librariesToEliminate, SortedMap<String, List<String>> blacklistedSymbols) {
}
