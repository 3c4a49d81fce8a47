package org.neuronsimulator.wheel.maven;

import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.neuronsimulator.wheel.builder.container.ImageBuilder;
import org.neuronsimulator.wheel.builder.container.RegistryCredentials;
import org.neuronsimulator.wheel.config.SettingValues;
import org.neuronsimulator.wheel.pipeline.ImageRelease;

/**
 * Builds the builder image from a Dockerfile and context folder with build arguments and tags
 * (e.g. {@code MANYLINUX_IMAGE=manylinux2014_aarch64}, {@code neuronsimulator/neuron_wheel:latest-aarch64}),
 * for {@code neuron.docker.platform} when set (another architecture builds under the engine's emulation),
 * and pushes the tags when asked, with credentials from a settings.xml {@code <server>} or the
 * Docker config file. With {@code neuron.image.manifest} it then pushes a multi-platform manifest list
 * naming single-platform images of the same repository ({@code latest} for {@code latest-x86_64} and
 * {@code latest-aarch64}); without tags it only pushes that list.
 */
@Mojo(name = "image", requiresProject = false, threadSafe = true)
public class ImageMojo extends DockerMojo {

    /** The Dockerfile. */
    @Parameter(property = "neuron.image.dockerfile", defaultValue = "${basedir}/Dockerfile")
    File dockerfile;

    /** The build context folder (holds the Dockerfile). */
    @Parameter(property = "neuron.image.context", defaultValue = "${basedir}")
    File contextDirectory;

    /**
     * Image names with tags, e.g. {@code neuronsimulator/neuron_wheel:latest-x86_64}; comma-separated on the command line.
     * Empty with {@code neuron.image.manifest}: nothing is built, only the manifest list is pushed.
     */
    @Parameter(property = "neuron.image.tags")
    List<String> tags = List.of();

    /** Build arguments ({@code <MANYLINUX_IMAGE>manylinux2014_aarch64</MANYLINUX_IMAGE>}). */
    @Parameter
    Map<String, String> buildArgs = Map.of();

    /** Build arguments as {@code NAME=value}, comma-separated, added to {@code buildArgs} (for the command line). */
    @Parameter(property = "neuron.image.buildArgs")
    List<String> buildArgList = List.of();

    /** Always pull a newer version of the base image. */
    @Parameter(property = "neuron.image.pull", defaultValue = "false")
    boolean pullBase;

    /** Build without the layer cache. */
    @Parameter(property = "neuron.image.noCache", defaultValue = "false")
    boolean noCache;

    /** Network for RUN steps ({@code none}, {@code host}, ...); unset: the engine's default. */
    @Parameter(property = "neuron.image.network")
    String network;

    /** Push every tag after the build. */
    @Parameter(property = "neuron.image.push", defaultValue = "false")
    boolean push;

    /** The settings.xml {@code <server>} whose user name and (decrypted) password log in to the registry; unset: the Docker config file. */
    @Parameter(property = "neuron.image.serverId")
    String serverId;

    /**
     * A multi-platform manifest list to push after the build and push, e.g. {@code neuronsimulator/neuron_wheel:latest};
     * it names the images of {@code neuron.image.manifestImages}.
     */
    @Parameter(property = "neuron.image.manifest")
    String manifest;

    /**
     * The single-platform images the manifest list names, in its repository and already pushed (by this run or an
     * earlier one, e.g. on an aarch64 machine), e.g. {@code neuronsimulator/neuron_wheel:latest-x86_64,neuronsimulator/neuron_wheel:latest-aarch64};
     * comma-separated. Empty: the tags this run pushes.
     */
    @Parameter(property = "neuron.image.manifestImages")
    List<String> manifestImages = List.of();

    @Parameter(defaultValue = "${settings}", readonly = true)
    Settings settings;

    private final SettingsDecrypter decrypter;

    @Inject
    public ImageMojo(SettingsDecrypter decrypter) {
        this.decrypter = decrypter;
    }

    @Override
    void run() throws IOException, MojoFailureException {
        ImageRelease.Settings release = settings();
        if (release.needsNetwork() && offline) {
            throw new MojoFailureException((push ? "neuron.image.push" : "neuron.image.manifest")
                    + " needs the network, but Maven runs offline (-o)");
        }
        new ImageRelease(release, System.getenv(), reporter()).run();
    }

    @Override
    String skippedWork() {
        return "no image built";
    }

    /** The parameters, and the settings.xml server's decrypted credentials, as core's image settings. */
    ImageRelease.Settings settings() throws MojoFailureException {
        Map<String, String> arguments = new LinkedHashMap<>(buildArgs == null ? Map.of() : buildArgs);
        arguments.putAll(SettingValues.assignments("neuron.image.buildArgs", buildArgList));
        ImageRelease.Settings release = new ImageRelease.Settings(new ImageBuilder.Request(contextDirectory.toPath(),
                dockerfile.toPath(), arguments, SettingValues.list(tags), dockerPlatform, pullBase, noCache, network), push,
                manifest, SettingValues.list(manifestImages), null, dockerHost);
        return release.needsNetwork() ? release.withCredentials(credentials()) : release;
    }

    /** The settings.xml server's credentials, decrypted; null to let the Docker config file answer. */
    RegistryCredentials credentials() throws MojoFailureException {
        if (serverId == null || serverId.isBlank()) {
            return null;
        }
        Server decrypted = SettingsServers.decrypted(settings, decrypter, "neuron.image.serverId", serverId);
        if (decrypted.getUsername() == null || decrypted.getPassword() == null) {
            throw new MojoFailureException("settings.xml server '" + serverId + "' needs <username> and <password>");
        }
        return new RegistryCredentials(decrypted.getUsername(), decrypted.getPassword(), null);
    }
}
