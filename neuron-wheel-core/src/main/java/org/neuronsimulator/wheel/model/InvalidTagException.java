package org.neuronsimulator.wheel.model;

/** A compatibility tag (or compressed tag set) that does not parse. */
public class InvalidTagException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidTagException(String tag, String reason) {
        super("Invalid tag '" + tag + "': " + reason);
    }
}
