package org.neuronsimulator.wheel.model;

/** A wheel filename that does not follow the binary distribution format's naming rules. */
public class InvalidWheelFileNameException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Which part of the filename is wrong. */
    public enum Reason {
        EXTENSION, PARTS, NAME, VERSION, BUILD_TAG, TAGS
    }

    private final String filename;
    private final Reason reason;

    public InvalidWheelFileNameException(String filename, Reason reason, String detail) {
        this(filename, reason, detail, null);
    }

    public InvalidWheelFileNameException(String filename, Reason reason, String detail, Throwable cause) {
        super("Invalid wheel filename '" + filename + "': " + detail, cause);
        this.filename = filename;
        this.reason = reason;
    }

    public String filename() {
        return filename;
    }

    public Reason reason() {
        return reason;
    }
}
