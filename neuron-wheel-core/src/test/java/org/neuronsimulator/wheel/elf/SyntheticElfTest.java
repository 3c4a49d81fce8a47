package org.neuronsimulator.wheel.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Objects for every architecture the policies name, in both classes and byte orders. The machine's
 * compiler only targets its own architecture, so these minimal shared objects (ELF header, a
 * loadable segment, a dynamic segment and its string table) are written by the test itself.
 */
public class SyntheticElfTest {

    public static byte[] sharedObject(int bits, boolean little, int machine, List<String> needed, String soname) {
        boolean is64 = bits == 64;
        ByteBuffer b = ByteBuffer.allocate(0x400).order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int phoff = is64 ? 64 : 52;
        int phentsize = is64 ? 56 : 32;
        int strtab = 0x100;
        int dynamic = 0x200;
        // String table: "\0" then the names.
        StringBuilder strings = new StringBuilder("\0");
        int[] neededOffsets = new int[needed.size()];
        for (int i = 0; i < needed.size(); i++) {
            neededOffsets[i] = strings.length();
            strings.append(needed.get(i)).append('\0');
        }
        int sonameOffset = strings.length();
        strings.append(soname).append('\0');
        byte[] stringBytes = strings.toString().getBytes(StandardCharsets.US_ASCII);
        b.put(0, new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (little ? 1 : 2), 1});
        b.putShort(16, (short) 3);
        b.putShort(18, (short) machine);
        b.putInt(20, 1);
        if (is64) {
            b.putLong(32, phoff);
            b.putShort(52, (short) 64);
            b.putShort(54, (short) phentsize);
            b.putShort(56, (short) 2);
        } else {
            b.putInt(28, phoff);
            b.putShort(40, (short) 52);
            b.putShort(42, (short) phentsize);
            b.putShort(44, (short) 2);
        }
        int entries = needed.size() + 4;
        int dynSize = entries * (is64 ? 16 : 8);
        segment(b, is64, phoff, 1, 0, 0, 0x400);
        segment(b, is64, phoff + phentsize, 2, dynamic, dynamic, dynSize);
        b.put(strtab, stringBytes);
        int at = dynamic;
        for (int offset : neededOffsets) {
            at = dyn(b, is64, at, 1, offset);
        }
        at = dyn(b, is64, at, 14, sonameOffset);
        at = dyn(b, is64, at, 5, strtab);
        at = dyn(b, is64, at, 10, stringBytes.length);
        dyn(b, is64, at, 0, 0);
        return b.array();
    }

    private static void segment(ByteBuffer b, boolean is64, int at, int type, long offset, long vaddr, long size) {
        b.putInt(at, type);
        if (is64) {
            b.putLong(at + 8, offset);
            b.putLong(at + 16, vaddr);
            b.putLong(at + 32, size);
            b.putLong(at + 40, size);
        } else {
            b.putInt(at + 4, (int) offset);
            b.putInt(at + 8, (int) vaddr);
            b.putInt(at + 16, (int) size);
            b.putInt(at + 20, (int) size);
        }
    }

    private static int dyn(ByteBuffer b, boolean is64, int at, long tag, long value) {
        if (is64) {
            b.putLong(at, tag);
            b.putLong(at + 8, value);
            return at + 16;
        }
        b.putInt(at, (int) tag);
        b.putInt(at + 4, (int) value);
        return at + 8;
    }

    private static ElfFile read(byte[] bytes) throws IOException {
        return ElfReader.read("synthetic.so", new StreamByteSource(() -> new ByteArrayInputStream(bytes), bytes.length));
    }

    @ParameterizedTest
    @CsvSource({"64, true, 62, x86_64", "32, true, 3, i686", "64, true, 183, aarch64", "32, true, 40, armv7l",
            "64, true, 21, ppc64le", "64, false, 21, ppc64", "64, false, 22, s390x", "64, true, 243, riscv64",
            "64, true, 258, loongarch64"})
    void readsEveryPolicyArchitecture(int bits, boolean little, int machine, String architecture) throws IOException {
        ElfFile elf = read(sharedObject(bits, little, machine, List.of("libc.so.6", "libm.so.6"), "libx.so.1"));
        assertEquals(architecture, elf.identity().architecture());
        assertEquals(bits, elf.identity().bits());
        assertEquals(little, elf.identity().littleEndian());
        assertEquals(List.of("libc.so.6", "libm.so.6"), elf.needed());
        assertEquals("libx.so.1", elf.soname());
    }

    @ParameterizedTest
    @CsvSource({"64, false", "32, true"})
    void stringOffsetsOutsideTheTableAreFormatErrors(int bits, boolean little) {
        byte[] bytes = sharedObject(bits, little, bits == 64 ? 22 : 3, List.of("libc.so.6"), "libx.so.1");
        // Point DT_NEEDED's value far past the string table.
        ByteBuffer b = ByteBuffer.wrap(bytes).order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        if (bits == 64) {
            b.putLong(0x208, 0x7fff);
        } else {
            b.putInt(0x204, 0x7fff);
        }
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> read(bytes));
        assertTrue(e.getMessage().contains("DT_NEEDED points outside the dynamic string table"), e.getMessage());
    }
}
