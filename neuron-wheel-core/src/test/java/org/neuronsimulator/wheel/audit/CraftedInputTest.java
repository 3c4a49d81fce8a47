package org.neuronsimulator.wheel.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.archive.InvalidWheelException;

/**
 * Hostile ELF objects, each wrapped in a wheel and audited as a user's build would, must end within
 * 5 seconds in a verdict or an error that names the entry and what is wrong. The build runs this
 * class with a 256 MiB heap (see the {@code bounded-memory} surefire execution), so memory
 * amplification shows as an {@link OutOfMemoryError}, which must escape, never be reported as a fault
 * of the wheel.
 */
class CraftedInputTest {

    /** 5 s; a longer limit can be set to time other versions of the reader on the same inputs. */
    private static final Duration LIMIT = Duration.ofSeconds(Long.getLong("crafted.limitSeconds", 5));
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    /** A verdict, or the message of the error the audit ended with. */
    private record Outcome(WheelAudit audit, String error, long millis) {
        void isErrorMentioning(String... parts) {
            if (error == null) {
                fail("expected an error, got the verdict " + audit.overallTag());
            }
            for (String part : parts) {
                assertTrue(error.contains(part), "'" + part + "' not in: " + error);
            }
        }
    }

    private Outcome audit(String wheelName, Map<String, byte[]> entries) throws IOException {
        Path wheel = TestWheels.write(dir.resolve(wheelName), wheelName.substring(0, wheelName.indexOf('-', wheelName
                .indexOf('-') + 1)) + ".dist-info", entries);
        entries.clear(); // the generated objects can be large: free them before the audit
        WheelAuditor auditor = new WheelAuditor(HostLibraryResolver.ofSystem(), AuditOptions.defaults());
        Outcome outcome = assertTimeoutPreemptively(LIMIT, () -> {
            long start = System.nanoTime();
            try {
                WheelAudit verdict = auditor.audit(wheel);
                return new Outcome(verdict, null, (System.nanoTime() - start) / 1_000_000);
            } catch (WheelAuditException | InvalidWheelException e) {
                return new Outcome(null, e.getMessage(), (System.nanoTime() - start) / 1_000_000);
            }
        }, wheelName + " took longer than " + LIMIT);
        System.out.println(wheelName + ": " + (outcome.error() == null ? outcome.audit().overallTag() : outcome.error())
                .lines().findFirst().orElse("") + " (" + outcome.millis() + " ms)");
        return outcome;
    }

