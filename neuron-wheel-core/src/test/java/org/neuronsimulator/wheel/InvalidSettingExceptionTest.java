package org.neuronsimulator.wheel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.neuronsimulator.wheel.archive.DeflateEngine;
import org.neuronsimulator.wheel.builder.BuildCommand;
import org.neuronsimulator.wheel.builder.BuildFrontend;
import org.neuronsimulator.wheel.builder.PythonSelector;
import org.neuronsimulator.wheel.builder.container.ContainerNetwork;
import org.neuronsimulator.wheel.builder.container.ExtraInput;
import org.neuronsimulator.wheel.builder.container.PullPolicy;
import org.neuronsimulator.wheel.macos.MacosBuildEnvironment;
import org.neuronsimulator.wheel.macos.MacosRepairOptions;
import org.neuronsimulator.wheel.publish.PackageRepository;
import org.neuronsimulator.wheel.repair.RepairOptions;

/** Core's validation of user settings throws the typed exception, naming the setting, and keeps its message. */
class InvalidSettingExceptionTest {

    private static InvalidSettingException refused(String setting, Executable parse) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, parse);
        assertEquals(setting, e.setting());
        return e;
    }

    @Test
    void valueParsersNameTheirSetting() {
        assertEquals("neuron.pull: 'sometimes' is not a pull policy (always, missing, never)",
                refused("neuron.pull", () -> PullPolicy.parse("sometimes")).getMessage());
        refused("neuron.python", () -> PythonSelector.parse("snake"));
        refused("neuron.deflate", () -> DeflateEngine.parse("gzip"));
        refused("neuron.network", () -> ContainerNetwork.parse("no such/network"));
        refused("neuron.buildFrontend", () -> BuildFrontend.parse("uv"));
        refused("extra-input", () -> ExtraInput.parse("no-colon"));
        refused("command", () -> BuildCommand.parse("echo 'oops"));
        refused("neuron.repository", () -> PackageRepository.resolve("warehouse", null, null));
        refused("neuron.compressionLevel", () -> RepairOptions.defaults().withCompressionLevel(11));
    }

    @Test
    void aDeploymentTargetThatIsNoVersionIsTheSettingsFault() {
        InvalidSettingException build = refused("neuron.macos.deploymentTarget",
                () -> MacosBuildEnvironment.variables("Mac OS X", "ten", null));
        assertTrue(build.getMessage().contains("'ten' is not a macOS version"), build::getMessage);
        refused("neuron.macos.deploymentTarget",
                () -> MacosRepairOptions.of(null, null, "ten", null, null, Map.of(), "Mac OS X"));
        refused("neuron.platform", () -> MacosRepairOptions.of(null, null, null, null, null,
                Map.of("MACOSX_DEPLOYMENT_TARGET", "ten"), "Mac OS X"));
    }
}
