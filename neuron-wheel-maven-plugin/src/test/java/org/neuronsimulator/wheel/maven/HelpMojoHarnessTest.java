package org.neuronsimulator.wheel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.verify;

import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.Mojo;
import org.junit.jupiter.api.Test;

/** The generated help goal describes the goals from the descriptor this build wrote. */
@MojoTest
@Basedir("/harness/help")
class HelpMojoHarnessTest extends HarnessMojoTest {

    @Test
    @InjectMojo(goal = "help")
    void defaults(Mojo mojo) throws Exception {
        assertEquals(Boolean.FALSE, MojoExtension.getVariableValueFromObject(mojo, "detail"));
        assertEquals(80, (int) MojoExtension.getVariableValueFromObject(mojo, "lineLength"));
        assertEquals(2, (int) MojoExtension.getVariableValueFromObject(mojo, "indentSize"));
    }

    @Test
    @InjectMojo(goal = "help")
    @UserProperty(name = "goal", value = "upload")
    @UserProperty(name = "detail", value = "true")
    void aGoalWithDetailListsItsUserProperties(Mojo mojo) throws Exception {
        doReturn(true).when(log).isInfoEnabled(); // the harness logs to SLF4J's no-op logger, whose info level is off
        mojo.execute();
        verify(log).info(argThat((CharSequence text) -> text.toString().contains("neuron-wheel:upload")
                && text.toString().contains("User property: neuron.upload.dryRun")
                && !text.toString().contains("neuron-wheel:build")));
    }
}
