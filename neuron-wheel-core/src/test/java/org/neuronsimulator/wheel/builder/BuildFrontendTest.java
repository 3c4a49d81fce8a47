package org.neuronsimulator.wheel.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildFrontendTest {

    private static final Map<String, String> VALUES = Map.of("python", "/py", "outdir", "/out", "source", "/src");

    @Test
    void pipIsTheDefaultAndBuildsWithPipWheel() {
        assertEquals(BuildFrontend.PIP, BuildFrontend.parse(null));
        assertEquals(BuildCommand.defaultCommand().expand(VALUES), BuildFrontend.PIP.command().expand(VALUES));
        assertFalse(BuildFrontend.PIP.needsBuildPackage());
    }

    @Test
    void buildRunsPypaBuildWithItsArguments() {
        BuildFrontend frontend = BuildFrontend.parse("build; args: --no-isolation -C setup-args=-Dx=1");
        assertTrue(frontend.needsBuildPackage());
        assertEquals(List.of("/py", "-m", "build", "--wheel", "--outdir", "/out", "--no-isolation", "-C",
                "setup-args=-Dx=1", "/src"), frontend.command().expand(VALUES));
        assertEquals(List.of("/py", "-m", "pip", "wheel", "--no-deps", "--wheel-dir", "/out", "--no-build-isolation",
                "/src"), BuildFrontend.parse("pip; args: --no-build-isolation").command().expand(VALUES));
    }

    @Test
    void uvAndUnknownFrontendsAreRefusedWithTheReason() {
        IllegalArgumentException uv = assertThrows(IllegalArgumentException.class, () -> BuildFrontend.parse("build[uv]"));
        assertTrue(uv.getMessage().contains("'build[uv]' is not supported: use pip or build"), uv::getMessage);
        assertThrows(IllegalArgumentException.class, () -> BuildFrontend.parse("poetry"));
        assertThrows(IllegalArgumentException.class, () -> BuildFrontend.parse("pip; env: X=1"));
    }
}
