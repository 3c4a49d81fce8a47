package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.macho.MachoTestFiles;
import org.neuronsimulator.wheel.macos.LoadCommandCheck;
import org.neuronsimulator.wheel.macos.MacosTestWheels;

/**
 * The audit and wheel goals on macOS wheels made of binaries built on macOS, run by Maven on this
 * Linux machine (LLVM's install-name tool rewrites them). Whether the repaired wheels import on a Mac
 * is not tested here: no Mac is available.
 */
class MacosWheelIT {

    @Test
    void auditListsWhatAMacosWheelLoads() throws IOException {
        Path work = MavenInvocation.workDirectory().resolve("macos-audit");
        MavenInvocation.deleteTree(work);
        Path libs = MacosTestWheels.libraries(work.resolve("libs"), "liba.dylib", "libb.dylib", "libextfunc2_rpath.dylib");
        Path dist = Files.createDirectories(work.resolve("dist"));
        MacosTestWheels.write(dist, "chain", "macosx_10_9_x86_64", Map.of("chain/_ext.cpython-311-darwin.so", "libc.dylib"),
                Map.of());
        MacosTestWheels.write(dist, "rp", "macosx_10_9_universal2",
                Map.of("rp/_ext.cpython-311-darwin.so", "libextfunc_rpath.dylib"), Map.of());
        Path json = work.resolve("report.json");

        MavenInvocation.Result result = MavenInvocation.in(work).args(MavenInvocation.goal("audit"))
                .property("neuron.wheel", dist.toString()).property("neuron.macos.libraryPath", libs.toString())
                .property("neuron.audit.json", json.toString()).run();

        assertTrue(result.succeeded(), result.describe());
        String real = libs.toRealPath().toString();
        assertTrue(result.log().contains("chain-1.0-cp311-cp311-macosx_10_9_x86_64.whl is tagged macosx_10_9_x86_64;"
                + " its binaries need macosx_10_9_x86_64."), result.log());
        assertTrue(result.log().contains("liba.dylib => " + real + "/liba.dylib (outside the wheel)"), result.log());
        assertTrue(result.log().contains("@rpath/libextfunc2_rpath.dylib => " + real
                + "/libextfunc2_rpath.dylib (outside the wheel)"), result.log());
        String report = Files.readString(json);
        for (String key : List.of("\"platform\" : \"macos\"", "\"overallTag\" : \"macosx_10_9_universal2\"",
                "\"externalLibraries\"", "\"liba.dylib\" : \"" + real + "/liba.dylib\"", "\"problems\"")) {
            assertTrue(report.contains(key), key + " missing in " + report);
        }
    }

    @Test
    void wheelGoalBundlesTheLibrariesAndRetags() throws IOException {
        assumeTrue(MachoTestFiles.llvmToolsAvailable(), "llvm-14 tools are needed (.ci/setup.d/10-debian-packages.sh)");
        Path work = MavenInvocation.workDirectory().resolve("macos-wheel");
        MavenInvocation.deleteTree(work);
        Files.createDirectories(work);
        Files.writeString(work.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>org.neuronsimulator.it</groupId>
                  <artifactId>macos-wheel</artifactId>
                  <version>1.0</version>
                  <packaging>pom</packaging>
                </project>
                """);
        Path libs = MacosTestWheels.libraries(work.resolve("libs"), "liba.dylib", "libb.dylib", "libextfunc2_rpath.dylib");
        Path raw = work.resolve("target/raw-wheels/cp311");
        MacosTestWheels.write(raw, "chain", "macosx_10_9_x86_64", Map.of("chain/_ext.cpython-311-darwin.so", "libc_12.dylib"),
                Map.of());
        MacosTestWheels.write(raw, "rp", "macosx_10_9_universal2",
                Map.of("rp/_ext.cpython-311-darwin.so", "libextfunc_rpath.dylib"), Map.of());

        // MACOSX_DEPLOYMENT_TARGET=10.9, as NEURON's macOS builds set it: libc_12 needs macOS 12
        MavenInvocation.Result refused = MavenInvocation.in(work).args(MavenInvocation.goal("wheel"))
                .property("neuron.macos.libraryPath", libs.toString()).property("neuron.macos.deploymentTarget", "10.9")
                .run();
        assertFalse(refused.succeeded(), refused.describe());
        assertTrue(refused.log().contains("chain-1.0-cp311-cp311-macosx_10_9_x86_64.whl: binaries need a newer macOS than"
                + " the deployment target 10.9: chain/_ext.cpython-311-darwin.so (x86_64) needs macOS 12.0"), refused.log());
        assertFalse(Files.exists(work.resolve("target/wheelhouse")), "nothing written to the wheelhouse");

        MavenInvocation.Result result = MavenInvocation.in(work).args(MavenInvocation.goal("wheel"))
                .property("neuron.macos.libraryPath", libs.toString()).property("neuron.macos.archs", "universal2")
                .property("neuron.exclude", "libnothing.dylib").run();
        assertFalse(result.succeeded(), "chain is x86_64 only, universal2 is required: " + result.describe());
        assertTrue(result.log().contains("chain/_ext.cpython-311-darwin.so lacks arm64 (has x86_64)"), result.log());

        result = MavenInvocation.in(work).args(MavenInvocation.goal("wheel"))
                .property("neuron.macos.libraryPath", libs.toString()).run();
        assertTrue(result.succeeded(), result.describe());
        Path wheelhouse = work.resolve("target/wheelhouse");
        List<String> wheels;
        try (Stream<Path> files = Files.list(wheelhouse)) {
            wheels = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("chain-1.0-cp311-cp311-macosx_12_0_x86_64.whl", "rp-1.0-cp311-cp311-macosx_10_9_universal2.whl"),
                wheels);
        for (String wheel : wheels) {
            Path unpacked = LoadCommandCheck.unpack(wheelhouse.resolve(wheel), work.resolve("unpacked").resolve(wheel));
            Map<String, Map<String, String>> resolved = LoadCommandCheck.assertSelfContained(unpacked,
                    work.resolve("slices").resolve(wheel));
            assertTrue(resolved.values().stream().flatMap(m -> m.values().stream())
                    .allMatch(target -> target.contains("/.dylibs/")), resolved.toString());
        }
    }
}
