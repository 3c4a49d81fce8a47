package org.neuronsimulator.wheel.macos;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.neuronsimulator.wheel.macho.MacosVersion;

/**
 * What a macOS wheel needs, as {@code delocate-listdeps} would list it, and what is wrong with it.
 *
 * @param wheel             the wheel's file name
 * @param platformTags      its macOS platform tags
 * @param tagVersions       single architecture → the oldest macOS its tags promise for it
 * @param binaries          the Mach-O binaries of the wheel that dyld loads
 * @param externalLibraries libraries outside the wheel that they load, directly or through each other
 * @param minimumVersions   single architecture of the tags → the newest minimum macOS among the binaries
 *                          and external libraries
 * @param deservedTags      the platform tags those minimum versions give the wheel's architectures
 * @param problems          what keeps the wheel from working on the Macs its tags promise
 * @param notes             files that were skipped, and why
 */
public record MacosWheelAudit(String wheel, List<String> platformTags, Map<String, MacosVersion> tagVersions,
                              List<MacosBinary> binaries, List<MacosBinary> externalLibraries,
                              SortedMap<String, MacosVersion> minimumVersions, List<String> deservedTags,
                              List<String> problems, List<String> notes) {

    public MacosWheelAudit {
        platformTags = List.copyOf(platformTags);
        binaries = List.copyOf(binaries);
        externalLibraries = List.copyOf(externalLibraries);
        deservedTags = List.copyOf(deservedTags);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    /** The tag the wheel deserves, several joined by dots. */
    public String overallTag() {
        return String.join(".", deservedTags);
    }

    /** Every dependency of every binary (outside libraries included) that resolved nowhere and is not weak. */
    public List<Missing> missing() {
        return missing(binaries, externalLibraries);
    }

    static List<Missing> missing(List<MacosBinary> binaries, List<MacosBinary> externalLibraries) {
        return java.util.stream.Stream.concat(binaries.stream(), externalLibraries.stream())
                .flatMap(b -> b.dependencies().stream().filter(d -> d.kind() == MacosBinary.Kind.MISSING && !d.weak())
                        .map(d -> new Missing(d.installName(), b.location())))
                .toList();
    }

    /** An install name found nowhere, and the binary that needs it. */
    public record Missing(String installName, String neededBy) {
    }
}
