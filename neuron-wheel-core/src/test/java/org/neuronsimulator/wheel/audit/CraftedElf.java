package org.neuronsimulator.wheel.audit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes 64-bit little-endian x86-64 shared objects with whatever tables a test places, at offsets it
 * chooses, to imitate hostile input. One loadable segment maps the whole file at address 0, so every
 * address in the dynamic segment equals its file offset. The dynamic segment lies where the test
 * says; the rest of the file is zero unless written.
 */
final class CraftedElf {

    static final long DT_NEEDED = 1;
    static final long DT_HASH = 4;
    static final long DT_STRTAB = 5;
    static final long DT_SYMTAB = 6;
    static final long DT_STRSZ = 10;
    static final long DT_SYMENT = 11;
    static final long DT_SONAME = 14;
    static final long DT_RPATH = 15;
    static final long DT_RUNPATH = 29;
    static final long DT_GNU_HASH = 0x6ffffef5L;
    static final long DT_VERNEED = 0x6ffffffeL;
    static final long DT_VERNEEDNUM = 0x6fffffffL;

    final ByteBuffer data;
    private final List<long[]> dynamic = new ArrayList<>();
    private int dynamicAt = -1;
    private int phnum = 2;
    private int phentsize = 56;

    CraftedElf(int size) {
        data = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    CraftedElf dynamicAt(int offset) {
        dynamicAt = offset;
        return this;
    }

    CraftedElf dyn(long tag, long value) {
        dynamic.add(new long[] {tag, value});
        return this;
    }

    /** Overrides the program header count and entry size the ELF header announces. */
    CraftedElf programHeaders(int count, int entrySize) {
        phnum = count;
        phentsize = entrySize;
        return this;
    }

    /** Writes NUL-terminated names at {@code offset}; returns each one's offset relative to {@code tableStart}. */
    long[] strings(int tableStart, int offset, List<String> names) {
        long[] offsets = new long[names.size()];
        int at = offset;
        for (int i = 0; i < names.size(); i++) {
            byte[] bytes = names.get(i).getBytes(StandardCharsets.UTF_8);
            offsets[i] = at - tableStart;
            data.put(at, bytes);
            at += bytes.length + 1;
        }
        return offsets;
    }

    /** A version requirement entry ({@code Elf64_Verneed}). */
    CraftedElf verneed(int at, int count, long file, long aux, long next) {
        data.putShort(at, (short) 1);
        data.putShort(at + 2, (short) count);
        data.putInt(at + 4, (int) file);
        data.putInt(at + 8, (int) aux);
        data.putInt(at + 12, (int) next);
        return this;
    }

    /** A version requirement auxiliary entry ({@code Elf64_Vernaux}). */
    CraftedElf vernaux(int at, long name, long next) {
        data.putInt(at, 0x0d696910);
        data.putInt(at + 8, (int) name);
        data.putInt(at + 12, (int) next);
        return this;
    }

    /** A dynamic symbol ({@code Elf64_Sym}); {@code section} 0 makes it an import. */
    CraftedElf symbol(int at, long name, int info, int section) {
        data.putInt(at, (int) name);
        data.put(at + 4, (byte) info);
        data.putShort(at + 6, (short) section);
        return this;
    }

    byte[] bytes() {
        data.put(0, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        data.putShort(16, (short) 3);
        data.putShort(18, (short) 62);
        data.putInt(20, 1);
        data.putLong(32, 64);
        data.putShort(52, (short) 64);
        data.putShort(54, (short) phentsize);
        data.putShort(56, (short) phnum);
        int ph = 64;
        data.putInt(ph, 1);
        data.putInt(ph + 4, 5);
        data.putLong(ph + 32, data.capacity());
        data.putLong(ph + 40, data.capacity());
        data.putLong(ph + 48, 0x1000);
        if (dynamicAt >= 0) {
            ph += 56;
            data.putInt(ph, 2);
            data.putInt(ph + 4, 6);
            data.putLong(ph + 8, dynamicAt);
            data.putLong(ph + 16, dynamicAt);
            data.putLong(ph + 32, (dynamic.size() + 1) * 16L);
            data.putLong(ph + 40, (dynamic.size() + 1) * 16L);
            data.putLong(ph + 48, 8);
            int at = dynamicAt;
            for (long[] entry : dynamic) {
                data.putLong(at, entry[0]);
                data.putLong(at + 8, entry[1]);
                at += 16;
            }
            data.putLong(at, 0);
            data.putLong(at + 8, 0);
        }
        return data.array();
    }
}
