package org.neuronsimulator.wheel.macho;

import java.util.List;
import java.util.Optional;

/**
 * A Mach-O file: one slice when thin, one per architecture when fat (universal).
 *
 * @param name   the file's name, as given to the reader (used in messages)
 * @param fat    whether it has a fat header
 * @param slices its architectures, in file order
 */
public record MachoFile(String name, boolean fat, List<MachoSlice> slices) {

    public MachoFile {
        slices = List.copyOf(slices);
    }

    /** Architecture names, in file order. */
    public List<String> architectures() {
        return slices.stream().map(MachoSlice::architecture).toList();
    }

    public Optional<MachoSlice> slice(String architecture) {
        return slices.stream().filter(s -> s.architecture().equals(architecture)).findFirst();
    }

    /** Whether dyld loads it (an executable, dylib or bundle); object files are not linked. */
    public boolean isLinked() {
        return slices.stream().allMatch(MachoSlice::isLinked);
    }

    /** Whether any slice carries a code signature. */
    public boolean isSigned() {
        return slices.stream().anyMatch(s -> s.codeSignature().isPresent());
    }
}
