package org.neuronsimulator.wheel.audit;

/** A wheel that cannot be audited (not a zip, a malformed ELF inside it, no binaries), with the reason. */
public class WheelAuditException extends Exception {

    public WheelAuditException(String message) {
        super(message);
    }

    public WheelAuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
