package org.neuronsimulator.wheel.audit;

import org.neuronsimulator.wheel.elf.ElfFile;

/**
 * An ELF object inside a wheel.
 *
 * @param path      the entry's path in the wheel
 * @param elf       its dynamic-linking facts (symbols limited to what the audit needs)
 * @param extension whether it defines {@code PyInit_<module>}
 */
public record WheelElf(String path, ElfFile elf, boolean extension) {
}
