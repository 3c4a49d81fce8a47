package org.neuronsimulator.wheel.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ElfPlatformTest {

    @ParameterizedTest
    @CsvSource({
            // bits, little, machine, e_flags, architecture or problem
            "64, true, 62, 0, x86_64",
            "32, true, 3, 0, i686",
            "64, true, 183, 0, aarch64",
            "32, true, 40, 0x05000400, armv7l",
            "32, true, 40, 0x05000200, soft-float ARM ABI (armv7l is hard-float)",
            "32, true, 40, 0x04000000, ARM EABI version 4 (armv7l is EABI 5)",
            "32, false, 40, 0x05000400, 'unknown architecture: machine 40 (ELF32, BE)'",
            "64, true, 243, 0x5, riscv64",
            "64, true, 243, 0x1, 'RISC-V float ABI soft (riscv64 is lp64d, double-float)'",
            "64, true, 243, 0xd, RISC-V embedded (RVE) ABI (riscv64 is lp64d)",
            "64, true, 258, 0x43, loongarch64",
            "64, true, 258, 0x41, 'LoongArch ABI modifier 1 (loongarch64 is lp64d, double-float)'",
            "64, true, 21, 2, ppc64le",
            "64, true, 21, 0, ppc64le",
            "64, true, 21, 1, ELFv1 ABI (ppc64le is ELFv2)",
            "64, false, 21, 1, ppc64",
            "64, false, 21, 2, ELFv2 ABI (ppc64 is ELFv1)",
            "64, false, 22, 0, s390x",
            "32, false, 8, 0, 'unknown architecture: machine 8 (ELF32, BE)'",
    })
    void flagsDecideTheArchitecture(int bits, boolean little, int machine, String flags, String expected) {
        ElfPlatform platform = ElfPlatform.of(new ElfIdentity(bits, little, machine), Integer.decode(flags));
        if (platform.known()) {
            assertEquals(expected, platform.architecture());
            assertNull(platform.problem());
        } else {
            assertEquals(expected, platform.problem());
            assertNull(platform.architecture());
        }
    }

    @Test
    void theReaderKeepsTheFlags() throws Exception {
        byte[] bytes = SyntheticElfTest.sharedObject(32, true, ElfIdentity.EM_ARM, List.of("libc.so.6"), "libarm.so");
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(36, 0x05000200);
        ElfFile elf = ElfReader.read("libarm.so", new StreamByteSource(() -> new java.io.ByteArrayInputStream(bytes),
                bytes.length));
        assertEquals(0x05000200, elf.flags());
        assertFalse(elf.platform().known());
    }
}
