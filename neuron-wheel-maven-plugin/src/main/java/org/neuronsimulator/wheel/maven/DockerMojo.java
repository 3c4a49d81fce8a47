package org.neuronsimulator.wheel.maven;

import java.io.IOException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.IoProblems;
import org.neuronsimulator.wheel.builder.container.DockerEngine;
import org.neuronsimulator.wheel.builder.container.DockerUnavailableException;

/** The parameters of goals that talk to a Docker engine, and the connection to it. */
public abstract class DockerMojo extends AbstractMojo {

    /** Docker engine address (e.g. {@code tcp://build-host:2375}); unset: DOCKER_HOST, the Docker context, the default socket. */
    @Parameter(property = "neuron.docker.host")
    String dockerHost;

    /** Platform of the containers or image, e.g. {@code linux/amd64} or {@code linux/arm64}; unset: the engine's. */
    @Parameter(property = "neuron.docker.platform")
    String dockerPlatform;

    /** Maven's offline switch: images are then never pulled. */
    @Parameter(defaultValue = "${settings.offline}", readonly = true)
    boolean offline;

    /** Connects to the engine; the caller closes it. An engine that does not answer fails the build as an error. */
    DockerEngine connectDocker() throws MojoExecutionException, MojoFailureException {
        return connectDocker(dockerHost);
    }

    /** Connects to the engine at an address (null: the environment's), e.g. Podman's socket named by pyproject.toml. */
    DockerEngine connectDocker(String host) throws MojoExecutionException, MojoFailureException {
        try {
            return DockerEngine.connect(host, System.getenv());
        } catch (DockerUnavailableException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoFailureException("cannot tell which Docker engine to use: " + IoProblems.describe(e), e);
        }
    }
}
