package org.neuronsimulator.wheel.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.elf.NativeBuild;
import org.neuronsimulator.wheel.elf.SyntheticElfTest;
import org.neuronsimulator.wheel.elf.Toolchain;

/**
 * One object compiled by the test per kind of wheel the audit must judge like auditwheel: musl,
 * hard- and soft-float ARM, aarch64, i686, fpectl, libpython linkage, forbidden imports, x86-64 ISA
 * levels, unknown and mismatched architectures. Each wheel is audited here and by the reference
 * auditwheel ({@code ../shared/tools/auditwheel}); both must give the same overall tag, symbol tag,
 * external libraries, fpectl and ISA verdicts and policy upgrades, or both refuse the wheel.
 */
class AuditwheelParityTest {

    @TempDir
    static Path dir;
    static ReferenceAuditwheel reference;

    @BeforeAll
    static void locate() {
        reference = ReferenceAuditwheel.locate();
        assumeTrue(reference != null, "the reference auditwheel (../shared/tools/auditwheel) is not present");
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "the host tools build x86_64 objects natively");
    }

    private static Path compile(Toolchain toolchain, String module, String source, String... arguments) throws IOException {
        assumeTrue(toolchain.available(), toolchain.compiler() + " is not installed (.ci/setup.d installs it)");
        Path out = Files.createDirectories(dir.resolve(toolchain.name().toLowerCase()))
                .resolve(module + ".cpython-311-" + toolchain.triplet() + ".so");
        List<String> args = new ArrayList<>(List.of("-shared", "-fPIC", "-O1"));
        args.addAll(List.of(arguments));
        return toolchain.compile(dir, module + "-" + toolchain.name(), source, out, args.toArray(String[]::new));
    }

    private static Path wheel(String distribution, String platform, Map<String, Path> files) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(distribution + "/__init__.py", new byte[] {'#'});
        for (Map.Entry<String, Path> file : files.entrySet()) {
            entries.put(file.getKey(), Files.readAllBytes(file.getValue()));
        }
        String name = distribution + "-1.0-cp311-cp311-" + platform + ".whl";
        return TestWheels.write(dir.resolve(name), distribution + "-1.0.dist-info", entries, "cp311-cp311-" + platform);
    }

    private static Path extensionWheel(String distribution, String platform, Path extension) throws IOException {
        return wheel(distribution, platform, Map.of(distribution + "/" + extension.getFileName(), extension));
    }

    /** Audits with both tools, requires the same verdict and returns ours. */
    private static WheelAudit sameVerdict(Path wheel, List<String> libraryPath) throws Exception {
        ReferenceAuditwheel.Run run = reference.show(wheel, libraryPath.isEmpty() ? Map.of()
                : Map.of("LD_LIBRARY_PATH", String.join(":", libraryPath)));
        JsonNode theirs = run.json();
        assertTrue(run.exitCode() == 0 && theirs != null && theirs.has("overall_tag"),
                "the reference refused " + wheel.getFileName() + ": " + run.describe());
        WheelAudit ours = new WheelAuditor(new HostLibraryResolver(Path.of("/"), libraryPath, "/etc/ld.so.conf"),
                AuditOptions.defaults()).audit(wheel);
        String context = wheel.getFileName() + "\nreference: " + theirs.toPrettyString() + "\nours:\n"
                + AuditReport.toText(ours);
        assertEquals(theirs.get("overall_tag").asText(), ours.overallTag(), context);
        assertEquals(theirs.get("sym_tag").asText(), ours.symbolTag(), context);
        Set<String> theirLibs = new TreeSet<>();
        theirs.get("external_libs").fieldNames().forEachRemaining(theirLibs::add);
        assertEquals(theirLibs, ours.externalLibraries().keySet(), context);
        assertEquals(theirs.get("pyfpe").asBoolean(), ours.usesFpectl(), context);
        assertEquals(theirs.get("unsupported_isa").asBoolean(),
                AuditReport.toJsonObject(ours).get("unsupportedIsa"), context);
        Map<String, Object> theirUpgrades = new TreeMap<>();
        theirs.get("policy_upgrades").fields().forEachRemaining(e -> theirUpgrades.put(e.getKey(),
                List.of(strings(e.getValue().get("libs_to_eliminate")), blacklist(e.getValue().get("blacklisted_symbols")))));
        Map<String, Object> ourUpgrades = new TreeMap<>();
        ours.policyUpgrades().forEach((tag, upgrade) -> ourUpgrades.put(tag,
                List.of(new TreeSet<>(upgrade.librariesToEliminate()), new TreeMap<>(upgrade.blacklistedSymbols()))));
        assertEquals(theirUpgrades.toString(), ourUpgrades.toString(), context);
        return ours;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new TreeSet<>();
        if (array != null) {
            array.forEach(v -> values.add(v.asText()));
        }
        return values;
    }

    private static Map<String, List<String>> blacklist(JsonNode object) {
        Map<String, List<String>> values = new TreeMap<>();
        if (object != null) {
            object.fields().forEachRemaining(e -> values.put(e.getKey(), List.copyOf(strings(e.getValue()))));
        }
        return values;
    }

    /** Both tools refuse the wheel; returns our message. */
    private static String bothRefuse(Path wheel) throws Exception {
        ReferenceAuditwheel.Run run = reference.show(wheel, Map.of());
        JsonNode theirs = run.json();
        assertTrue(run.exitCode() != 0 && (theirs == null || theirs.has("error")),
                "the reference accepted " + wheel.getFileName() + ": " + run.describe());
        WheelAuditException e = assertThrows(WheelAuditException.class, () -> new WheelAuditor(
                HostLibraryResolver.ofSystem(), AuditOptions.defaults()).audit(wheel));
        assertTrue(e.getMessage().startsWith(wheel.getFileName() + ": "), e.getMessage());
        return e.getMessage();
    }

    static final String PLAIN = """
            #include <string.h>
            size_t PyInit_%1$s(const char *s) { return strlen(s); }
            """;

    @Test
    void muslExtensionIsMusllinuxOfThisSystemsMuslRelease() throws Exception {
        Path ext = compile(Toolchain.MUSL_X86_64, "mext", PLAIN.formatted("mext"));
        assertTrue(NativeBuild.run("readelf", "-dW", ext.toString()).contains("[libc.musl-x86_64.so.1]"));
        WheelAudit audit = sameVerdict(extensionWheel("mext", "linux_x86_64", ext), List.of());
        assertEquals("musllinux_1_2_x86_64", audit.overallTag());
        assertEquals(List.of("musllinux_1_2_x86_64", "linux_x86_64"),
                audit.policies().all().stream().map(Policy::tag).toList(), "musl 1.2 is installed here");
    }

    @Test
    void muslExtensionWithAnExternalMuslLibrary() throws Exception {
        assumeTrue(Toolchain.MUSL_X86_64.available(), "musl-gcc is not installed");
        Path libs = Files.createDirectories(dir.resolve("musl-libs"));
        Toolchain.MUSL_X86_64.compile(dir, "mhelp", "int mhelp(int x) { return x + 1; }\n",
                libs.resolve("libmhelp.so.1"), "-shared", "-fPIC", "-Wl,-soname,libmhelp.so.1");
        Path ext = compile(Toolchain.MUSL_X86_64, "mlinked", """
                int mhelp(int);
                int PyInit_mlinked(void) { return mhelp(41); }
                """, "-L" + libs, "-l:libmhelp.so.1");
        WheelAudit audit = sameVerdict(extensionWheel("mlinked", "linux_x86_64", ext), List.of(libs.toString()));
        assertEquals("linux_x86_64", audit.overallTag());
        assertEquals("musllinux_1_2_x86_64", audit.symbolTag());
        assertEquals(libs.resolve("libmhelp.so.1").toRealPath().toString(), audit.externalLibraries().get("libmhelp.so.1"));
    }

    @Test
    void hardFloatArmIsArmv7l() throws Exception {
        Path ext = compile(Toolchain.ARM_HARD_FLOAT, "armext", PLAIN.formatted("armext"));
        WheelAudit audit = sameVerdict(extensionWheel("armext", "linux_armv7l", ext), List.of());
        assertEquals("manylinux_2_17_armv7l", audit.overallTag());
    }

    @Test
    void softFloatArmIsRefused() throws Exception {
        Path ext = compile(Toolchain.ARM_SOFT_FLOAT, "armel", PLAIN.formatted("armel"));
        String message = bothRefuse(extensionWheel("armel", "linux_armv7l", ext));
        assertTrue(message.contains("soft-float ARM ABI (armv7l is hard-float)"), message);
    }

    @Test
    void aarch64() throws Exception {
        Path ext = compile(Toolchain.AARCH64, "a64ext", PLAIN.formatted("a64ext"));
        assertEquals("manylinux_2_17_aarch64", sameVerdict(extensionWheel("a64ext", "linux_aarch64", ext), List.of())
                .overallTag());
    }

    @Test
    void i686() throws Exception {
        Path ext = compile(Toolchain.I686, "x86ext", PLAIN.formatted("x86ext"));
        String tag = sameVerdict(extensionWheel("x86ext", "linux_i686", ext), List.of()).overallTag();
        assertTrue(tag.startsWith("manylinux_") && tag.endsWith("_i686"), tag);
    }

    @Test
    void fpectlSymbolsRuleOutEveryPolicy() throws Exception {
        Path ext = compile(Toolchain.GLIBC_X86_64, "fpe", """
                extern char PyFPE_jbuf[];
                int PyInit_fpe(void) { return PyFPE_jbuf[0]; }
                """);
        WheelAudit audit = sameVerdict(extensionWheel("fpe", "linux_x86_64", ext), List.of());
        assertEquals("linux_x86_64", audit.overallTag());
        assertTrue(audit.usesFpectl());
        assertTrue(audit.notes().stream().anyMatch(n -> n.contains("imports PyFPE_jbuf")), audit.notes()::toString);
    }

    @Test
    void libpythonLinkageIsReportedAsAnExternalLibrary() throws Exception {
        String libdir = NativeBuild.run("python3", "-c", "import sysconfig; print(sysconfig.get_config_var('LIBDIR'))").trim();
        String ldlibrary = NativeBuild.run("python3", "-c", "import sysconfig; print(sysconfig.get_config_var('LDLIBRARY'))").trim();
        assumeTrue(ldlibrary.endsWith(".so") && Files.exists(Path.of(libdir, ldlibrary)), "no shared libpython to link");
        Path ext = compile(Toolchain.GLIBC_X86_64, "pylinked", """
                int Py_IsInitialized(void);
                int PyInit_pylinked(void) { return Py_IsInitialized(); }
                """, "-L" + libdir, "-l:" + ldlibrary);
        WheelAudit audit = sameVerdict(extensionWheel("pylinked", "linux_x86_64", ext), List.of());
        assertEquals("linux_x86_64", audit.overallTag());
        String soname = audit.externalLibraries().keySet().iterator().next();
        assertTrue(WheelAuditor.isLibpython(soname), soname);
        assertEquals(null, audit.externalLibraries().get(soname));
        assertEquals(List.of(), audit.unresolvedLibraries(), "libpython is removed by repair, not looked for");
    }

    @Test
    void forbiddenImportsPerLibrary() throws Exception {
        assumeTrue(Files.exists(Path.of("/lib/x86_64-linux-gnu/libz.so.1")), "zlib is not installed");
        Path strong = compile(Toolchain.GLIBC_X86_64, "zuse", """
                int uncompress2(unsigned char *, unsigned long *, const unsigned char *, unsigned long *);
                int PyInit_zuse(void) { return uncompress2(0, 0, 0, 0); }
                """, "-L/lib/x86_64-linux-gnu", "-l:libz.so.1");
        WheelAudit audit = sameVerdict(extensionWheel("zuse", "linux_x86_64", strong), List.of());
        // ZLIB_1.2.9 allows manylinux_2_27, but policies up to manylinux_2_31 forbid uncompress2 from libz.so.1.
        assertEquals("manylinux_2_27_x86_64", audit.symbolTag());
        assertEquals("manylinux_2_34_x86_64", audit.overallTag());
        assertEquals(List.of("uncompress2"),
                audit.policyUpgrades().get("manylinux_2_31_x86_64").blacklistedSymbols().get("libz.so.1"));
        // A weak import may be missing at run time, so it is allowed.
        Path weak = compile(Toolchain.GLIBC_X86_64, "zweak", """
                #pragma weak uncompress2
                int uncompress2(unsigned char *, unsigned long *, const unsigned char *, unsigned long *);
                int PyInit_zweak(void) { return uncompress2 ? 1 : 0; }
                """, "-L/lib/x86_64-linux-gnu", "-l:libz.so.1");
        WheelAudit weakAudit = sameVerdict(extensionWheel("zweak", "linux_x86_64", weak), List.of());
        assertEquals(weakAudit.policies().highest(), weakAudit.blacklistPolicy());
        // Older policies forbid a glibc function that newer ones allow: the upgrades name it per library.
        Path pthread = compile(Toolchain.GLIBC_X86_64, "pdefault", """
                #define _GNU_SOURCE
                #include <pthread.h>
                int PyInit_pdefault(void) { pthread_attr_t a; return pthread_getattr_default_np(&a); }
                """);
        WheelAudit old = sameVerdict(extensionWheel("pdefault", "linux_x86_64", pthread), List.of());
        assertEquals(List.of("pthread_getattr_default_np"),
                old.policyUpgrades().get("manylinux_2_17_x86_64").blacklistedSymbols().get("libc.so.6"));
    }

    @Test
    void instructionSetAboveTheBaselineIsGeneric() throws Exception {
        Path ext = compile(Toolchain.GLIBC_X86_64, "isav3", "int PyInit_isav3(void) { return 3; }\n",
                "-march=x86-64-v3", "-Wl,-z,x86-64-v3");
        assumeTrue(NativeBuild.run("readelf", "-nW", ext.toString()).contains("x86-64-v3"),
                "this linker does not record ISA levels");
        WheelAudit audit = sameVerdict(extensionWheel("isav3", "linux_x86_64", ext), List.of());
        assertEquals("linux_x86_64", audit.overallTag());
    }

    @Test
    void unknownArchitectureIsRefused() throws Exception {
        byte[] mips = SyntheticElfTest.sharedObject(32, false, 8, List.of("libc.so.6"), "libmips.so");
        Path file = Files.write(dir.resolve("libmips.so"), mips);
        String message = bothRefuse(wheel("mips", "linux_x86_64", Map.of("mips/libmips.so", file)));
        assertTrue(message.contains("unknown architecture"), message);
    }

    @Test
    void objectsOfAnotherArchitectureThanTheNameAreRefused() throws Exception {
        Path ext = compile(Toolchain.AARCH64, "misnamed", PLAIN.formatted("misnamed"));
        String message = bothRefuse(extensionWheel("misnamed", "linux_x86_64", ext));
        assertTrue(message.contains("built for aarch64 while the wheel is x86_64"), message);
    }

    @Test
    void libcContradictionsAreRefusedNamingTheFile() throws Exception {
        // Stricter than auditwheel, which takes the linkage and ignores the name.
        Path glibc = compile(Toolchain.GLIBC_X86_64, "liar", PLAIN.formatted("liar"));
        Path renamed = Files.copy(glibc, glibc.resolveSibling("liar.cpython-312-x86_64-linux-musl.so"));
        Path wheel = wheel("liar", "linux_x86_64", Map.of("liar/" + renamed.getFileName(), renamed));
        WheelAuditException e = assertThrows(WheelAuditException.class, () -> new WheelAuditor(
                HostLibraryResolver.ofSystem(), AuditOptions.defaults()).audit(wheel));
        assertTrue(e.getMessage().contains("liar/liar.cpython-312-x86_64-linux-musl.so: its file name names musl but it"
                + " is linked against glibc (DT_NEEDED libc.so.6)"), e.getMessage());
        // A musllinux name over glibc objects.
        Path named = extensionWheel("liar", "musllinux_1_2_x86_64", glibc);
        WheelAuditException tagged = assertThrows(WheelAuditException.class, () -> new WheelAuditor(
                HostLibraryResolver.ofSystem(), AuditOptions.defaults()).audit(named));
        assertTrue(tagged.getMessage().contains("is built for glibc but its platform tag says musl"), tagged.getMessage());
    }

    @Test
    void anExtensionLinkedWithoutItsLibcIsJudgedByTheSystemWhereItsLibrariesResolve() throws Exception {
        // --as-needed drops libc.so.6 when nothing of it is called; a pre-3.11 suffix tells nothing either.
        // The reference stops with a traceback (InvalidLibcError); here the resolving system (glibc) decides.
        Path out = dir.resolve("asneeded.cpython-310-x86_64-linux-gnu.so");
        NativeBuild.run("gcc", "-shared", "-fPIC", "-nostdlib", "-Wl,--as-needed", "-o", out.toString(),
                Files.writeString(dir.resolve("asneeded.c"), "int PyInit_asneeded(void) { return 0; }\n").toString());
        assertTrue(!NativeBuild.run("readelf", "-dW", out.toString()).contains("NEEDED"), "the object needs nothing");
        WheelAudit audit = new WheelAuditor(HostLibraryResolver.ofSystem(), AuditOptions.defaults())
                .audit(extensionWheel("asneeded", "linux_x86_64", out));
        assertTrue(audit.overallTag().startsWith("manylinux_"), audit.overallTag());
        assertTrue(audit.notes().stream().anyMatch(n -> n.contains("names no C library") && n.contains("judged as glibc")),
                audit.notes()::toString);
    }

    @Test
    void anExtensionThatNamesNoLibcIsRefused() throws Exception {
        // musl's own soname (Debian's "libc.so") and a pre-3.11 suffix tell nothing.
        assumeTrue(Toolchain.MUSL_X86_64.available(), "musl-gcc is not installed");
        Path out = dir.resolve("nolibc.cpython-310-x86_64-linux-gnu.so");
        NativeBuild.run("musl-gcc", "-shared", "-fPIC", "-o", out.toString(),
                Files.writeString(dir.resolve("nolibc.c"), PLAIN.formatted("nolibc")).toString());
        String message = bothRefuse(extensionWheel("nolibc", "linux_x86_64", out));
        assertTrue(message.contains("cannot tell which C library nolibc/nolibc.cpython-310-x86_64-linux-gnu.so"), message);
    }
}
