package org.neuronsimulator.wheel.model;

/** A {@code METADATA}, {@code WHEEL} or {@code RECORD} file that does not parse or lacks a required field. */
public class InvalidMetadataException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String sourceName;

    public InvalidMetadataException(String sourceName, int line, String reason) {
        super(sourceName + ", line " + line + ": " + reason);
        this.sourceName = sourceName;
    }

    public InvalidMetadataException(String sourceName, String reason) {
        this(sourceName, reason, null);
    }

    public InvalidMetadataException(String sourceName, String reason, Throwable cause) {
        super(sourceName + ": " + reason, cause);
        this.sourceName = sourceName;
    }

    /** The file (or entry) the text came from. */
    public String sourceName() {
        return sourceName;
    }
}
