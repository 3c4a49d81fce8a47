package org.neuronsimulator.wheel.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PolicyTableTest {

    /** The shared reference data: {@code ../shared/reference-data} beside the repository, else /work/shared. */
    static Path referenceData() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("../shared/reference-data"))) {
                return dir.resolve("../shared/reference-data").normalize();
            }
        }
        Path fallback = Path.of("/work/shared/reference-data");
        return Files.isDirectory(fallback) ? fallback : null;
    }

    @Test
    void tableMatchesTheReferencePolicies() throws IOException {
        Path data = referenceData();
        assumeTrue(data != null, "reference data is not present");
        compare(data.resolve("auditwheel-policy/manylinux-policy.json"), Libc.GLIBC);
        compare(data.resolve("auditwheel-policy/musllinux-policy.json"), Libc.MUSL);
    }

    private static void compare(Path json, Libc libc) throws IOException {
        JsonNode reference = new ObjectMapper().readTree(json.toFile());
        Map<String, PolicyTable.Entry> ours = new TreeMap<>();
        for (PolicyTable.Entry e : PolicyTable.builtIn().entries(libc)) {
            ours.put(e.name(), e);
        }
        Set<String> names = new TreeSet<>();
        for (JsonNode p : reference) {
            String name = p.get("name").asText();
            if (name.equals("linux")) {
                continue;
            }
            names.add(name);
            PolicyTable.Entry e = ours.get(name);
            assertTrue(e != null, "missing policy " + name);
            assertEquals(p.get("priority").asInt(), e.priority(), name);
            assertEquals(strings(p.get("aliases")), e.aliases(), name);
            assertEquals(new HashSet<>(strings(p.get("lib_whitelist"))), e.libraries(), name);
            Map<String, Map<String, Set<String>>> versions = new TreeMap<>();
            p.get("symbol_versions").fields().forEachRemaining(arch -> {
                Map<String, Set<String>> prefixes = new TreeMap<>();
                arch.getValue().fields().forEachRemaining(pre -> prefixes.put(pre.getKey(), new HashSet<>(strings(pre.getValue()))));
                versions.put(arch.getKey(), prefixes);
            });
            assertEquals(versions, e.symbolVersions(), name);
            Map<String, Set<String>> blacklist = new TreeMap<>();
            p.get("blacklist").fields().forEachRemaining(b -> blacklist.put(b.getKey(), new HashSet<>(strings(b.getValue()))));
            assertEquals(blacklist, e.blacklist(), name);
        }
        assertEquals(names, ours.keySet());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    @Test
    void symbolVersionsSelectThePolicy() {
        PolicySet x86 = PolicyTable.builtIn().forArchitecture(Libc.GLIBC, "x86_64");
        assertEquals("manylinux_2_5_x86_64", x86.symbolPolicy(Map.of("libc.so.6", List.of("GLIBC_2.2.5"))).tag());
        assertEquals("manylinux_2_17_x86_64", x86.symbolPolicy(Map.of("libc.so.6", List.of("GLIBC_2.17", "GLIBC_2.14"))).tag());
        assertEquals("manylinux_2_28_x86_64", x86.symbolPolicy(Map.of("libc.so.6", List.of("GLIBC_2.28"))).tag());
        assertEquals("linux_x86_64", x86.symbolPolicy(Map.of("libc.so.6", List.of("GLIBC_PRIVATE"))).tag());
        // Prefixes no policy lists do not constrain.
        assertEquals("manylinux_2_5_x86_64", x86.symbolPolicy(Map.of("libfoo.so", List.of("FOO_9.9"))).tag());
        assertEquals(Set.of("GLIBC_2.34"), PolicySet.versionsBeyond(x86.find("manylinux2014").orElseThrow(),
                Map.of("libc.so.6", List.of("GLIBC_2.34", "GLIBC_2.2.5"))));
    }

    @Test
    void namesAliasesAndArchitectures() {
        PolicySet x86 = PolicyTable.builtIn().forArchitecture(Libc.GLIBC, "x86_64");
        assertEquals("manylinux_2_17", x86.find("manylinux2014").orElseThrow().name());
        assertEquals("manylinux_2_28", x86.find("manylinux_2_28_x86_64").orElseThrow().name());
        assertEquals(List.of("manylinux_2_5_x86_64", "manylinux1_x86_64"), x86.highest().tags());
        assertEquals("linux_x86_64", x86.linux().tag());
        PolicySet riscv = PolicyTable.builtIn().forArchitecture(Libc.GLIBC, "riscv64");
        assertEquals("manylinux_2_31_riscv64", riscv.highest().tag());
        PolicySet ppc64 = PolicyTable.builtIn().forArchitecture(Libc.GLIBC, "ppc64");
        assertEquals(List.of("manylinux_2_17_ppc64", "linux_ppc64"), ppc64.all().stream().map(Policy::tag).toList());
        PolicySet musl = PolicyTable.builtIn().forArchitecture(Libc.MUSL, "aarch64");
        assertEquals("musllinux_1_1_aarch64", musl.highest().tag());
        assertTrue(musl.highest().libraries().contains("libc.musl-aarch64.so.1"));
        assertFalse(musl.highest().libraries().contains("libc.so"));
        assertTrue(PolicyTable.builtIn().forArchitecture(Libc.MUSL, "i686").highest().libraries()
                .contains("libc.musl-x86.so.1"));
    }

    @Test
    void muslWheelsAreJudgedByTheSystemsMuslRelease() {
        PolicyTable table = PolicyTable.builtIn();
        assertEquals(List.of("musllinux_1_1_x86_64", "linux_x86_64"), tags(table.forMusl("x86_64",
                java.util.Optional.of(new LibcVersion(1, 1)))));
        assertEquals(List.of("musllinux_1_2_x86_64", "linux_x86_64"), tags(table.forMusl("x86_64",
                java.util.Optional.of(new LibcVersion(1, 2)))));
        // A release the table does not know yet: the newest policy it does not exceed.
        assertEquals(List.of("musllinux_1_2_x86_64", "linux_x86_64"), tags(table.forMusl("x86_64",
                java.util.Optional.of(new LibcVersion(1, 3)))));
        assertEquals(List.of("musllinux_1_2_aarch64", "linux_aarch64"), tags(table.forMusl("aarch64",
                java.util.Optional.empty())));
        assertEquals(List.of("linux_x86_64"), tags(table.forMusl("x86_64", java.util.Optional.of(new LibcVersion(1, 0)))));
        // musllinux_1_1 has no loongarch64 policy.
        assertEquals(List.of("linux_loongarch64"), tags(table.forMusl("loongarch64",
                java.util.Optional.of(new LibcVersion(1, 1)))));
    }

    @Test
    void muslsReleaseIsReadFromTheLibrary() throws IOException {
        byte[] fake = ("\0musl libc (x86_64)\nVersion %s\n\0" + "1.2.4\0" + "GLIBC_2.2.5\0" + "12.34\0")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(Set.of("1.2.4"), MuslRelease.releaseStrings(fake));
        Path debian = Path.of("/usr/lib/x86_64-linux-musl/libc.so");
        assumeTrue(Files.isRegularFile(debian), "Debian's musl is not installed");
        java.util.List<String> dpkg = new java.util.ArrayList<>();
        org.neuronsimulator.wheel.process.ProcessRunner.of("dpkg-query", "-W", "-f=${Version}\\n", "musl")
                .onOutput(dpkg::add).run();
        assertEquals(java.util.Optional.of(LibcVersion.parse(dpkg.get(0))), MuslRelease.of(debian, false),
                "the release string in Debian's musl agrees with its package version " + dpkg);
    }

    private static List<String> tags(PolicySet set) {
        return set.all().stream().map(Policy::tag).toList();
    }
}
