package org.neuronsimulator.wheel.maven;

import java.util.ArrayList;
import java.util.List;

/**
 * One MPI variant as configured in the pom, with the launcher and the modules of that MPI:
 * {@code <mpiVariant><name>hpe-mpi</name><launcher>srun -n 2</launcher><modules><module>hpe-mpi</module></modules></mpiVariant>}.
 * Its reports are named {@code mpi[NAME]}; a {@code <variantEnvironment>} of that name adds variables.
 */
public class MpiVariantConfig {

    private String name;
    private String launcher;
    private List<String> modules = new ArrayList<>();

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getLauncher() {
        return launcher;
    }

    public void setLauncher(String launcher) {
        this.launcher = launcher;
    }

    public List<String> getModules() {
        return modules;
    }

    public void setModules(List<String> modules) {
        this.modules = modules;
    }
}
