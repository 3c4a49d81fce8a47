package org.neuronsimulator.wheel.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.elf.NativeBuild;

/** Audits wheels made of objects compiled by the test, resolving on this host. */
class WheelAuditorTest {

    @TempDir
    static Path dir;
    static Path external;
    static byte[] internalLib;
    static byte[] extension;
    static byte[] privateUser;
    static HostLibraryResolver resolver;

    @BeforeAll
    static void build() throws IOException {
        assumeTrue(NativeBuild.gccAvailable(), "gcc is needed to build test objects");
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "the expected tags are x86_64 ones");
        Path ext = Files.createDirectories(dir.resolve("external"));
        external = NativeBuild.compile(dir, "outside", "int outside(int x) { return x + 40; }\n",
                ext.resolve("liboutside.so.2"), "-shared", "-fPIC", "-Wl,-soname,liboutside.so.2");
        Path in = Files.createDirectories(dir.resolve("inside"));
        Path inside = NativeBuild.compile(dir, "inside", "int inside(int x) { return x * 2; }\n",
                in.resolve("libinside.so"), "-shared", "-fPIC", "-Wl,-soname,libinside.so");
        internalLib = Files.readAllBytes(inside);
        String source = """
                #include <stdlib.h>
                int inside(int); int outside(int);
                void *PyInit_demo(void) { return reallocarray(NULL, (size_t) inside(outside(1)), 8); }
                """;
        extension = Files.readAllBytes(NativeBuild.compile(dir, "demo", source, dir.resolve("demo.so"),
                "-shared", "-fPIC", "-L" + in, "-L" + ext, "-linside", "-l:liboutside.so.2",
                "-Wl,-rpath,$ORIGIN/../demo.libs"));
        // A library whose version node is named GLIBC_PRIVATE, as glibc's internal symbols are.
        Path privDir = Files.createDirectories(dir.resolve("priv"));
        Files.writeString(dir.resolve("priv.map"), "GLIBC_PRIVATE { global: private_call; local: *; };\n");
        NativeBuild.compile(dir, "privlib", "int private_call(void) { return 1; }\n", privDir.resolve("libpriv.so"),
                "-shared", "-fPIC", "-Wl,-soname,libpriv.so", "-Wl,--version-script=" + dir.resolve("priv.map"));
        privateUser = Files.readAllBytes(NativeBuild.compile(dir, "user",
                "int private_call(void);\nint PyInit_user(void) { return private_call(); }\n", dir.resolve("user.so"),
                "-shared", "-fPIC", "-L" + privDir, "-lpriv", "-Wl,-rpath,$ORIGIN"));
        resolver = new HostLibraryResolver(Path.of("/"), List.of(ext.toString()), "/etc/ld.so.conf");
    }

    private static WheelAudit audit(Path wheel, List<String> excludes) throws Exception {
        return new WheelAuditor(resolver, AuditOptions.defaults().withExcludes(excludes)).audit(wheel);
    }

    private static Map<String, byte[]> demoEntries() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("demo/__init__.py", "from ._demo import *\n".getBytes());
        entries.put("demo/demo.cpython-311-x86_64-linux-gnu.so", extension);
        entries.put("demo.libs/libinside.so", internalLib);
        return entries;
    }

    @Test
    void externalLibraryKeepsTheWheelGenericUntilBundled() throws Exception {
        Path wheel = TestWheels.write(dir.resolve("demo-1.0-cp311-cp311-linux_x86_64.whl"), "demo-1.0.dist-info",
                demoEntries());
        WheelAudit audit = audit(wheel, List.of());
        assertEquals("linux_x86_64", audit.overallTag());
        assertEquals(external.toRealPath().toString(), audit.externalLibraries().get("liboutside.so.2"));
        assertFalse(audit.externalLibraries().containsKey("libinside.so"), "libinside.so is inside the wheel");
        assertTrue(audit.versionedSymbols().get("libc.so.6").contains("GLIBC_2.26"));
        assertEquals("manylinux_2_26_x86_64", audit.symbolTag());
        assertEquals("manylinux_2_26_x86_64", audit.repairablePolicy().tag());
        assertEquals(List.of("liboutside.so.2"),
                audit.policyUpgrades().get("manylinux_2_26_x86_64").librariesToEliminate());
        assertTrue(audit.elfFiles().stream().anyMatch(e -> e.extension() && e.path().endsWith("/demo.cpython-311-x86_64-linux-gnu.so")));
        String json = AuditReport.toJson(List.of(audit));
        assertTrue(json.contains("\"overallTag\" : \"linux_x86_64\""), json);
        assertTrue(AuditReport.toText(audit).contains("liboutside.so.2 => " + external.toRealPath()));
    }

    @Test
    void excludedLibrariesDropOut() throws Exception {
        Path wheel = TestWheels.write(dir.resolve("demo-1.0-cp311-cp311-linux_x86_64.whl"), "demo-1.0.dist-info",
                demoEntries());
        WheelAudit audit = audit(wheel, List.of("liboutside*"));
        assertTrue(audit.externalLibraries().isEmpty(), audit.externalLibraries().toString());
        assertEquals("manylinux_2_26_x86_64", audit.overallTag());
    }

    @Test
    void missingLibraryIsReportedUnresolved() throws Exception {
        Path wheel = TestWheels.write(dir.resolve("demo-1.0-cp311-cp311-linux_x86_64.whl"), "demo-1.0.dist-info",
                demoEntries());
        WheelAudit audit = new WheelAuditor(new HostLibraryResolver(Path.of("/"), List.of(), "/etc/ld.so.conf"),
                AuditOptions.defaults()).audit(wheel);
        assertTrue(audit.externalLibraries().containsKey("liboutside.so.2"));
        assertNull(audit.externalLibraries().get("liboutside.so.2"));
        assertEquals(List.of("liboutside.so.2"), audit.unresolvedLibraries());
        assertEquals("linux_x86_64", audit.overallTag());
    }

    @Test
    void glibcPrivateFailsEveryManylinuxPolicy() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("user.cpython-311-x86_64-linux-gnu.so", privateUser);
        entries.put("libpriv.so", Files.readAllBytes(dir.resolve("priv/libpriv.so")));
        Path wheel = TestWheels.write(dir.resolve("user-1.0-cp311-cp311-linux_x86_64.whl"), "user-1.0.dist-info", entries);
        WheelAudit audit = audit(wheel, List.of());
        assertEquals(List.of("GLIBC_PRIVATE"), List.copyOf(audit.versionedSymbols().get("libpriv.so")));
        assertEquals("linux_x86_64", audit.symbolTag());
        assertEquals("linux_x86_64", audit.overallTag());
        assertTrue(audit.externalLibraries().isEmpty());
        assertTrue(AuditReport.toText(audit).contains("GLIBC_PRIVATE"), AuditReport.toText(audit));
    }

    @Test
    void instructionSetLevelAboveTheBaselineIsGeneric() throws Exception {
        Path out = dir.resolve("v3.so");
        assumeTrue(NativeBuild.tryCompile(dir, "v3", "int PyInit_v3(void) { return 3; }\n", out, "-shared", "-fPIC",
                "-march=x86-64-v3", "-Wl,-z,x86-64-v3").succeeded(), "the linker cannot mark ISA levels");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("v3.cpython-311-x86_64-linux-gnu.so", Files.readAllBytes(out));
        Path wheel = TestWheels.write(dir.resolve("v3-1.0-cp311-cp311-linux_x86_64.whl"), "v3-1.0.dist-info", entries);
        WheelAudit audit = audit(wheel, List.of());
        assertEquals("linux_x86_64", audit.overallTag());
        assertTrue(audit.machinePolicy().isGenericLinux());
        assertTrue(AuditReport.toJson(List.of(audit)).contains("\"unsupportedIsa\" : true"));
        WheelAudit skipped = new WheelAuditor(resolver, new AuditOptions(List.of(), true, 1)).audit(wheel);
        assertEquals("manylinux_2_5_x86_64", skipped.overallTag());
    }

    @Test
    void muslObjectsAreAuditedAgainstMusllinux() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("m/libm1.so", org.neuronsimulator.wheel.elf.SyntheticElfTest.sharedObject(64, true, 183,
                List.of("libc.musl-aarch64.so.1", "libz.so.1"), "libm1.so"));
        Path wheel = TestWheels.write(dir.resolve("m-1.0-cp311-cp311-linux_aarch64.whl"), "m-1.0.dist-info", entries);
        WheelAudit audit = audit(wheel, List.of());
        // This machine has no aarch64 musl, so its release is unknown and the newest policy judges.
        assertEquals("musllinux_1_2_aarch64", audit.overallTag());
        assertEquals(List.of("musllinux_1_2_aarch64", "linux_aarch64"),
                audit.policies().all().stream().map(Policy::tag).toList());
        assertTrue(audit.externalLibraries().isEmpty(), audit.externalLibraries().toString());
    }

    @Test
    void randomBytesNamedSoAreNotedAndSkipped() throws Exception {
        Map<String, byte[]> entries = demoEntries();
        byte[] noise = new byte[3000];
        new Random(3).nextBytes(noise);
        entries.put("demo/noise.so", noise);
        Path wheel = TestWheels.write(dir.resolve("noise-1.0-cp311-cp311-linux_x86_64.whl"), "noise-1.0.dist-info", entries);
        WheelAudit audit = audit(wheel, List.of("liboutside*"));
        assertEquals("manylinux_2_26_x86_64", audit.overallTag());
        assertTrue(audit.notes().contains("demo/noise.so: not an ELF file, ignored"), audit.notes().toString());
    }

    @Test
    void malformedElfInAWheelIsAnErrorNamingTheEntry() throws Exception {
        Map<String, byte[]> entries = demoEntries();
        entries.put("demo/cut.so", Arrays.copyOf(extension, 300));
        Path wheel = TestWheels.write(dir.resolve("cut-1.0-cp311-cp311-linux_x86_64.whl"), "cut-1.0.dist-info", entries);
        WheelAuditException e = assertThrows(WheelAuditException.class, () -> audit(wheel, List.of()));
        assertTrue(e.getMessage().startsWith("cut-1.0-cp311-cp311-linux_x86_64.whl: malformed ELF data: demo/cut.so: "),
                e.getMessage());
    }

    @Test
    void notAZipAndPureWheelsAreErrors() throws Exception {
        Path junk = dir.resolve("junk-1.0-py3-none-any.whl");
        Files.writeString(junk, "not a zip");
        assertTrue(assertThrows(WheelAuditException.class, () -> audit(junk, List.of())).getMessage()
                .contains("not a readable zip archive"));
        Path pure = TestWheels.write(dir.resolve("pure-1.0-py3-none-any.whl"), "pure-1.0.dist-info",
                Map.of("pure/__init__.py", new byte[] {'x'}));
        assertTrue(assertThrows(WheelAuditException.class, () -> audit(pure, List.of())).getMessage()
                .contains("not a platform wheel"));
    }
}
