package org.neuronsimulator.wheel.audit;

import org.neuronsimulator.wheel.elf.ElfFile;

/**
 * A library found by a {@link LibraryResolver} outside the wheel.
 *
 * @param soname  the name it was looked up by
 * @param path    its real path on the system the resolver searches
 * @param foundAs the path it was found at (a search folder and the soname), before links are followed
 * @param elf     its dynamic-linking facts
 */
public record ResolvedLibrary(String soname, String path, String foundAs, ElfFile elf) {
}
