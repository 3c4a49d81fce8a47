package org.neuronsimulator.wheel.model;

/** A version string that is not a valid PEP 440 version. */
public class InvalidVersionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String input;

    public InvalidVersionException(String input, String reason) {
        super("Invalid version '" + input + "': " + reason);
        this.input = input;
    }

    /** The text that failed to parse. */
    public String input() {
        return input;
    }
}
