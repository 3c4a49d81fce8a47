package org.neuronsimulator.wheel.builder.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * How container builds run: the image and its platform, when to pull, how many containers at once,
 * their network, the compiler and download caches, what to pass in and whether to keep containers for
 * debugging.
 *
 * @param image              the build image, e.g. {@code quay.io/pypa/manylinux2014_x86_64}
 * @param pullPolicy         when to pull it
 * @param platform           e.g. {@code linux/amd64}, {@code linux/arm64}; null for the engine's own
 * @param parallel           how many Pythons build at once, each in its own container (at least 1)
 * @param keepContainers     leave containers in place after the build (their names are reported)
 * @param cacheDirectory     compiler cache: a host folder (absolute or starting with {@code .} or {@code ~})
 *                           or the name of a Docker volume; null for none
 * @param passEnvironment    names of host variables handed to the build when set; a name with {@code *},
 *                           {@code ?} or {@code [} is a glob ({@code PIP_*})
 * @param extraInputs        host folders the build needs inside the container
 * @param mountExtraInputs   bind-mount extra inputs instead of copying when the engine is local
 * @param variant            the build variant
 * @param containerTimeout   limit for the non-build steps (copy, probe), independent of the build timeout
 * @param network            the containers' network
 * @param pipCache           pip's (and uv's) download cache shared by every Python and run: a host folder (as
 *                           {@code cacheDirectory}) or a Docker volume name; null: each container's own
 */
public record ContainerBuildOptions(String image, PullPolicy pullPolicy, String platform, int parallel,
                                    boolean keepContainers, String cacheDirectory, List<String> passEnvironment,
                                    List<ExtraInput> extraInputs, boolean mountExtraInputs, BuildVariant variant,
                                    Duration containerTimeout, ContainerNetwork network, String pipCache) {

    public ContainerBuildOptions {
        Objects.requireNonNull(image, "image");
        if (image.isBlank()) {
            throw new InvalidSettingException("neuron.image", "neuron.image is empty");
        }
        Objects.requireNonNull(pullPolicy, "pullPolicy");
        if (parallel < 1) {
            throw new InvalidSettingException("neuron.parallel", "neuron.parallel must be at least 1, not " + parallel);
        }
        passEnvironment = List.copyOf(passEnvironment);
        extraInputs = List.copyOf(extraInputs);
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(containerTimeout, "containerTimeout");
        Objects.requireNonNull(network, "network");
    }

    /** The named volume that holds the pip cache unless another is chosen. */
    public static final String DEFAULT_PIP_CACHE = "neuron-wheel-pip-cache";

    public static Builder builder(String image) {
        return new Builder(image);
    }

    /** True when {@link #cacheDirectory} names a host folder rather than a volume. */
    public boolean cacheIsHostFolder() {
        return isHostFolder(cacheDirectory);
    }

    /** True when {@link #pipCache} names a host folder rather than a volume. */
    public boolean pipCacheIsHostFolder() {
        return isHostFolder(pipCache);
    }

    static boolean isHostFolder(String cache) {
        return cache != null && (cache.startsWith("/") || cache.startsWith(".") || cache.startsWith("~")
                || cache.contains("/") || cache.contains("\\"));
    }

    /**
     * Fluent construction with defaults: pull missing, one container, no compiler cache, the engine's default
     * network, the pip cache in the volume {@value #DEFAULT_PIP_CACHE}, no variant.
     */
    public static final class Builder {
        private final String image;
        private PullPolicy pullPolicy = PullPolicy.MISSING;
        private String platform;
        private int parallel = 1;
        private boolean keepContainers;
        private String cacheDirectory;
        private final List<String> passEnvironment = new ArrayList<>();
        private final List<ExtraInput> extraInputs = new ArrayList<>();
        private boolean mountExtraInputs;
        private BuildVariant variant = BuildVariant.NONE;
        private Duration containerTimeout = Duration.ofMinutes(10);
        private ContainerNetwork network = ContainerNetwork.DEFAULT;
        private String pipCache = DEFAULT_PIP_CACHE;

        private Builder(String image) {
            this.image = image;
        }

        public Builder pullPolicy(PullPolicy value) {
            pullPolicy = value;
            return this;
        }

        public Builder platform(String value) {
            platform = value == null || value.isBlank() ? null : value.trim();
            return this;
        }

        public Builder parallel(int value) {
            parallel = value;
            return this;
        }

        public Builder keepContainers(boolean value) {
            keepContainers = value;
            return this;
        }

        public Builder cacheDirectory(String value) {
            cacheDirectory = value == null || value.isBlank() ? null : value.trim();
            return this;
        }

        public Builder passEnvironment(List<String> names) {
            for (String name : names) {
                if (name != null && !name.isBlank()) {
                    passEnvironment.add(name.trim());
                }
            }
            return this;
        }

        public Builder extraInput(ExtraInput input) {
            extraInputs.add(input);
            return this;
        }

        public Builder mountExtraInputs(boolean value) {
            mountExtraInputs = value;
            return this;
        }

        public Builder variant(BuildVariant value) {
            variant = value;
            return this;
        }

        public Builder containerTimeout(Duration value) {
            containerTimeout = value;
            return this;
        }

        public Builder network(ContainerNetwork value) {
            network = value;
            return this;
        }

        /** A host folder or volume name; {@code none} or blank for no shared cache. */
        public Builder pipCache(String value) {
            pipCache = value == null || value.isBlank() || value.strip().equalsIgnoreCase("none") ? null : value.strip();
            return this;
        }

        public ContainerBuildOptions build() {
            return new ContainerBuildOptions(image, pullPolicy, platform, parallel, keepContainers, cacheDirectory,
                    passEnvironment, extraInputs, mountExtraInputs, variant, containerTimeout, network, pipCache);
        }
    }
}
