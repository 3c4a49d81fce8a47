package org.neuronsimulator.wheel.maven;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Environment variables for one test variant, as configured in the pom:
 * {@code <variantEnvironment><variant>serial</variant><variables><SKIP_EMBEDED_PYTHON_TEST>true</SKIP_EMBEDED_PYTHON_TEST></variables></variantEnvironment>}.
 * The variant is a kind ({@code serial}, {@code mpi}, {@code gpu}) or a full name such as
 * {@code mpi[mpiexec.openmpi -n 2]}.
 */
public class VariantEnvironment {

    private String variant;
    private Map<String, String> variables = new LinkedHashMap<>();

    public String getVariant() {
        return variant;
    }

    public void setVariant(String variant) {
        this.variant = variant;
    }

    public Map<String, String> getVariables() {
        return variables;
    }

    public void setVariables(Map<String, String> variables) {
        this.variables = variables;
    }
}
