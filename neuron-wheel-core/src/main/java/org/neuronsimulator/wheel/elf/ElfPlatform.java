package org.neuronsimulator.wheel.elf;

/**
 * The wheel architecture an ELF object is built for. Machine, class and byte order name a candidate;
 * on architectures whose ABI variants share one machine number, {@code e_flags} must name the variant
 * the platform tag stands for: {@code armv7l} is the hard-float EABI 5 ABI, {@code riscv64} and
 * {@code loongarch64} the double-float ABIs, {@code ppc64le} ELFv2 and {@code ppc64} ELFv1. Objects
 * for another variant load on none of those systems and fit no architecture.
 *
 * @param architecture the platform tag's architecture ({@code x86_64}, {@code armv7l}...), or null
 * @param problem      why the object fits no architecture, or null
 */
public record ElfPlatform(String architecture, String problem) {

    static final int EF_ARM_EABIMASK = 0xff000000;
    static final int EF_ARM_EABI_VER5 = 0x05000000;
    static final int EF_ARM_ABI_FLOAT_HARD = 0x400;
    static final int EF_RISCV_FLOAT_ABI = 0x6;
    static final int EF_RISCV_FLOAT_ABI_DOUBLE = 0x4;
    static final int EF_RISCV_RVE = 0x8;
    static final int EF_LOONGARCH_ABI_MODIFIER = 0x7;
    static final int EF_LOONGARCH_ABI_DOUBLE_FLOAT = 0x3;
    static final int EF_PPC64_ABI = 0x3;

    public static ElfPlatform of(ElfIdentity identity, int flags) {
        String architecture = identity.architecture();
        if (architecture == null) {
            return new ElfPlatform(null, "unknown architecture: " + identity);
        }
        String problem = switch (architecture) {
            case "armv7l" -> {
                if ((flags & EF_ARM_EABIMASK) != EF_ARM_EABI_VER5) {
                    yield "ARM EABI version " + ((flags & EF_ARM_EABIMASK) >>> 24) + " (armv7l is EABI 5)";
                }
                yield (flags & EF_ARM_ABI_FLOAT_HARD) == 0 ? "soft-float ARM ABI (armv7l is hard-float)" : null;
            }
            case "riscv64" -> {
                if ((flags & EF_RISCV_RVE) != 0) {
                    yield "RISC-V embedded (RVE) ABI (riscv64 is lp64d)";
                }
                yield (flags & EF_RISCV_FLOAT_ABI) != EF_RISCV_FLOAT_ABI_DOUBLE
                        ? "RISC-V float ABI " + riscvFloat(flags) + " (riscv64 is lp64d, double-float)" : null;
            }
            case "loongarch64" -> (flags & EF_LOONGARCH_ABI_MODIFIER) != EF_LOONGARCH_ABI_DOUBLE_FLOAT
                    ? "LoongArch ABI modifier " + (flags & EF_LOONGARCH_ABI_MODIFIER)
                            + " (loongarch64 is lp64d, double-float)" : null;
            // 0 means "not stated": older tools wrote it, and the loader accepts it.
            case "ppc64le" -> (flags & EF_PPC64_ABI) == 1 ? "ELFv1 ABI (ppc64le is ELFv2)" : null;
            case "ppc64" -> (flags & EF_PPC64_ABI) == 2 ? "ELFv2 ABI (ppc64 is ELFv1)" : null;
            default -> null;
        };
        return problem == null ? new ElfPlatform(architecture, null) : new ElfPlatform(null, problem);
    }

    private static String riscvFloat(int flags) {
        return switch (flags & EF_RISCV_FLOAT_ABI) {
            case 0 -> "soft";
            case 2 -> "single";
            default -> "quad";
        };
    }

    public boolean known() {
        return architecture != null;
    }
}
