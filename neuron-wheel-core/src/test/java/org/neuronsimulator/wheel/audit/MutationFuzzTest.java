package org.neuronsimulator.wheel.audit;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.archive.InvalidWheelException;

/**
 * Seeded structure-aware fuzzing of the audit: fields of the ELF header, program headers, dynamic
 * entries, version tables, hash tables and symbols, then fields of the zip's local headers, central
 * directory and end record, are set to boundary or random values. Every mutant is audited through
 * {@link WheelAuditor} and must end in a verdict or one of the project's typed errors, never another
 * exception, a hang or running out of memory (the build runs this class with a 256 MiB heap).
 */
class MutationFuzzTest {

    private static final long SEED = 20260516L;
    private static final int ELF_MUTANTS = 8000;
    private static final int ZIP_MUTANTS = 2500;

    @TempDir
    Path dir;

    /** A field of a structure: where it is and how wide. */
    private record Field(String what, int offset, int width) {
    }

    private final List<Field> fields = new ArrayList<>();

    /** A small, well-formed library with every table the reader walks, and where its fields lie. */
    private byte[] baseObject() {
        int size = 8192;
        CraftedElf elf = new CraftedElf(size);
        int strtab = 1024;
        long[] s = elf.strings(strtab, strtab + 1, List.of("libc.so.6", "libm.so.6", "GLIBC_2.2.5", "GLIBC_2.14",
                "libfuzz.so.1", "$ORIGIN/../lib:/usr/lib", "PyInit_fuzz", "malloc", "PyFPE_jbuf"));
        int strsz = 256;
        int verneed = 1536;
        elf.verneed(verneed, 2, s[0], 16, 48).vernaux(verneed + 16, s[2], 16).vernaux(verneed + 32, s[3], 0);
        elf.verneed(verneed + 48, 1, s[1], 16, 0).vernaux(verneed + 64, s[2], 0);
        int symtab = 2048;
        elf.symbol(symtab + 24, s[6], 0x12, 7).symbol(symtab + 48, s[7], 0x12, 0).symbol(symtab + 72, s[8], 0x11, 0);
        int gnuHash = 3072;
        // one bucket, symbols from index 1, a bloom word, the bucket, then a chain ending at index 3
        elf.data.putInt(gnuHash, 1).putInt(gnuHash + 4, 1).putInt(gnuHash + 8, 1).putInt(gnuHash + 12, 6);
        elf.data.putLong(gnuHash + 16, -1L).putInt(gnuHash + 24, 1);
        elf.data.putInt(gnuHash + 28, 2).putInt(gnuHash + 32, 4).putInt(gnuHash + 36, 7);
        int hash = 3584;
        elf.data.putInt(hash, 1).putInt(hash + 4, 4);
        int dynamic = 4096;
        elf.dynamicAt(dynamic).dyn(CraftedElf.DT_NEEDED, s[0]).dyn(CraftedElf.DT_NEEDED, s[1])
                .dyn(CraftedElf.DT_SONAME, s[4]).dyn(CraftedElf.DT_RPATH, s[5]).dyn(CraftedElf.DT_STRTAB, strtab)
                .dyn(CraftedElf.DT_STRSZ, strsz).dyn(CraftedElf.DT_SYMTAB, symtab).dyn(CraftedElf.DT_SYMENT, 24)
                .dyn(CraftedElf.DT_GNU_HASH, gnuHash).dyn(CraftedElf.DT_HASH, hash)
                .dyn(CraftedElf.DT_VERNEED, verneed).dyn(CraftedElf.DT_VERNEEDNUM, 2);
        byte[] bytes = elf.bytes();

        for (int at = 16; at < 64; at += 2) {
            fields.add(new Field("ELF header", at, at >= 24 && at < 48 ? 8 : 2));
        }
        for (int ph = 64; ph < 64 + 2 * 56; ph += 56) {
            for (int at : new int[] {0, 4}) {
                fields.add(new Field("program header", ph + at, 4));
            }
            for (int at = 8; at < 56; at += 8) {
                fields.add(new Field("program header", ph + at, 8));
            }
        }
        for (int at = dynamic; at < dynamic + 13 * 16; at += 8) {
            fields.add(new Field("dynamic entry", at, 8));
        }
        for (int at = verneed; at < verneed + 80; at += 4) {
            fields.add(new Field("version requirement", at, at % 16 == 0 ? 2 : 4));
        }
        for (int at = gnuHash; at < gnuHash + 40; at += 4) {
            fields.add(new Field("GNU hash", at, 4));
        }
        fields.add(new Field("hash", hash, 4));
        fields.add(new Field("hash", hash + 4, 4));
        for (int at = symtab + 24; at < symtab + 96; at += 4) {
            fields.add(new Field("symbol", at, 4));
        }
        return bytes;
    }

    private static long interesting(Random random, int width, int size) {
        return switch (random.nextInt(12)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> -1;
            case 3 -> 0x7fffffffL;
            case 4 -> 0x80000000L;
            case 5 -> size;
            case 6 -> size - 1 - random.nextInt(64);
            case 7 -> size + 1 + random.nextInt(64);
            case 8 -> 16L * random.nextInt(512);
            case 9 -> 0xffffL;
            case 10 -> 1L << random.nextInt(width * 8);
            default -> random.nextLong();
        };
    }

