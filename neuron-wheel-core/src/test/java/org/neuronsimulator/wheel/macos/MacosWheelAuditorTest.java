package org.neuronsimulator.wheel.macos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.audit.WheelAuditException;
import org.neuronsimulator.wheel.macho.MacosVersion;

class MacosWheelAuditorTest {

    @TempDir
    Path dir;

    private MacosWheelAudit audit(Path wheel, List<Path> libraryPath, List<String> excludes)
            throws IOException, WheelAuditException {
        DyldSearch search = new DyldSearch(libraryPath, List.of(), Optional.empty(), true);
        return new MacosWheelAuditor(search, excludes, Reporter.NONE).audit(wheel);
    }

    private static MacosBinary binary(MacosWheelAudit audit, String location) {
        return java.util.stream.Stream.concat(audit.binaries().stream(), audit.externalLibraries().stream())
                .filter(b -> b.location().endsWith(location)).findFirst().orElseThrow(() -> new AssertionError(location));
    }

    private static MacosBinary.Dependency dependency(MacosBinary binary, String installName) {
        return binary.dependencies().stream().filter(d -> d.installName().equals(installName)).findFirst()
                .orElseThrow(() -> new AssertionError(installName));
    }

    @Test
    void theChainOfLibcResolvesThroughTheLibraryPath() throws Exception {
        Path libs = MacosTestWheels.libraries(dir.resolve("libs"), "liba.dylib", "libb.dylib");
        Path wheel = MacosTestWheels.write(dir, "chain", "macosx_10_9_x86_64",
                Map.of("chain/_ext.cpython-311-darwin.so", "libc.dylib"), Map.of());
        MacosWheelAudit audit = audit(wheel, List.of(libs), List.of());

        MacosBinary ext = binary(audit, "chain/_ext.cpython-311-darwin.so");
        assertEquals(MacosBinary.Kind.EXTERNAL, dependency(ext, "liba.dylib").kind());
        assertEquals(libs.resolve("liba.dylib").toRealPath().toString(), dependency(ext, "liba.dylib").location());
        assertEquals(MacosBinary.Kind.EXTERNAL, dependency(ext, "libb.dylib").kind());
        assertEquals(MacosBinary.Kind.SYSTEM, dependency(ext, "/usr/lib/libc++.1.dylib").kind());
        assertEquals(MacosBinary.Kind.SYSTEM, dependency(ext, "/usr/lib/libSystem.B.dylib").kind());
        assertEquals(2, audit.externalLibraries().size());
        MacosBinary liba = binary(audit, "libs/liba.dylib");
        assertEquals(java.util.Set.of("chain/_ext.cpython-311-darwin.so", libs.resolve("libb.dylib").toRealPath().toString()),
                liba.neededBy());
        assertEquals("macosx_10_9_x86_64", audit.overallTag());
        assertEquals(Map.of("x86_64", MacosVersion.parse("10.9")), audit.minimumVersions());
        assertEquals(2, audit.problems().size(), audit.problems().toString());
        assertTrue(audit.problems().get(0).contains("liba.dylib lies outside the wheel"), audit.problems().toString());

        String text = MacosAuditReport.toText(audit);
        assertTrue(text.contains("liba.dylib => " + libs.resolve("liba.dylib").toRealPath() + " (outside the wheel)"), text);
        Map<String, Object> json = MacosAuditReport.toJsonObject(audit);
        String serialized = new ObjectMapper().writeValueAsString(json);
        assertEquals(Map.of("liba.dylib", libs.resolve("liba.dylib").toRealPath().toString(),
                "libb.dylib", libs.resolve("libb.dylib").toRealPath().toString()), json.get("externalLibraries"));
        assertTrue(serialized.contains("\"kind\":\"system\""), serialized);
    }

    @Test
    void withoutTheLibraryFolderTheLibrariesAreMissing() throws Exception {
        Path wheel = MacosTestWheels.write(dir, "chain", "macosx_10_9_x86_64",
                Map.of("chain/_ext.cpython-311-darwin.so", "libc.dylib"), Map.of());
        MacosWheelAudit audit = audit(wheel, List.of(), List.of());
        assertEquals(List.of(new MacosWheelAudit.Missing("liba.dylib", "chain/_ext.cpython-311-darwin.so"),
                new MacosWheelAudit.Missing("libb.dylib", "chain/_ext.cpython-311-darwin.so")), audit.missing());
        assertTrue(audit.problems().get(0).contains("add its folder to neuron.macos.libraryPath"), audit.problems().toString());
    }

