package org.neuronsimulator.wheel.macos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.RecordingReporter;
import org.neuronsimulator.wheel.archive.WheelArchive;
import org.neuronsimulator.wheel.elf.FileByteSource;
import org.neuronsimulator.wheel.macho.CodeSignatureVerifier;
import org.neuronsimulator.wheel.macho.MachoFile;
import org.neuronsimulator.wheel.macho.MachoReader;
import org.neuronsimulator.wheel.macho.MachoSlice;
import org.neuronsimulator.wheel.macho.MachoTestFiles;
import org.neuronsimulator.wheel.macho.MacosVersion;
import org.neuronsimulator.wheel.repair.RepairOptions;
import org.neuronsimulator.wheel.repair.WheelRepairException;

/**
 * Repairs macOS wheels built around binaries made on macOS, with Debian's LLVM 14 tools, and checks
 * the result with {@code llvm-otool-14}. Loading the repaired binaries needs a Mac and is not done here.
 */
class MacosWheelRepairerTest {

    @TempDir
    Path dir;
    Path out;
    RecordingReporter reporter;

    @BeforeEach
    void tools() throws IOException {
        assumeTrue(MachoTestFiles.llvmToolsAvailable(), "llvm-14 tools are needed (.ci/setup.d/10-debian-packages.sh)");
        out = Files.createDirectories(dir.resolve("out"));
        reporter = new RecordingReporter();
    }

    private MacosRepairOptions options(Path... libraryPath) {
        return new MacosRepairOptions(new DyldSearch(List.of(libraryPath), List.of(), Optional.empty(), true),
                Optional.empty(), List.of(), Optional.of(MachoTestFiles.INSTALL_NAME_TOOL), Optional.empty(), ".dylibs");
    }

    private MacosRepairResult repair(Path wheel, MacosRepairOptions options) throws IOException, WheelRepairException {
        return new MacosWheelRepairer(reporter).repair(wheel, RepairOptions.defaults()
                .withSourceDateEpoch(OptionalLong.of(1_700_000_000L)), options, out);
    }

    @Test
    void libcAndItsChainAreBundledAndPointedAtWithLoaderPath() throws Exception {
        Path libs = MacosTestWheels.libraries(dir.resolve("libs"), "liba.dylib", "libb.dylib");
        Path wheel = MacosTestWheels.write(dir.resolve("raw"), "chain", "macosx_10_9_x86_64",
                Map.of("chain/_ext.cpython-311-darwin.so", "libc.dylib"), Map.of());

        MacosRepairResult result = repair(wheel, options(libs));

        assertEquals("chain-1.0-cp311-cp311-macosx_10_9_x86_64.whl", result.wheel().getFileName().toString());
        assertEquals(Map.of(libs.resolve("liba.dylib").toRealPath().toString(), "chain/.dylibs/liba.dylib",
                libs.resolve("libb.dylib").toRealPath().toString(), "chain/.dylibs/libb.dylib"), result.bundled());
        Path unpacked = LoadCommandCheck.unpack(result.wheel(), dir.resolve("unpacked"));
        Map<String, Map<String, String>> resolved = LoadCommandCheck.assertSelfContained(unpacked, dir.resolve("slices"));
        assertEquals(Map.of("@loader_path/.dylibs/liba.dylib", "chain/.dylibs/liba.dylib",
                "@loader_path/.dylibs/libb.dylib", "chain/.dylibs/libb.dylib"),
                resolved.get("chain/_ext.cpython-311-darwin.so x86_64"));
        assertEquals(Map.of("@loader_path/liba.dylib", "chain/.dylibs/liba.dylib"),
                resolved.get("chain/.dylibs/libb.dylib x86_64"));
        List<LoadCommandCheck.SliceDependencies> slices = LoadCommandCheck.dependencies(unpacked, dir.resolve("ids"));
        assertEquals("/DLC/chain/.dylibs/liba.dylib", slices.stream()
                .filter(s -> s.path().equals("chain/.dylibs/liba.dylib")).findFirst().orElseThrow().id());
        try (WheelArchive archive = WheelArchive.open(result.wheel())) {
            assertTrue(archive.wheelInfo().tags().contains("cp311-cp311-macosx_10_9_x86_64"));
            assertEquals(0100755, archive.entries().stream().filter(e -> e.name().equals("chain/.dylibs/liba.dylib"))
                    .findFirst().orElseThrow().unixMode());
        }
    }

