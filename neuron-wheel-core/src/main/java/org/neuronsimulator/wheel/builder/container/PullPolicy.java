package org.neuronsimulator.wheel.builder.container;

import java.util.Locale;
import org.neuronsimulator.wheel.InvalidSettingException;

/** When the build image is pulled from its registry. */
public enum PullPolicy {
    /** Pull before every build, so that a moving tag like {@code latest} is current. */
    ALWAYS,
    /** Pull only when the engine does not have the image. */
    MISSING,
    /** Never pull; the image must be present (built locally or loaded). */
    NEVER;

    /** @throws IllegalArgumentException naming the accepted values */
    public static PullPolicy parse(String text) {
        if (text == null || text.isBlank()) {
            return MISSING;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("neuron.pull", "neuron.pull: '" + text + "' is not a pull policy (always, missing, never)");
        }
    }
}