    @Test
    void rpathsResolveInsideTheWheelAndOutside() throws Exception {
        // @rpath/libextfunc2_rpath.dylib with LC_RPATH @loader_path/: found beside the extension
        Path inside = MacosTestWheels.write(dir.resolve("inside"), "rp", "macosx_10_9_universal2",
                Map.of("rp/_ext.cpython-311-darwin.so", "libextfunc_rpath.dylib",
                        "rp/libextfunc2_rpath.dylib", "libextfunc2_rpath.dylib"), Map.of());
        MacosWheelAudit audit = audit(inside, List.of(), List.of());
        MacosBinary.Dependency dep = dependency(binary(audit, "rp/_ext.cpython-311-darwin.so"), "@rpath/libextfunc2_rpath.dylib");
        assertEquals(MacosBinary.Kind.WHEEL, dep.kind());
        assertEquals("rp/libextfunc2_rpath.dylib", dep.location());
        assertEquals(List.of("x86_64", "arm64"), dep.architectures());
        assertEquals(List.of(), audit.problems());
        assertEquals("macosx_10_9_universal2", audit.overallTag());

        Path libs = MacosTestWheels.libraries(dir.resolve("libs"), "libextfunc2_rpath.dylib");
        Path outside = MacosTestWheels.write(dir.resolve("outside"), "rp", "macosx_10_9_universal2",
                Map.of("rp/_ext.cpython-311-darwin.so", "libextfunc_rpath.dylib"), Map.of());
        audit = audit(outside, List.of(libs), List.of());
        dep = dependency(binary(audit, "rp/_ext.cpython-311-darwin.so"), "@rpath/libextfunc2_rpath.dylib");
        assertEquals(MacosBinary.Kind.EXTERNAL, dep.kind());
        assertEquals(libs.resolve("libextfunc2_rpath.dylib").toRealPath().toString(), dep.location());
    }

    @Test
    void anExecutableFindsLibrariesOfTheWheelByTheirInstallName() throws Exception {
        Path libs = MacosTestWheels.libraries(dir.resolve("libs"), "liba.dylib", "libb.dylib");
        Path wheel = MacosTestWheels.write(dir, "tool", "macosx_10_9_x86_64",
                Map.of("tool/bin/test-lib", "test-lib", "tool/lib/libc.dylib", "libc.dylib"), Map.of());
        MacosWheelAudit audit = audit(wheel, List.of(libs), List.of());
        MacosBinary exe = binary(audit, "tool/bin/test-lib");
        assertEquals("executable", exe.fileType());
        assertEquals(MacosBinary.Kind.WHEEL, dependency(exe, "libc.dylib").kind());
        assertEquals("tool/lib/libc.dylib", dependency(exe, "libc.dylib").location());
        assertEquals(MacosBinary.Kind.EXTERNAL, dependency(binary(audit, "tool/lib/libc.dylib"), "liba.dylib").kind());
    }

    @Test
    void binariesNeedingANewerMacosThanTheTagAreNamed() throws Exception {
        Path libs = MacosTestWheels.libraries(dir.resolve("libs"), "liba.dylib", "libb.dylib");
        Path wheel = MacosTestWheels.write(dir, "late", "macosx_10_9_x86_64",
                Map.of("late/_ext.cpython-311-darwin.so", "libc_12.dylib"), Map.of());
        MacosWheelAudit audit = audit(wheel, List.of(libs), List.of());
        assertEquals("macosx_12_0_x86_64", audit.overallTag());
        assertTrue(audit.problems().contains("late/_ext.cpython-311-darwin.so (x86_64) needs macOS 12.0, the tag promises 10.9"),
                audit.problems().toString());
    }

    @Test
    void aUniversal2TagNeedsBothArchitecturesEverywhere() throws Exception {
        Path wheel = MacosTestWheels.write(dir, "half", "macosx_10_9_universal2",
                Map.of("half/_ext.cpython-311-darwin.so", "liba.dylib", "half/_arm.cpython-311-darwin.so", "libam1.dylib"),
                Map.of());
        MacosWheelAudit audit = audit(wheel, List.of(), List.of());
        assertTrue(audit.problems().contains("half/_ext.cpython-311-darwin.so has no arm64 code (it has x86_64)"),
                audit.problems().toString());
        assertTrue(audit.problems().contains("half/_arm.cpython-311-darwin.so has no x86_64 code (it has arm64)"),
                audit.problems().toString());
        assertEquals("macosx_10_9_universal2", audit.overallTag());
    }

