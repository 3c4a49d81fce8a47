package org.neuronsimulator.wheel.repair;

/** A wheel that cannot reach the requested platform, or cannot be repaired, with the reason. */
public class WheelRepairException extends Exception {

    public WheelRepairException(String message) {
        super(message);
    }

    public WheelRepairException(String message, Throwable cause) {
        super(message, cause);
    }
}
