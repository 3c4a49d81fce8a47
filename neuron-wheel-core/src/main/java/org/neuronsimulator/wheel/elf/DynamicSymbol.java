package org.neuronsimulator.wheel.elf;

/**
 * One entry of {@code .dynsym}.
 *
 * @param name    the symbol's name
 * @param defined false for an import ({@code SHN_UNDEF})
 * @param binding {@code STB_*} value: 0 local, 1 global, 2 weak, 10 GNU unique
 * @param type    {@code STT_*} value
 */
public record DynamicSymbol(String name, boolean defined, int binding, int type) {

    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;
    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;

    public boolean weak() {
        return binding == STB_WEAK;
    }
}