    @Test
    void aFatExtensionLoadingAThinLibraryIsNamed() throws Exception {
        Path libs = MacosTestWheels.libraries(dir.resolve("libs"), "liba.dylib");
        // libextfunc_rpath loads @rpath/libextfunc2_rpath.dylib; here a thin x86_64 library stands in for it
        java.nio.file.Files.copy(libs.resolve("liba.dylib"), libs.resolve("libextfunc2_rpath.dylib"));
        Path wheel = MacosTestWheels.write(dir, "mixed", "macosx_10_9_universal2",
                Map.of("mixed/_ext.cpython-311-darwin.so", "libextfunc_rpath.dylib"), Map.of());
        MacosWheelAudit audit = audit(wheel, List.of(libs), List.of());
        assertTrue(audit.problems().stream().anyMatch(p -> p.startsWith("mixed/_ext.cpython-311-darwin.so (arm64) loads ")
                && p.endsWith("libextfunc2_rpath.dylib, which has only x86_64")), audit.problems().toString());
    }

    @Test
    void excludedLibrariesAreNeitherBundledNorFollowed() throws Exception {
        Path libs = MacosTestWheels.libraries(dir.resolve("libs"), "liba.dylib", "libb.dylib");
        Path wheel = MacosTestWheels.write(dir, "chain", "macosx_10_9_x86_64",
                Map.of("chain/_ext.cpython-311-darwin.so", "libc.dylib"), Map.of());
        MacosWheelAudit audit = audit(wheel, List.of(libs), List.of("libb.*"));
        MacosBinary ext = binary(audit, "chain/_ext.cpython-311-darwin.so");
        assertEquals(MacosBinary.Kind.EXCLUDED, dependency(ext, "libb.dylib").kind());
        assertEquals(1, audit.externalLibraries().size());
    }

    @Test
    void objectFilesArchivesAndOtherFilesAreSkipped() throws Exception {
        Path wheel = MacosTestWheels.write(dir, "odd", "macosx_10_9_x86_64",
                Map.of("odd/_ext.cpython-311-darwin.so", "np-1.24.1_x86_64_random__sfc64.cpython-311-darwin.so",
                        "odd/a.o", "a.o", "odd/liba.a", "liba.a"), Map.of("odd/data.txt", "not a binary\n".repeat(10)));
        MacosWheelAudit audit = audit(wheel, List.of(), List.of());
        assertEquals(1, audit.binaries().size());
        assertEquals(List.of("odd/a.o: ignored, a Mach-O object is not loaded by dyld"), audit.notes());
        assertEquals(List.of(), audit.problems());
    }

    @Test
    void aMalformedBinaryFailsNamingTheWheelAndTheEntry() throws Exception {
        Path wheel = MacosTestWheels.write(dir, "bad", "macosx_10_9_x86_64",
                Map.of("bad/_ext.cpython-311-darwin.so", "libc.dylib"), Map.of());
        byte[] truncated = java.util.Arrays.copyOf(org.neuronsimulator.wheel.macho.MachoTestFiles.bytes("libc.dylib"), 600);
        org.neuronsimulator.wheel.archive.WheelContents contents = new org.neuronsimulator.wheel.archive.WheelContents();
        try (var archive = org.neuronsimulator.wheel.archive.WheelArchive.open(wheel)) {
            contents = archive.contents();
            contents.put("bad/_ext.cpython-311-darwin.so", truncated);
            java.nio.file.Path rewritten = dir.resolve("out").resolve(wheel.getFileName());
            java.nio.file.Files.createDirectories(rewritten.getParent());
            new org.neuronsimulator.wheel.archive.WheelWriter().write(contents, rewritten);
            WheelAuditException e = assertThrows(WheelAuditException.class, () -> audit(rewritten, List.of(), List.of()));
            assertTrue(e.getMessage().startsWith("bad-1.0-cp311-cp311-macosx_10_9_x86_64.whl: malformed Mach-O data: "
                    + "bad/_ext.cpython-311-darwin.so: load commands of 1400 bytes do not fit in the 600-byte file"),
                    e.getMessage());
        }
    }

