package org.neuronsimulator.wheel.pipeline;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.builder.container.DockerEngine;
import org.neuronsimulator.wheel.builder.container.DockerUnavailableException;
import org.neuronsimulator.wheel.builder.container.ImageBuilder;
import org.neuronsimulator.wheel.builder.container.RegistryCredentials;

/**
 * Builds the builder image under its tags, pushes them when asked, and then pushes a multi-platform manifest list
 * naming single-platform images of one repository; without tags only the list is pushed.
 */
public final class ImageRelease {

    /**
     * What an image release needs; the settings are checked when made, before any engine is asked.
     *
     * @param build         the Dockerfile, context, arguments and tags (no tags: nothing is built)
     * @param push          whether every tag is pushed after the build
     * @param manifest      a manifest list to push afterwards; null or blank: none
     * @param listed        the images the list names; empty: the tags
     * @param credentials   registry credentials (their registry is set per tag); null: the Docker config file's
     * @param dockerHost    the engine's address; null: the environment's
     */
    public record Settings(ImageBuilder.Request build, boolean push, String manifest, List<String> listed,
                           RegistryCredentials credentials, String dockerHost) {

        public Settings {
            manifest = manifest == null || manifest.isBlank() ? null : manifest.strip();
            listed = listed == null || listed.isEmpty() ? build.tags() : List.copyOf(listed);
            if (build.tags().isEmpty() && manifest == null) {
                throw new InvalidSettingException("neuron.image.tags", "neuron.image.tags names no image to build"
                        + " (e.g. neuronsimulator/neuron_wheel:latest-x86_64), and neuron.image.manifest no manifest list to push");
            }
            if (manifest != null && !build.tags().isEmpty() && !push) {
                throw new InvalidSettingException("neuron.image.push", "neuron.image.manifest lists images of the registry:"
                        + " set neuron.image.push=true so that the images built here get there first");
            }
        }

        /** These settings with registry credentials. */
        public Settings withCredentials(RegistryCredentials value) {
            return new Settings(build, push, manifest, listed, value, dockerHost);
        }

        /** Whether the registry is needed (pushing tags or a list). */
        public boolean needsNetwork() {
            return push || manifest != null;
        }
    }

    private final Settings settings;
    private final Map<String, String> environment;
    private final Reporter reporter;

    public ImageRelease(Settings settings, Map<String, String> environment, Reporter reporter) {
        this.settings = settings;
        this.environment = environment;
        this.reporter = reporter;
    }

    /**
     * Builds, pushes and lists.
     *
     * @throws InvalidSettingException the Dockerfile, context, a tag or the list cannot be used
     * @throws DockerUnavailableException no Docker engine answers
     * @throws IOException the build or a push failed
     */
    public void run() throws IOException {
        List<String> tags = settings.build().tags();
        try (DockerEngine engine = DockerEngine.connect(settings.dockerHost(), environment)) {
            ImageBuilder builder = new ImageBuilder(engine, reporter);
            if (!tags.isEmpty()) {
                builder.build(settings.build());
            }
            RegistryCredentials credentials = settings.credentials();
            if (settings.push()) {
                for (String tag : tags) {
                    builder.push(tag, credentials == null ? null
                            : new RegistryCredentials(credentials.username(), credentials.password(), registryOf(tag)));
                }
            }
            if (settings.manifest() != null) {
                builder.pushManifestList(settings.manifest(), settings.listed(), credentials);
            }
        }
    }

    /** The registry host of an image name ({@code quay.io/pypa/x:1} → {@code quay.io}); null for Docker Hub. */
    public static String registryOf(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String first = image.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : null;
    }
}
