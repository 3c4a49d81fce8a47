package org.neuronsimulator.wheel.builder.container;

import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * An image that cannot serve the requested platform: built for another architecture, or foreign to an
 * engine that has no emulator for it. A user error: the image or the platform must change.
 */
public class PlatformMismatchException extends InvalidSettingException {

    private static final long serialVersionUID = 1L;

    public PlatformMismatchException(String message) {
        super("neuron.docker.platform", message);
    }
}
