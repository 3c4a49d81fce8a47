package org.neuronsimulator.wheel.testing;

import java.time.Duration;
import java.util.List;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * How a test run uses a cluster: an allocation command wrapping the whole run, and environment modules
 * loaded before anything else (as on NEURON's BB5: {@code salloc ...}, {@code module load ...},
 * then the tests).
 *
 * @param allocation   a shell line that runs a command inside a new allocation, e.g.
 *                     {@code salloc -N1 -n2 --time=00:20:00}; null for none
 * @param modules      modules to load, e.g. {@code python/3.11}, {@code nvhpc}, {@code hpe-mpi}
 * @param purgeModules run {@code module purge} before loading
 * @param modulePaths  folders of modulefiles added with {@code module use} before loading
 * @param moduleInit   the module system's sh initialisation; null to find it ({@code $MODULESHOME/init/sh},
 *                     Lmod's and Environment Modules' usual places)
 * @param allocationWait how long the allocation may pend in the queue before the run fails; null for the
 *                     test timeout, at least 20 minutes
 */
public record ClusterOptions(String allocation, List<String> modules, boolean purgeModules, List<String> modulePaths,
                             String moduleInit, Duration allocationWait) {

    public static final ClusterOptions NONE = new ClusterOptions(null, List.of(), false, List.of(), null);

    /** Options whose allocation waits as long as the default allows. */
    public ClusterOptions(String allocation, List<String> modules, boolean purgeModules, List<String> modulePaths,
                          String moduleInit) {
        this(allocation, modules, purgeModules, modulePaths, moduleInit, null);
    }

    public ClusterOptions {
        allocation = allocation == null || allocation.isBlank() ? null : allocation.strip();
        modules = modules == null ? List.of() : modules.stream().filter(m -> m != null && !m.isBlank())
                .map(String::strip).toList();
        modulePaths = modulePaths == null ? List.of() : modulePaths.stream().filter(m -> m != null && !m.isBlank())
                .map(String::strip).toList();
        moduleInit = moduleInit == null || moduleInit.isBlank() ? null : moduleInit.strip();
        if (allocationWait != null && (allocationWait.isNegative() || allocationWait.isZero())) {
            throw new InvalidSettingException("neuron.test.allocationWaitMinutes",
                    "neuron.test.allocationWaitMinutes must be positive, not " + allocationWait.toMinutes());
        }
    }

    /** Whether modules are loaded (or purged) before the run. */
    public boolean usesModules() {
        return !modules.isEmpty() || purgeModules || !modulePaths.isEmpty();
    }

    /** Whether anything cluster-like is asked for. */
    public boolean isEmpty() {
        return allocation == null && !usesModules();
    }
}
