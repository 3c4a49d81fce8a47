package org.neuronsimulator.wheel.maven;

import java.io.IOException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.IoProblems;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.archive.InvalidWheelException;
import org.neuronsimulator.wheel.audit.WheelAuditException;
import org.neuronsimulator.wheel.builder.BuildFailedException;
import org.neuronsimulator.wheel.builder.container.DockerUnavailableException;
import org.neuronsimulator.wheel.config.ProjectConfigurationException;
import org.neuronsimulator.wheel.publish.UploadException;
import org.neuronsimulator.wheel.repair.WheelRepairException;
import org.neuronsimulator.wheel.testing.ClusterException;

/**
 * What every goal of this plugin has: the switch that skips them all, core's reports in Maven's log, and one mapping
 * of core's exceptions: the user's errors (settings, project files, wheels, refused builds, tests and uploads) fail the
 * build as {@link MojoFailureException}, and what kept the goal from running is a {@link MojoExecutionException}.
 */
public abstract class NeuronMojo extends AbstractMojo {

    /** Skips every goal of this plugin. */
    @Parameter(property = "neuron.skip", defaultValue = "false")
    boolean skip;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        String skipSwitch = skipSwitch();
        if (skipSwitch != null) {
            getLog().info(skipSwitch + " is set: " + skippedWork());
            return;
        }
        try {
            run();
        } catch (UploadException e) { // redacted, and without the cause, which could hold a secret
            if (e.isUserError()) {
                throw new MojoFailureException(e.getMessage());
            }
            throw new MojoExecutionException(e.getMessage());
        } catch (InvalidSettingException | ProjectConfigurationException | InvalidWheelException | WheelAuditException
                | WheelRepairException | BuildFailedException | ClusterException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (DockerUnavailableException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException(IoProblems.describe(e), e);
        }
    }

    /** The goal's work, once its skip switches are off. */
    abstract void run() throws MojoExecutionException, MojoFailureException, IOException, ProjectConfigurationException,
            WheelAuditException, WheelRepairException, BuildFailedException, ClusterException, UploadException;

    /** The property that skips this goal now, or null; goals with switches of their own add them. */
    String skipSwitch() {
        return skip ? "neuron.skip" : null;
    }

    /** What a skipped run leaves undone, e.g. "no wheels built". */
    abstract String skippedWork();

    Reporter reporter() {
        return new MavenReporter(getLog());
    }
}