    @Test
    void anExecutableGetsTheWholeChainBesideIt() throws Exception {
        Path libs = MacosTestWheels.libraries(dir.resolve("libs"), "libc.dylib", "liba.dylib", "libb.dylib");
        Path wheel = MacosTestWheels.write(dir.resolve("raw"), "tool", "macosx_10_9_x86_64",
                Map.of("tool/bin/test-lib", "test-lib"), Map.of());

        MacosRepairResult result = repair(wheel, options(libs));

        Path unpacked = LoadCommandCheck.unpack(result.wheel(), dir.resolve("unpacked"));
        Map<String, Map<String, String>> resolved = LoadCommandCheck.assertSelfContained(unpacked, dir.resolve("slices"));
        assertEquals(Map.of("@loader_path/../.dylibs/libc.dylib", "tool/.dylibs/libc.dylib"),
                resolved.get("tool/bin/test-lib x86_64"));
        assertEquals(Map.of("@loader_path/liba.dylib", "tool/.dylibs/liba.dylib",
                "@loader_path/libb.dylib", "tool/.dylibs/libb.dylib"), resolved.get("tool/.dylibs/libc.dylib x86_64"));
    }

    @Test
    void anRpathLibraryOfAUniversal2WheelIsBundledAndEverySliceSignedAgain() throws Exception {
        Path libs = MacosTestWheels.libraries(dir.resolve("libs"), "libextfunc2_rpath.dylib");
        Path wheel = MacosTestWheels.write(dir.resolve("raw"), "rp", "macosx_10_9_universal2",
                Map.of("rp/_ext.cpython-311-darwin.so", "libextfunc_rpath.dylib",
                        "rp/_both.cpython-311-darwin.so", "liba_both.dylib"), Map.of());

        MacosRepairResult result = repair(wheel, options(libs).withRequiredArchitectures(
                MacosRepairOptions.architectures("universal2")));

        assertEquals("rp-1.0-cp311-cp311-macosx_10_9_universal2.whl", result.wheel().getFileName().toString());
        Path unpacked = LoadCommandCheck.unpack(result.wheel(), dir.resolve("unpacked"));
        Map<String, Map<String, String>> resolved = LoadCommandCheck.assertSelfContained(unpacked, dir.resolve("slices"));
        for (String arch : List.of("x86_64", "arm64")) {
            assertEquals(Map.of("@loader_path/.dylibs/libextfunc2_rpath.dylib", "rp/.dylibs/libextfunc2_rpath.dylib"),
                    resolved.get("rp/_ext.cpython-311-darwin.so " + arch), arch);
            assertEquals(Map.of(), resolved.get("rp/.dylibs/libextfunc2_rpath.dylib " + arch), arch);
        }
        List<LoadCommandCheck.SliceDependencies> slices = LoadCommandCheck.dependencies(unpacked, dir.resolve("ids"));
        assertEquals(List.of("/DLC/rp/.dylibs/libextfunc2_rpath.dylib", "/DLC/rp/.dylibs/libextfunc2_rpath.dylib"),
                slices.stream().filter(s -> s.path().equals("rp/.dylibs/libextfunc2_rpath.dylib"))
                        .map(LoadCommandCheck.SliceDependencies::id).toList());
        // both binaries were signed on macOS; the rewritten ones carry valid ad hoc signatures on every slice
        for (String path : List.of("rp/_ext.cpython-311-darwin.so", "rp/.dylibs/libextfunc2_rpath.dylib")) {
            Path file = unpacked.resolve(path);
            MachoFile macho = MachoReader.read(file);
            try (FileByteSource source = new FileByteSource(file)) {
                for (MachoSlice slice : macho.slices()) {
                    CodeSignatureVerifier.Check check = CodeSignatureVerifier.check(path, source, slice).orElseThrow();
                    assertTrue(check.valid() && check.adhoc(), path + " " + slice.architecture() + ": " + check);
                }
            }
            // the @loader_path/ and @executable_path/ rpaths stay: they name no folder of the build machine
        }
        assertEquals(List.of("@executable_path/", "@loader_path/"),
                MachoReader.read(unpacked.resolve("rp/_ext.cpython-311-darwin.so")).slices().get(1).rpaths());
    }

