package org.neuronsimulator.wheel.elf;

/**
 * What a dynamic loader matches between an object and the libraries it loads: class, byte order
 * and machine.
 *
 * @param bits         32 or 64
 * @param littleEndian byte order
 * @param machine      {@code e_machine}
 */
public record ElfIdentity(int bits, boolean littleEndian, int machine) {

    public static final int EM_386 = 3;
    public static final int EM_ARM = 40;
    public static final int EM_PPC64 = 21;
    public static final int EM_S390 = 22;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;
    public static final int EM_RISCV = 243;
    public static final int EM_LOONGARCH = 258;

    /**
     * The architecture name the wheel platform tags use ({@code x86_64}, {@code i686},
     * {@code aarch64}, {@code armv7l}, {@code ppc64le}, {@code ppc64}, {@code s390x},
     * {@code riscv64}, {@code loongarch64}), or null for one no policy names.
     */
    public String architecture() {
        return switch (machine) {
            case EM_X86_64 -> bits == 64 ? "x86_64" : null;
            case EM_386 -> bits == 32 ? "i686" : null;
            case EM_AARCH64 -> bits == 64 ? "aarch64" : null;
            case EM_ARM -> bits == 32 && littleEndian ? "armv7l" : null;
            case EM_PPC64 -> bits == 64 ? (littleEndian ? "ppc64le" : "ppc64") : null;
            case EM_S390 -> bits == 64 ? "s390x" : null;
            case EM_RISCV -> bits == 64 ? "riscv64" : null;
            case EM_LOONGARCH -> bits == 64 ? "loongarch64" : null;
            default -> null;
        };
    }

    @Override
    public String toString() {
        String arch = architecture();
        return (arch != null ? arch : "machine " + machine) + " (ELF" + bits + ", " + (littleEndian ? "LE" : "BE") + ")";
    }
}
