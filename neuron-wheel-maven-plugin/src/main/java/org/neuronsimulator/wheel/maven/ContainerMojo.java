package org.neuronsimulator.wheel.maven;

import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.builder.container.PullPolicy;

/** The parameters of goals that run their work in containers of an image: pulling it, keeping the containers. */
public abstract class ContainerMojo extends DockerMojo {

    /** When to pull the image: {@code always}, {@code missing} or {@code never}; {@code -o} never pulls. */
    @Parameter(property = "neuron.pull", defaultValue = "missing")
    String pull;

    /** Keep the containers afterwards for debugging (their names are printed). */
    @Parameter(property = "neuron.keepContainer", defaultValue = "false")
    boolean keepContainer;

    /** The pull policy for an image; never when Maven runs offline. */
    PullPolicy pullPolicy(String image) {
        PullPolicy policy = PullPolicy.parse(pull);
        if (offline && policy != PullPolicy.NEVER) {
            getLog().info("offline (-o): the image " + image + " is not pulled; it must be present");
            return PullPolicy.NEVER;
        }
        return policy;
    }
}
