package org.neuronsimulator.wheel.testing;

import java.util.List;
import java.util.Objects;
import org.neuronsimulator.wheel.builder.container.ExtraInput;
import org.neuronsimulator.wheel.builder.container.PullPolicy;

/**
 * Testing inside a container of an image instead of on this machine.
 *
 * @param image         the image, e.g. {@code quay.io/pypa/manylinux2014_x86_64}
 * @param pullPolicy    when the image is pulled
 * @param platform      e.g. {@code linux/arm64}; null: the engine's
 * @param keepContainer leave the container in place after the tests (its name is printed)
 * @param extraInputs   host folders copied in before the tests, e.g. a folder of requirement wheels
 *                      for {@code pip --no-index --find-links} (the container has no network)
 */
public record ImageTestOptions(String image, PullPolicy pullPolicy, String platform, boolean keepContainer,
                               List<ExtraInput> extraInputs) {

    public ImageTestOptions {
        Objects.requireNonNull(image, "image");
        if (image.isBlank()) {
            throw new IllegalArgumentException("neuron.test.image is blank");
        }
        Objects.requireNonNull(pullPolicy, "pullPolicy");
        platform = platform == null || platform.isBlank() ? null : platform.strip();
        extraInputs = List.copyOf(extraInputs);
    }

    public ImageTestOptions(String image) {
        this(image, PullPolicy.MISSING, null, false, List.of());
    }
}
