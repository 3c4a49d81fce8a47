package org.neuronsimulator.wheel.maven;

import org.apache.maven.plugins.annotations.Parameter;

/**
 * The parameters of goals that talk to a Docker engine, and of the wheel goal, which reads the build containers'
 * platform to choose pyproject.toml's options for it.
 */
public abstract class DockerMojo extends NeuronMojo {

    /** Docker engine address (e.g. {@code tcp://build-host:2375}); unset: DOCKER_HOST, the Docker context, the default socket. */
    @Parameter(property = "neuron.docker.host")
    String dockerHost;

    /**
     * Platform of the containers or image, e.g. {@code linux/amd64} or {@code linux/arm64}; unset: the engine's. It also
     * chooses pyproject.toml's options for that architecture (e.g. {@code manylinux-aarch64-image}).
     */
    @Parameter(property = "neuron.docker.platform")
    String dockerPlatform;

    /** Maven's offline switch: images are then never pulled. */
    @Parameter(defaultValue = "${settings.offline}", readonly = true)
    boolean offline;
}