    private static void put(ByteBuffer b, Field f, long value) {
        switch (f.width()) {
            case 2 -> b.putShort(f.offset(), (short) value);
            case 4 -> b.putInt(f.offset(), (int) value);
            default -> b.putLong(f.offset(), value);
        }
    }

    private static byte[] mutate(Random random, byte[] original, List<Field> targets) {
        byte[] bytes = original.clone();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int changes = 1 + random.nextInt(3);
        for (int i = 0; i < changes; i++) {
            Field f = targets.get(random.nextInt(targets.size()));
            if (f.offset() + f.width() <= bytes.length) {
                put(b, f, interesting(random, f.width(), bytes.length));
            }
        }
        if (random.nextInt(8) == 0) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        if (random.nextInt(20) == 0) {
            bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
        }
        return bytes;
    }

    /** Audits one wheel: a verdict or a typed error; returns whether it was an error. */
    private static boolean auditOnce(WheelAuditor auditor, Path wheel, String what) throws IOException {
        try {
            auditor.audit(wheel);
            return false;
        } catch (WheelAuditException | InvalidWheelException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), what + ": an error without a reason");
            return true;
        } catch (IOException | RuntimeException e) {
            throw new AssertionError(what + ": escaped as " + e, e);
        }
    }

    @Test
    void mutatedElfAndZipStructuresEndInVerdictsOrTypedErrors() {
        assertTimeoutPreemptively(Duration.ofSeconds(150), () -> {
            Random random = new Random(SEED);
            WheelAuditor auditor = new WheelAuditor(HostLibraryResolver.ofSystem(), new AuditOptions(List.of(), false, 2));
            byte[] base = baseObject();
            Path wheel = dir.resolve("fuzz-1.0-cp311-cp311-linux_x86_64.whl");
            int errors = 0;
            long slowest = 0;
            for (int i = 0; i < ELF_MUTANTS; i++) {
                Map<String, byte[]> entries = new LinkedHashMap<>();
                entries.put("fuzz/fuzz.cpython-311-x86_64-linux-gnu.so", mutate(random, base, fields));
                TestWheels.write(wheel, "fuzz-1.0.dist-info", entries);
                long start = System.nanoTime();
                errors += auditOnce(auditor, wheel, "ELF mutant " + i + " of seed " + SEED) ? 1 : 0;
                slowest = Math.max(slowest, System.nanoTime() - start);
            }
            Map<String, byte[]> entries = new LinkedHashMap<>();
            entries.put("fuzz/fuzz.cpython-311-x86_64-linux-gnu.so", base);
            entries.put("fuzz/libfuzz.so.1", base);
            TestWheels.write(wheel, "fuzz-1.0.dist-info", entries);
            byte[] zip = Files.readAllBytes(wheel);
            List<Field> zipFields = zipFields(zip);
            for (int i = 0; i < ZIP_MUTANTS; i++) {
                Files.write(wheel, mutate(random, zip, zipFields));
                long start = System.nanoTime();
                errors += auditOnce(auditor, wheel, "zip mutant " + i + " of seed " + SEED) ? 1 : 0;
                slowest = Math.max(slowest, System.nanoTime() - start);
            }
            System.out.println((ELF_MUTANTS + ZIP_MUTANTS) + " mutants: " + errors + " errors, slowest audit "
                    + slowest / 1_000_000 + " ms");
            assertTrue(errors > (ELF_MUTANTS + ZIP_MUTANTS) / 10, "too few mutants were found faulty: " + errors);
            assertTrue(slowest < 5_000_000_000L, "an audit took " + slowest / 1_000_000 + " ms");
        });
    }

    /** The fields of every local header, central directory entry and the end record of a zip without comments. */
    private static List<Field> zipFields(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        List<Field> result = new ArrayList<>();
        int end = zip.length - 22;
        if (b.getInt(end) != 0x06054b50) {
            fail("no end record where expected");
        }
        for (int at : new int[] {4, 6, 8, 10}) {
            result.add(new Field("end record", end + at, 2));
        }
        result.add(new Field("end record", end + 12, 4));
        result.add(new Field("end record", end + 16, 4));
        int count = b.getShort(end + 10) & 0xffff;
        int cd = b.getInt(end + 16);
        for (int i = 0; i < count; i++) {
            for (int at : new int[] {4, 6, 8, 10, 12, 14, 28, 30, 32, 34, 36}) {
                result.add(new Field("central directory", cd + at, 2));
            }
            for (int at : new int[] {16, 20, 24, 38, 42}) {
                result.add(new Field("central directory", cd + at, 4));
            }
            int local = b.getInt(cd + 42);
            for (int at : new int[] {4, 6, 8, 10, 12, 26, 28}) {
                result.add(new Field("local header", local + at, 2));
            }
            for (int at : new int[] {14, 18, 22}) {
                result.add(new Field("local header", local + at, 4));
            }
            cd += 46 + (b.getShort(cd + 28) & 0xffff) + (b.getShort(cd + 30) & 0xffff) + (b.getShort(cd + 32) & 0xffff);
        }
        return result;
    }
}
