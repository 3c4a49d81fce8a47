package org.neuronsimulator.wheel.maven;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.Reporter;

/** What every goal of this plugin has: the switch that skips them all, and core's reports into Maven's log. */
public abstract class NeuronMojo extends AbstractMojo {

    /** Skips every goal of this plugin. */
    @Parameter(property = "neuron.skip", defaultValue = "false")
    boolean skip;

    /** True, after saying so, when {@code neuron.skip} is set; {@code whatIsSkipped} reads like "no wheels built". */
    boolean skipped(String whatIsSkipped) {
        if (skip) {
            getLog().info("neuron.skip is set: " + whatIsSkipped);
        }
        return skip;
    }

    Reporter reporter() {
        return new MavenReporter(getLog());
    }
}