    private static Map<String, byte[]> entry(String name, byte[] bytes) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(name, bytes);
        return entries;
    }

    /** The needed table and strings of a library that names glibc, at {@code strtab}. */
    private static long[] libcStrings(CraftedElf elf, int strtab, String... more) {
        List<String> names = new ArrayList<>(List.of("libc.so.6", "GLIBC_2.2.5"));
        names.addAll(List.of(more));
        return elf.strings(strtab, strtab + 1, names);
    }

    @Test
    void versionChainPointingBackIntoALargeLibraryIsReadOnce() throws IOException {
        // 48 MiB, mostly zero: the version entries lie past the kept head and each one's versions far
        // ahead, so every next entry lies behind the stream (one re-inflation per entry before).
        int size = 48 * MIB;
        CraftedElf elf = new CraftedElf(size);
        int strtab = 46 * MIB;
        long[] s = libcStrings(elf, strtab);
        int entries = 4096;
        int first = 33 * MIB;
        int aux = 45 * MIB;
        elf.vernaux(aux, s[1], 0);
        for (int i = 0; i < entries; i++) {
            int at = first + 16 * i;
            elf.verneed(at, 1, s[0], aux - at, i == entries - 1 ? 0 : 16);
        }
        elf.dynamicAt(47 * MIB).dyn(CraftedElf.DT_NEEDED, s[0]).dyn(CraftedElf.DT_STRTAB, strtab)
                .dyn(CraftedElf.DT_STRSZ, 64).dyn(CraftedElf.DT_VERNEED, first).dyn(CraftedElf.DT_VERNEEDNUM, entries);
        Outcome outcome = audit("back-1.0-cp311-cp311-linux_x86_64.whl", entry("back/libback.so", elf.bytes()));
        assertEquals(null, outcome.error());
        assertEquals(List.of("GLIBC_2.2.5"), outcome.audit().elfFiles().get(0).elf().versionRequirements().get("libc.so.6"));
    }

    @Test
    void gnuHashChainOverZerosIsRefused() throws IOException {
        int size = 60 * MIB;
        CraftedElf elf = new CraftedElf(size);
        long[] s = libcStrings(elf, 1024);
        int hash = 4096;
        elf.data.putInt(hash, 1).putInt(hash + 4, 1).putInt(hash + 8, 1).putInt(hash + 24, 1);
        elf.dynamicAt(2048).dyn(CraftedElf.DT_NEEDED, s[0]).dyn(CraftedElf.DT_STRTAB, 1024).dyn(CraftedElf.DT_STRSZ, 64)
                .dyn(CraftedElf.DT_SYMTAB, 8192).dyn(CraftedElf.DT_GNU_HASH, hash);
        audit("chain-1.0-cp311-cp311-linux_x86_64.whl", entry("chain/libchain.so", elf.bytes()))
                .isErrorMentioning("chain/libchain.so", "DT_GNU_HASH");
    }

    /** Version entries whose links are shorter than an entry: thousands of names from a kilobyte. */
    private static byte[] overlappingVersionEntries() {
        CraftedElf elf = new CraftedElf(1024);
        long[] s = libcStrings(elf, 256);
        elf.verneed(512, 0xffff, s[0], 16, 1);
        elf.vernaux(528, s[1], 1);
        elf.dynamicAt(640).dyn(CraftedElf.DT_NEEDED, s[0]).dyn(CraftedElf.DT_STRTAB, 256).dyn(CraftedElf.DT_STRSZ, 64)
                .dyn(CraftedElf.DT_VERNEED, 512).dyn(CraftedElf.DT_VERNEEDNUM, 4096);
        return elf.bytes();
    }

    @Test
    void overlappingVersionEntriesAreRefused() throws IOException {
        audit("amp-1.0-cp311-cp311-linux_x86_64.whl", entry("amp/libamp.so", overlappingVersionEntries()))
                .isErrorMentioning("amp/libamp.so", ".gnu.version_r", "inside itself");
    }

    @Test
    void eightAmplifyingObjectsInOneWheelAreRefused() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            entries.put("amp/libamp" + i + ".so", overlappingVersionEntries());
        }
        Outcome outcome = audit("amp8-1.0-cp311-cp311-linux_x86_64.whl", entries);
        outcome.isErrorMentioning("malformed ELF data", "amp/libamp0.so", "amp/libamp7.so", ".gnu.version_r");
    }

    @Test
    void deepVersionChainsAtTheCapsGiveAVerdict() throws IOException {
        // 4096 requirement entries of 4 versions each, all distinct names: the most the reader accepts.
        int files = 4096;
        int perFile = 4;
        CraftedElf elf = new CraftedElf(2 * MIB);
        List<String> names = new ArrayList<>(List.of("libc.so.6", "libdeep.so.1"));
        for (int i = 0; i < files * perFile; i++) {
            names.add("DEEP_" + i);
        }
        int strtab = 4096;
        long[] s = elf.strings(strtab, strtab + 1, names);
        int table = MIB;
        int at = table;
        for (int i = 0; i < files; i++) {
            elf.verneed(at, perFile, s[1], 16, i == files - 1 ? 0 : 16 * (perFile + 1));
            for (int j = 0; j < perFile; j++) {
                elf.vernaux(at + 16 * (j + 1), s[2 + i * perFile + j], j == perFile - 1 ? 0 : 16);
            }
            at += 16 * (perFile + 1);
        }
        elf.dynamicAt(2 * MIB - 4096).dyn(CraftedElf.DT_NEEDED, s[0]).dyn(CraftedElf.DT_STRTAB, strtab)
                .dyn(CraftedElf.DT_STRSZ, table - strtab).dyn(CraftedElf.DT_VERNEED, table)
                .dyn(CraftedElf.DT_VERNEEDNUM, files);
        Outcome outcome = audit("deep-1.0-cp311-cp311-linux_x86_64.whl", entry("deep/libdeep.so", elf.bytes()));
        assertEquals(null, outcome.error());
        assertEquals(files * perFile, outcome.audit().elfFiles().get(0).elf().versionRequirements().get("libdeep.so.1").size());

        // One more version is refused.
        elf.verneed(table, perFile + 1, s[1], 16, 16 * (perFile + 1));
        elf.vernaux(table + 16 * perFile, s[2 + perFile - 1], 16 * (perFile + 1) * (files - 1) + 16);
        elf.vernaux(table + 16 * (perFile + 1) * files, s[2], 0);
        audit("deeper-1.0-cp311-cp311-linux_x86_64.whl", entry("deep/libdeep.so", elf.bytes()))
                .isErrorMentioning("deep/libdeep.so", ".gnu.version_r", "implausibly many versions");
    }

    /** A library with {@code needed} DT_NEEDED entries and an RPATH of {@code rpath} folders. */
    private static byte[] neededAndRpath(int needed, int rpath, List<String> realFolders) {
        List<String> names = new ArrayList<>(List.of("libc.so.6"));
        for (int i = 0; i < needed; i++) {
            names.add("libmissing" + i + ".so");
        }
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < rpath; i++) {
            path.append(i < realFolders.size() ? realFolders.get(i) : "/nonexistent/folder" + i).append(':');
        }
        names.add(path.toString());
        int strtab = 4096;
        int stringBytes = names.stream().mapToInt(n -> n.length() + 1).sum() + 1;
        int dynamic = strtab + stringBytes + 4096;
        CraftedElf elf = new CraftedElf(dynamic + (needed + 8) * 16 + 4096);
        long[] s = elf.strings(strtab, strtab + 1, names);
        elf.dynamicAt(dynamic);
        for (int i = 0; i <= needed; i++) {
            elf.dyn(CraftedElf.DT_NEEDED, s[i]);
        }
        elf.dyn(CraftedElf.DT_RPATH, s[needed + 1]).dyn(CraftedElf.DT_STRTAB, strtab).dyn(CraftedElf.DT_STRSZ, stringBytes);
        return elf.bytes();
    }

    @Test
    void twentyThousandNeededTimesTwentyThousandRpathEntriesAreRefused() throws IOException {
        byte[] elf = neededAndRpath(20_000, 20_000, List.of());
        audit("many-1.0-cp311-cp311-linux_x86_64.whl", entry("many/libmany.so", elf))
                .isErrorMentioning("many/libmany.so", "DT_NEEDED");
    }

    @Test
    void twentyThousandRpathEntriesAreRefused() throws IOException {
        byte[] elf = neededAndRpath(10, 20_000, List.of());
        audit("wide-1.0-cp311-cp311-linux_x86_64.whl", entry("wide/libwide.so", elf))
                .isErrorMentioning("wide/libwide.so", "DT_RPATH");
    }

    @Test
    void neededAndRpathAtTheCapsGiveAVerdict() throws IOException {
        List<String> real = new ArrayList<>();
        for (String folder : List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/lib/x86_64-linux-gnu",
                "/lib/x86_64-linux-gnu", "/usr/local/lib", "/tmp", "/usr", "/")) {
            if (Files.isDirectory(Path.of(folder))) {
                real.add(folder);
            }
        }
        byte[] elf = neededAndRpath(1023, 256, real);
        Outcome outcome = audit("capped-1.0-cp311-cp311-linux_x86_64.whl", entry("capped/libcapped.so", elf));
        assertEquals(null, outcome.error());
        assertEquals("linux_x86_64", outcome.audit().overallTag());
    }

    @Test
    void overlappingSymbolNamesAreRefused() throws IOException {
        // 4 MiB of "PyInit_" repeated; half a million defined symbols whose names start 7 bytes apart.
        int strtab = 4096;
        int strsz = 4 * MIB;
        int symbols = 500_000;
        int symtab = strtab + strsz + 4096;
        int size = symtab + symbols * 24 + 8192;
        CraftedElf elf = new CraftedElf(size);
        long[] s = libcStrings(elf, strtab);
        byte[] run = "PyInit_".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int at = strtab + 64; at + run.length < strtab + strsz; at += run.length) {
            elf.data.put(at, run);
        }
        for (int at = strtab + 65536; at < strtab + strsz; at += 65536) {
            elf.data.put(at, (byte) 0); // names of up to 64 KiB, so the budget on bytes read is what stops them
        }
        for (int i = 1; i < symbols; i++) {
            elf.symbol(symtab + 24 * i, 64 + 7L * (i % (strsz / 8)), 0x12, 7);
        }
        int hash = size - 4096;
        elf.data.putInt(hash, 1).putInt(hash + 4, symbols);
        elf.dynamicAt(size - 2048).dyn(CraftedElf.DT_NEEDED, s[0]).dyn(CraftedElf.DT_STRTAB, strtab)
                .dyn(CraftedElf.DT_STRSZ, strsz).dyn(CraftedElf.DT_SYMTAB, symtab).dyn(CraftedElf.DT_HASH, hash);
        audit("names-1.0-cp311-cp311-linux_x86_64.whl", entry("names/libnames.so", elf.bytes()))
                .isErrorMentioning("names/libnames.so", "dynamic string table");
    }

    @Test
    void hugeCountsAreRefused() throws IOException {
        Map<String, long[]> cases = new LinkedHashMap<>();
        Map<String, String> expected = Map.of("DT_VERNEEDNUM", "implausible DT_VERNEEDNUM",
                "DT_HASH", "implausible number of dynamic symbols in DT_HASH",
                "DT_STRSZ", "the dynamic string table at offset 256",
                "DT_SYMENT", "implausible DT_SYMENT");
        cases.put("DT_VERNEEDNUM", new long[] {CraftedElf.DT_VERNEEDNUM, -1, CraftedElf.DT_VERNEED, 512});
        cases.put("DT_HASH", new long[] {CraftedElf.DT_HASH, 512, CraftedElf.DT_SYMTAB, 768});
        cases.put("DT_STRSZ", new long[] {CraftedElf.DT_STRSZ, 0x7fffffffffffL});
        cases.put("DT_SYMENT", new long[] {CraftedElf.DT_SYMENT, 1 << 20, CraftedElf.DT_SYMTAB, 768, CraftedElf.DT_HASH, 512});
        for (Map.Entry<String, long[]> c : cases.entrySet()) {
            CraftedElf elf = new CraftedElf(4096);
            long[] s = libcStrings(elf, 256);
            elf.data.putInt(512, 1).putInt(516, -1);
            elf.dynamicAt(1024).dyn(CraftedElf.DT_NEEDED, s[0]).dyn(CraftedElf.DT_STRTAB, 256);
            if (!c.getKey().equals("DT_STRSZ")) {
                elf.dyn(CraftedElf.DT_STRSZ, 64);
            }
            long[] tags = c.getValue();
            for (int i = 0; i < tags.length; i += 2) {
                elf.dyn(tags[i], tags[i + 1]);
            }
            String wheel = "huge" + c.getKey().toLowerCase().replace("_", "") + "-1.0-cp311-cp311-linux_x86_64.whl";
            audit(wheel, entry("huge/libhuge.so", elf.bytes())).isErrorMentioning("huge/libhuge.so",
                    expected.get(c.getKey()));
        }
    }

    @Test
    void wideProgramHeaderTablesAreRefused() throws IOException {
        CraftedElf elf = new CraftedElf(64 * 1024 * 1024 / 8).programHeaders(4096, 2048);
        audit("phdr-1.0-cp311-cp311-linux_x86_64.whl", entry("phdr/libphdr.so", elf.bytes()))
                .isErrorMentioning("phdr/libphdr.so", "program header");
    }
}