    @Test
    void aUniversal2WheelLoadingAThinLibraryIsRefused() throws Exception {
        Path libs = Files.createDirectories(dir.resolve("libs"));
        MachoTestFiles.copy("liba.dylib", libs.resolve("libextfunc2_rpath.dylib"));
        Path wheel = MacosTestWheels.write(dir.resolve("raw"), "rp", "macosx_10_9_universal2",
                Map.of("rp/_ext.cpython-311-darwin.so", "libextfunc_rpath.dylib"), Map.of());
        WheelRepairException e = assertThrows(WheelRepairException.class, () -> repair(wheel, options(libs)));
        assertTrue(e.getMessage().startsWith("rp-1.0-cp311-cp311-macosx_10_9_universal2.whl: missing architectures "
                + "(every binary needs x86_64, arm64): " + libs.resolve("libextfunc2_rpath.dylib").toRealPath()
                + " lacks arm64 (has x86_64)"), e.getMessage());
        assertNothingWritten();
    }

    @Test
    void requiredArchitecturesAreCheckedBeyondTheTag() throws Exception {
        Path wheel = MacosTestWheels.write(dir.resolve("raw"), "thin", "macosx_10_9_x86_64",
                Map.of("thin/_ext.cpython-311-darwin.so", "np-1.24.1_x86_64_random__sfc64.cpython-311-darwin.so"), Map.of());
        WheelRepairException e = assertThrows(WheelRepairException.class, () -> repair(wheel,
                options().withRequiredArchitectures(MacosRepairOptions.architectures("universal2"))));
        assertTrue(e.getMessage().contains("thin/_ext.cpython-311-darwin.so lacks arm64 (has x86_64)"), e.getMessage());
        assertNothingWritten();
    }

    @Test
    void aLibraryNeedingMacos12RetagsTheWheel() throws Exception {
        Path libs = MacosTestWheels.libraries(dir.resolve("libs"), "liba.dylib", "libb.dylib");
        Path wheel = MacosTestWheels.write(dir.resolve("raw"), "late", "macosx_10_9_x86_64",
                Map.of("late/_ext.cpython-311-darwin.so", "libc_12.dylib"), Map.of());

        MacosRepairResult result = repair(wheel, options(libs));

        assertEquals("late-1.0-cp311-cp311-macosx_12_0_x86_64.whl", result.wheel().getFileName().toString());
        assertEquals(List.of("macosx_12_0_x86_64"), result.platformTags());
        try (WheelArchive archive = WheelArchive.open(result.wheel())) {
            assertEquals(List.of("cp311-cp311-macosx_12_0_x86_64"), archive.wheelInfo().tags());
        }
        LoadCommandCheck.assertSelfContained(LoadCommandCheck.unpack(result.wheel(), dir.resolve("unpacked")),
                dir.resolve("slices"));
    }

    @Test
    void aBundledLibraryNeedingMacos12CountsToo() throws Exception {
        Path libs = Files.createDirectories(dir.resolve("libs"));
        MachoTestFiles.copy("liba_12.dylib", libs.resolve("liba.dylib"));
        MachoTestFiles.copy("libb.dylib", libs.resolve("libb.dylib"));
        Path wheel = MacosTestWheels.write(dir.resolve("raw"), "chain", "macosx_10_9_x86_64",
                Map.of("chain/_ext.cpython-311-darwin.so", "libc.dylib"), Map.of());
        assertEquals("chain-1.0-cp311-cp311-macosx_12_0_x86_64.whl",
                repair(wheel, options(libs)).wheel().getFileName().toString());
    }

    @Test
    void aLowerDeploymentTargetRefusesTheWheelNamingTheBinaries() throws Exception {
        Path libs = MacosTestWheels.libraries(dir.resolve("libs"), "liba.dylib", "libb.dylib");
        Path wheel = MacosTestWheels.write(dir.resolve("raw"), "late", "macosx_10_9_x86_64",
                Map.of("late/_ext.cpython-311-darwin.so", "libc_12.dylib"), Map.of());
        MacosRepairOptions target = options(libs).withDeploymentTarget(
                MacosRepairOptions.target(null, null, Map.of("MACOSX_DEPLOYMENT_TARGET", "10.9")));
        WheelRepairException e = assertThrows(WheelRepairException.class, () -> repair(wheel, target));
        assertEquals("late-1.0-cp311-cp311-macosx_10_9_x86_64.whl: binaries need a newer macOS than the deployment target"
                + " 10.9: late/_ext.cpython-311-darwin.so (x86_64) needs macOS 12.0; set the target (MACOSX_DEPLOYMENT_TARGET,"
                + " neuron.macos.deploymentTarget or a macosx_* neuron.platform) to 12.0 or build them for 10.9", e.getMessage());
        assertNothingWritten();

        // a target of 12 (here as a platform) accepts it
        MacosRepairResult result = repair(wheel, options(libs).withDeploymentTarget(
                MacosRepairOptions.target("macosx_12_0_x86_64", "10.9", Map.of())));
        assertEquals("late-1.0-cp311-cp311-macosx_12_0_x86_64.whl", result.wheel().getFileName().toString());
    }

