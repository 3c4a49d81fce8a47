package org.neuronsimulator.wheel.macos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MacosBuildEnvironmentTest {

    private static final String MAC = "Mac OS X";

    @Test
    void targetAndArchitecturesBecomeTheVariablesMacBuildsRead() {
        assertEquals(Map.of("MACOSX_DEPLOYMENT_TARGET", "10.9", "ARCHFLAGS", "-arch arm64 -arch x86_64",
                "_PYTHON_HOST_PLATFORM", "macosx-10.9-universal2"),
                MacosBuildEnvironment.variables(MAC, "10.9", "universal2"));
        assertEquals(Map.of("MACOSX_DEPLOYMENT_TARGET", "11.0", "ARCHFLAGS", "-arch arm64",
                "_PYTHON_HOST_PLATFORM", "macosx-11.0-arm64"), MacosBuildEnvironment.variables(MAC, "11", "arm64"));
        assertEquals(Map.of("ARCHFLAGS", "-arch arm64 -arch x86_64"),
                MacosBuildEnvironment.variables(MAC, "", "x86_64,arm64"));
        assertEquals(Map.of("MACOSX_DEPLOYMENT_TARGET", "10.13"), MacosBuildEnvironment.variables(MAC, "10.13", null));
        assertEquals(Map.of(), MacosBuildEnvironment.variables(MAC, null, " "));
    }

    @Test
    void nothingIsSetOffMacos() {
        assertEquals(Map.of(), MacosBuildEnvironment.variables("Linux", "10.9", "universal2"));
    }

    @Test
    void theBuildsOwnEnvironmentWins() {
        assertEquals(Map.of("MACOSX_DEPLOYMENT_TARGET", "12.0", "ARCHFLAGS", "-arch x86_64",
                "_PYTHON_HOST_PLATFORM", "macosx-10.9-x86_64", "CC", "clang"),
                MacosBuildEnvironment.addTo(Map.of("MACOSX_DEPLOYMENT_TARGET", "12.0", "CC", "clang"), MAC, "10.9", "x86_64"));
    }

    @Test
    void wrongValuesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MacosBuildEnvironment.variables(MAC, "ten", "x86_64"));
        assertTrue(e.getMessage().contains("'ten' is not a macOS version"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MacosBuildEnvironment.variables(MAC, "10.9", "sparc"));
        assertEquals("neuron.macos.archs: unknown macOS wheel architecture 'sparc'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MacosBuildEnvironment.variables(MAC, "10.9", "ppc"));
        assertTrue(e.getMessage().startsWith("neuron.macos.archs: ppc cannot be built"), e.getMessage());
        // checked on every host, so a wrong pom fails on Linux CI as well
        assertThrows(IllegalArgumentException.class, () -> MacosBuildEnvironment.variables("Linux", "10.9", "sparc"));
    }
}
