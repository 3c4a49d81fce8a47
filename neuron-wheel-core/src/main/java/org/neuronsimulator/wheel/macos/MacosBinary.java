package org.neuronsimulator.wheel.macos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import org.neuronsimulator.wheel.macho.MachoFile;
import org.neuronsimulator.wheel.macho.MachoSlice;
import org.neuronsimulator.wheel.macho.MacosVersion;

/**
 * A Mach-O binary of a wheel, or a library outside it that one of them loads.
 *
 * @param location     the path inside the wheel, or the real path of a library outside it
 * @param inWheel      whether it is a file of the wheel
 * @param macho        its headers and load commands
 * @param dependencies what each of its install names resolved to
 * @param neededBy     the binaries (same kind of locations) that load it
 */
public record MacosBinary(String location, boolean inWheel, MachoFile macho, List<Dependency> dependencies,
                          SortedSet<String> neededBy) {

    /** How an install name resolved. */
    public enum Kind {
        /** Under {@code /usr/lib} or {@code /System}: part of macOS, never bundled. */
        SYSTEM,
        /** A file of the wheel. */
        WHEEL,
        /** A library outside the wheel: to be bundled. */
        EXTERNAL,
        /** Left out on purpose ({@code neuron.exclude}). */
        EXCLUDED,
        /** Found nowhere. */
        MISSING
    }

    /**
     * One install name a binary loads.
     *
     * @param installName   the name in its load command
     * @param kind          how it resolved
     * @param location      the wheel path or real host path it resolved to; null when system, excluded or missing
     * @param architectures the binary's slices that load it
     * @param weak          whether every slice loads it weakly ({@code LC_LOAD_WEAK_DYLIB}): dyld goes on without it
     */
    public record Dependency(String installName, Kind kind, String location, List<String> architectures, boolean weak) {
        public Dependency {
            architectures = List.copyOf(architectures);
        }
    }

    public List<String> architectures() {
        return macho.architectures();
    }

    /** The oldest macOS each slice runs on, for slices that say. */
    public Map<String, MacosVersion> minimumVersions() {
        Map<String, MacosVersion> versions = new LinkedHashMap<>();
        for (MachoSlice slice : macho.slices()) {
            slice.minimumMacos().ifPresent(v -> versions.put(slice.architecture(), v));
        }
        return versions;
    }

    public boolean signed() {
        return macho.isSigned();
    }

    /** {@code bundle}, {@code dylib}, {@code executable}... of its first slice. */
    public String fileType() {
        return macho.slices().get(0).fileTypeName();
    }

    /** The file name part of the location. */
    public String fileName() {
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
