package org.neuronsimulator.wheel.config;

/** Where an effective setting comes from; the pom wins over pyproject.toml, which wins over the default. */
public enum Origin {
    POM("pom"), PYPROJECT("pyproject.toml"), DEFAULT("default");

    private final String label;

    Origin(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
