package org.neuronsimulator.wheel.maven;

import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.builder.container.PullPolicy;
import org.neuronsimulator.wheel.pipeline.WheelBuild;

/**
 * The parameters of goals that run their work for a Python project in containers of an image (or on this machine):
 * the Pythons, pulling the image, keeping the containers, their network and the host variables they get.
 */
public abstract class ContainerMojo extends ProjectMojo {

    /**
     * Which Pythons: {@code 3.11}, {@code 311}, {@code cp312}, {@code 3*}, paths; comma-separated. Empty: {@code python3}
     * on the PATH, or every CPython of the image the goal runs in.
     */
    @Parameter(property = "neuron.python")
    String python;

    /**
     * The containers' network: {@code default} (the engine's default network, as {@code docker run}), {@code none}
     * (hermetic), {@code host}, or a network made with {@code docker network create}. Unset: {@code default}, or
     * what pyproject.toml's {@code container-engine} create-args say.
     */
    @Parameter(property = "neuron.network")
    String network;

    /**
     * Host environment variables handed to the containers when set: names or globs such as {@code PIP_*}
     * (comma-separated on the command line). Unset: pyproject.toml's {@code environment-pass}.
     */
    @Parameter(property = "neuron.passEnv")
    List<String> passEnvironment;

    /** When to pull the image: {@code always}, {@code missing} or {@code never}; {@code -o} never pulls. */
    @Parameter(property = "neuron.pull", defaultValue = "missing")
    String pull;

    /** Keep the containers afterwards for debugging (their names are printed). */
    @Parameter(property = "neuron.keepContainer", defaultValue = "false")
    boolean keepContainer;

    /** The pull policy for an image; never when Maven runs offline. */
    PullPolicy pullPolicy(String image) {
        return WheelBuild.pullPolicy(PullPolicy.parse(pull), offline, image, reporter());
    }
}