    @Test
    void aTargetAboveWhatTheBinariesNeedRaisesTheTag() throws Exception {
        Path wheel = MacosTestWheels.write(dir.resolve("raw"), "np", "macosx_10_9_x86_64",
                Map.of("np/_sfc64.cpython-311-darwin.so", "np-1.24.1_x86_64_random__sfc64.cpython-311-darwin.so"), Map.of());
        MacosRepairResult result = repair(wheel, options().withDeploymentTarget(Optional.of(MacosVersion.parse("10.13"))));
        assertEquals("np-1.0-cp311-cp311-macosx_10_13_x86_64.whl", result.wheel().getFileName().toString());
        assertEquals(Map.of(), result.bundled());
    }

    @Test
    void anArm64WheelIsRetaggedWithoutRewritingItsSignedBinary() throws Exception {
        Path wheel = MacosTestWheels.write(dir.resolve("raw"), "arm", "macosx_11_0_arm64",
                Map.of("arm/_ext.cpython-311-darwin.so", "libam1_12.dylib"), Map.of());
        MacosRepairResult result = repair(wheel, options());
        assertEquals("arm-1.0-cp311-cp311-macosx_12_0_arm64.whl", result.wheel().getFileName().toString());
        Path unpacked = LoadCommandCheck.unpack(result.wheel(), dir.resolve("unpacked"));
        assertEquals(List.of(MachoTestFiles.bytes("libam1_12.dylib").length),
                List.of((int) Files.size(unpacked.resolve("arm/_ext.cpython-311-darwin.so"))));
        assertTrue(java.util.Arrays.equals(MachoTestFiles.bytes("libam1_12.dylib"),
                Files.readAllBytes(unpacked.resolve("arm/_ext.cpython-311-darwin.so"))));
    }

    @Test
    void missingLibrariesFailTheRepairNamingThem() throws Exception {
        Path wheel = MacosTestWheels.write(dir.resolve("raw"), "chain", "macosx_10_9_x86_64",
                Map.of("chain/_ext.cpython-311-darwin.so", "libc.dylib"), Map.of());
        WheelRepairException e = assertThrows(WheelRepairException.class, () -> repair(wheel, options(dir.resolve("nowhere"))));
        assertEquals("chain-1.0-cp311-cp311-macosx_10_9_x86_64.whl: libraries not found: liba.dylib (needed by "
                + "chain/_ext.cpython-311-darwin.so), libb.dylib (needed by chain/_ext.cpython-311-darwin.so); searched the"
                + " wheel, the names' own paths and " + dir.resolve("nowhere") + " (add the folders that hold them to"
                + " neuron.macos.libraryPath)", e.getMessage());
        assertNothingWritten();
    }

    /** LLVM 14's tool writes load commands over the first section when they outgrow the header; the repair checks first. */
    @Test
    void namesTooLongForTheHeaderAreRefusedBeforeTheToolRuns() throws Exception {
        Path file = MachoTestFiles.copy("libc.dylib", dir.resolve("libc.dylib"));
        MachoFile macho = MachoReader.read(file);
        String tooLong = "@loader_path/" + "x".repeat((int) macho.slices().get(0).headerPadding()) + "/liba.dylib";
        WheelRepairException e = assertThrows(WheelRepairException.class, () -> MacosWheelRepairer.checkRoom(macho,
                Map.of("liba.dylib", tooLong), Optional.empty(), List.of(), "libc.dylib"));
        assertTrue(e.getMessage().startsWith("libc.dylib (x86_64): the new install names need "), e.getMessage());
        MacosWheelRepairer.checkRoom(macho, Map.of("liba.dylib", "@loader_path/.dylibs/liba.dylib"), Optional.empty(),
                List.of(), "libc.dylib");
        // what the check prevents
        assertTrue(org.neuronsimulator.wheel.process.ProcessRunner.of(MachoTestFiles.INSTALL_NAME_TOOL, "-change",
                "liba.dylib", tooLong, file.toString()).run().succeeded());
        assertThrows(IOException.class, () -> MachoTestFiles.otool("-L", file.toString()));
    }