    @Test
    void aWeakLibraryFoundNowhereIsANoteNotAProblem() throws Exception {
        byte[] exe = org.neuronsimulator.wheel.macho.MachoTestFiles.bytes("test-lib");
        org.neuronsimulator.wheel.macho.MachoFile macho = org.neuronsimulator.wheel.macho.MachoReader.read("test-lib",
                new org.neuronsimulator.wheel.elf.StreamByteSource(() -> new java.io.ByteArrayInputStream(exe), exe.length));
        long at = macho.slices().get(0).dependencies().get(0).offset() + macho.slices().get(0).headerSize();
        // LC_LOAD_DYLIB libc.dylib becomes LC_LOAD_WEAK_DYLIB (0x80000018, little-endian)
        exe[(int) at] = 0x18;
        exe[(int) at + 3] = (byte) 0x80;
        Path raw = java.nio.file.Files.createDirectories(dir.resolve("raw"));
        org.neuronsimulator.wheel.archive.WheelContents contents = new org.neuronsimulator.wheel.archive.WheelContents();
        Path base = MacosTestWheels.write(dir.resolve("base"), "weak", "macosx_10_9_x86_64",
                Map.of("weak/bin/test-lib", "test-lib"), Map.of());
        Path wheel;
        try (var archive = org.neuronsimulator.wheel.archive.WheelArchive.open(base)) {
            contents = archive.contents();
            contents.put("weak/bin/test-lib", exe);
            wheel = new org.neuronsimulator.wheel.archive.WheelWriter().write(contents, raw.resolve(base.getFileName()));
        }
        MacosWheelAudit audit = audit(wheel, List.of(), List.of());
        MacosBinary.Dependency libc = dependency(binary(audit, "weak/bin/test-lib"), "libc.dylib");
        assertEquals(MacosBinary.Kind.MISSING, libc.kind());
        assertTrue(libc.weak());
        assertEquals(List.of(), audit.missing());
        assertEquals(List.of(), audit.problems());
        assertEquals(List.of("weak/bin/test-lib loads libc.dylib weakly; it is found nowhere and runs without it"),
                audit.notes());
        // nothing to rewrite: the repair only retags, and needs no install-name tool
        MacosRepairResult repaired = new MacosWheelRepairer(Reporter.NONE).repair(wheel,
                org.neuronsimulator.wheel.repair.RepairOptions.defaults(), MacosRepairOptions.defaults()
                        .withSearch(new DyldSearch(List.of(), List.of(), Optional.empty(), true))
                        .withInstallNameTool(Optional.of("/nonexistent/install_name_tool")), dir.resolve("out"));
        assertEquals(Map.of(), repaired.bundled());
        assertEquals("weak-1.0-cp311-cp311-macosx_10_9_x86_64.whl", repaired.wheel().getFileName().toString());
    }

    @Test
    void linuxAndMacosAuditsShareOneJsonArrayWrittenWithAnOrdinaryMode() throws Exception {
        Path wheel = MacosTestWheels.write(dir, "np", "macosx_10_9_x86_64",
                Map.of("np/_sfc64.cpython-311-darwin.so", "np-1.24.1_x86_64_random__sfc64.cpython-311-darwin.so"), Map.of());
        Map<String, Object> macos = MacosAuditReport.toJsonObject(audit(wheel, List.of(), List.of()));
        Path json = dir.resolve("reports").resolve("audit.json");
        MacosAuditReport.writeJson(List.of(Map.of("wheel", "other.whl", "overallTag", "manylinux_2_17_x86_64"), macos), json);
        var parsed = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, parsed.size());
        assertEquals("macos", parsed.get(1).get("platform").asText());
        assertEquals("macosx_10_9_x86_64", parsed.get(1).get("overallTag").asText());
        Path ordinary = java.nio.file.Files.createFile(dir.resolve("reports").resolve("ordinary"));
        assertEquals(java.nio.file.Files.getPosixFilePermissions(ordinary), java.nio.file.Files.getPosixFilePermissions(json));
        try (var files = java.nio.file.Files.list(json.getParent())) {
            assertEquals(2, files.count(), "no temporary file left");
        }
    }
}
