package org.neuronsimulator.wheel.testing;

import java.util.List;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * One MPI implementation the MPI commands run under: its launcher prefix ({@code srun -n 2},
 * {@code mpiexec -n 2}) and the environment modules that provide it ({@code hpe-mpi}), loaded on top
 * of the run's own modules. Its reports are named {@code mpi[NAME]}.
 *
 * @param name     a short name for reports and variant environments, e.g. {@code hpe-mpi}
 * @param launcher the launcher prefix
 * @param modules  modules loaded for this variant only; empty for none
 */
public record MpiVariant(String name, String launcher, List<String> modules) {

    public MpiVariant {
        launcher = launcher == null ? "" : launcher.strip();
        if (launcher.isEmpty()) {
            throw new InvalidSettingException("mpiVariants", "an MPI variant" + (name == null || name.isBlank() ? "" : " (" + name + ")")
                    + " has no launcher (e.g. srun -n 2 or mpiexec -n 2)");
        }
        name = name == null || name.isBlank() ? launcher : name.strip();
        modules = modules == null ? List.of() : modules.stream().filter(m -> m != null && !m.isBlank())
                .map(String::strip).toList();
    }

    /** A variant named after its launcher, without modules (what {@code mpiLaunchers} configures). */
    public static MpiVariant ofLauncher(String launcher) {
        return new MpiVariant(launcher, launcher, List.of());
    }

    /** The report and variant-environment name: {@code mpi[NAME]}. */
    public String variantName() {
        return "mpi[" + name + "]";
    }
}