    private void assertNothingWritten() throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of(), files.toList(), "the output folder stays empty");
        }
    }

    /** An @rpath library found through an rpath naming a folder of the build machine: bundled, the rpath dropped. */
    @Test
    void anRpathToABuildFolderIsFollowedThenDropped() throws Exception {
        Path libs = MacosTestWheels.libraries(dir.resolve("build/lib"), "libextfunc2_rpath.dylib");
        Path ext = MachoTestFiles.copy("libextfunc_rpath.dylib", dir.resolve("ext/_ext.cpython-311-darwin.so"));
        assertTrue(org.neuronsimulator.wheel.process.ProcessRunner.of(MachoTestFiles.INSTALL_NAME_TOOL, "-add_rpath",
                libs.toString(), ext.toString()).run().succeeded());
        Path raw = Files.createDirectories(dir.resolve("raw"));
        Path base = MacosTestWheels.write(dir.resolve("base"), "rp", "macosx_10_9_x86_64",
                Map.of("rp/_ext.cpython-311-darwin.so", "libextfunc_rpath.dylib"), Map.of());
        Path wheel;
        try (WheelArchive archive = WheelArchive.open(base)) {
            var contents = archive.contents();
            contents.put("rp/_ext.cpython-311-darwin.so", Files.readAllBytes(ext));
            wheel = new org.neuronsimulator.wheel.archive.WheelWriter().write(contents, raw.resolve(base.getFileName()));
        }

        MacosRepairResult result = repair(wheel, options());

        assertEquals(Map.of(libs.resolve("libextfunc2_rpath.dylib").toRealPath().toString(),
                "rp/.dylibs/libextfunc2_rpath.dylib"), result.bundled());
        Path unpacked = LoadCommandCheck.unpack(result.wheel(), dir.resolve("unpacked"));
        Map<String, Map<String, String>> resolved = LoadCommandCheck.assertSelfContained(unpacked, dir.resolve("slices"));
        assertEquals(Map.of("@loader_path/.dylibs/libextfunc2_rpath.dylib", "rp/.dylibs/libextfunc2_rpath.dylib"),
                resolved.get("rp/_ext.cpython-311-darwin.so x86_64"));
        String rpaths = MachoTestFiles.otool("-l", unpacked.resolve("rp/_ext.cpython-311-darwin.so").toString());
        assertFalse(rpaths.contains(libs.toString()), "the build folder's rpath is gone:\n" + rpaths);
        assertTrue(rpaths.contains("path @loader_path/ (offset 12)"), rpaths);
        for (MachoSlice slice : MachoReader.read(unpacked.resolve("rp/_ext.cpython-311-darwin.so")).slices()) {
            assertEquals(List.of("@executable_path/", "@loader_path/"), slice.rpaths(), slice.architecture());
        }
    }

    /** The wheel goal's writer sends macOS wheels through this repair, Linux ones through the manylinux one. */
    @Test
    void theWheelhouseWriterRepairsMacosWheels() throws Exception {
        Path libs = MacosTestWheels.libraries(dir.resolve("libs"), "liba.dylib", "libb.dylib");
        Path raw = MacosTestWheels.write(dir.resolve("raw"), "chain", "macosx_10_9_x86_64",
                Map.of("chain/_ext.cpython-311-darwin.so", "libc_12.dylib"), Map.of());
        org.neuronsimulator.wheel.wheelhouse.WheelhouseWriter.Settings settings =
                new org.neuronsimulator.wheel.wheelhouse.WheelhouseWriter.Settings(dir.resolve("wheelhouse"),
                        Optional.empty(), Optional.empty(),
                        org.neuronsimulator.wheel.archive.WheelWriter.Options.defaults().sourceDateEpoch(1_700_000_000L),
                        Optional.of(new org.neuronsimulator.wheel.wheelhouse.WheelhouseWriter.Repair(
                                org.neuronsimulator.wheel.audit.HostLibraryResolver.ofSystem(), RepairOptions.defaults(),
                                dir.resolve("staging"), options(libs))));
        List<Path> written = new org.neuronsimulator.wheel.wheelhouse.WheelhouseWriter(settings, reporter).write(List.of(raw));
        assertEquals(List.of(dir.resolve("wheelhouse").resolve("chain-1.0-cp311-cp311-macosx_12_0_x86_64.whl")), written);
        LoadCommandCheck.assertSelfContained(LoadCommandCheck.unpack(written.get(0), dir.resolve("unpacked")),
                dir.resolve("slices"));
        assertTrue(reporter.text().contains("(bundled chain/.dylibs/liba.dylib, chain/.dylibs/libb.dylib)")
                || reporter.text().contains("(bundled chain/.dylibs/libb.dylib, chain/.dylibs/liba.dylib)"), reporter.text());
    }
}
