package org.neuronsimulator.wheel.testing;

import java.util.List;
import java.util.Objects;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.builder.container.ContainerNetwork;
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
 *                      for {@code pip --no-index --find-links} when the container has no network
 * @param network       the container's network
 */
public record ImageTestOptions(String image, PullPolicy pullPolicy, String platform, boolean keepContainer,
                               List<ExtraInput> extraInputs, ContainerNetwork network) {

    public ImageTestOptions {
        Objects.requireNonNull(image, "image");
        if (image.isBlank()) {
            throw new InvalidSettingException("neuron.test.image", "neuron.test.image is blank");
        }
        Objects.requireNonNull(pullPolicy, "pullPolicy");
        platform = platform == null || platform.isBlank() ? null : platform.strip();
        extraInputs = List.copyOf(extraInputs);
        Objects.requireNonNull(network, "network");
    }

    /** Without network, as hermetic tests run. */
    public ImageTestOptions(String image, PullPolicy pullPolicy, String platform, boolean keepContainer,
                            List<ExtraInput> extraInputs) {
        this(image, pullPolicy, platform, keepContainer, extraInputs, ContainerNetwork.NONE);
    }

    public ImageTestOptions(String image) {
        this(image, PullPolicy.MISSING, null, false, List.of());
    }
}
