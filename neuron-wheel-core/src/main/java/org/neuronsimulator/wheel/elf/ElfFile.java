package org.neuronsimulator.wheel.elf;

import java.util.List;
import java.util.Map;

/**
 * The dynamic-linking facts of one ELF object.
 *
 * @param name                the file's name as given to the reader (a path or a wheel entry)
 * @param identity            class, byte order and machine
 * @param type                {@code e_type} (2 executable, 3 shared object)
 * @param flags               {@code e_flags}: processor-specific ABI bits (ARM EABI version and float ABI...)
 * @param interpreter         {@code PT_INTERP}, or null
 * @param needed              {@code DT_NEEDED} in order
 * @param soname              {@code DT_SONAME}, or null
 * @param rpath               {@code DT_RPATH} entries split at {@code :}
 * @param runpath             {@code DT_RUNPATH} entries split at {@code :}
 * @param versionRequirements {@code .gnu.version_r}: library → version names, in file order
 * @param symbols             {@code .dynsym} without the null entry
 * @param x86IsaNeeded        {@code GNU_PROPERTY_X86_ISA_1_NEEDED} bits, 0 when absent
 * @param dynamic             whether the object has a {@code PT_DYNAMIC} segment
 */
public record ElfFile(String name, ElfIdentity identity, int type, int flags, String interpreter, List<String> needed,
                      String soname, List<String> rpath, List<String> runpath,
                      Map<String, List<String>> versionRequirements, List<DynamicSymbol> symbols,
                      int x86IsaNeeded, boolean dynamic) {

    /** The search path the loader uses from this object: RUNPATH when present, RPATH otherwise. */
    public boolean usesRunpath() {
        return !runpath.isEmpty();
    }

    /**
     * The x86-64 micro-architecture level the object requires: 1 for the baseline (or no note),
     * 2, 3 or 4 for {@code x86-64-v2}... {@code v4}.
     */
    public int x86IsaLevel() {
        if ((x86IsaNeeded & 8) != 0) {
            return 4;
        }
        if ((x86IsaNeeded & 4) != 0) {
            return 3;
        }
        if ((x86IsaNeeded & 2) != 0) {
            return 2;
        }
        return 1;
    }

    /** The wheel architecture this object is built for, or why it fits none. */
    public ElfPlatform platform() {
        return ElfPlatform.of(identity, flags);
    }

    /** The module name when the object defines {@code PyInit_<module>}, otherwise null. */
    public String pythonModule() {
        for (DynamicSymbol symbol : symbols) {
            if (symbol.defined() && symbol.name().startsWith("PyInit_") && symbol.binding() != DynamicSymbol.STB_LOCAL) {
                return symbol.name().substring("PyInit_".length());
            }
        }
        return null;
    }

    /**
     * Whether this is a CPython extension module: it defines the initialisation function of the
     * module its file name gives ({@code PyInit_foo} in {@code foo.cpython-312-x86_64-linux-gnu.so}),
     * as the import system looks it up. A library that merely exports some {@code PyInit_} is not.
     */
    public boolean isPythonExtension() {
        String base = name.substring(name.lastIndexOf('/') + 1);
        int dot = base.indexOf('.');
        String init = "PyInit_" + (dot < 0 ? base : base.substring(0, dot));
        for (DynamicSymbol symbol : symbols) {
            if (symbol.defined() && symbol.type() == DynamicSymbol.STT_FUNC && symbol.name().equals(init)) {
                return true;
            }
        }
        return false;
    }
}
