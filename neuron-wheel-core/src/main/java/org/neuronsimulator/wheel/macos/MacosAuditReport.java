package org.neuronsimulator.wheel.macos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.neuronsimulator.wheel.AtomicFile;
import org.neuronsimulator.wheel.JsonTrees;

/** Renders macOS wheel audits as readable text and as JSON objects beside the Linux ones. */
public final class MacosAuditReport {

    private MacosAuditReport() {
    }

    /**
     * Writes audit objects, Linux ({@link org.neuronsimulator.wheel.audit.AuditReport#toJsonObject}) and
     * macOS ones alike, as one JSON array, replacing the file atomically with an ordinary file mode.
     */
    public static void writeJson(List<Map<String, Object>> objects, Path file) throws IOException {
        AtomicFile.write(file, out -> JsonTrees.write(objects, out));
    }

    /**
     * The JSON object of one audit: {@code wheel}, {@code platform} ({@code macos}), {@code overallTag},
     * {@code platformTags}, {@code minimumMacos} (per architecture), {@code externalLibraries} (install
     * name → path outside the wheel, null when found nowhere), {@code binaries} with their
     * dependencies, {@code problems} and {@code notes}.
     */
    public static Map<String, Object> toJsonObject(MacosWheelAudit audit) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("wheel", audit.wheel());
        json.put("platform", "macos");
        json.put("overallTag", audit.overallTag());
        json.put("platformTags", audit.platformTags());
        Map<String, String> minimum = new TreeMap<>();
        audit.minimumVersions().forEach((arch, version) -> minimum.put(arch, version.toString()));
        json.put("minimumMacos", minimum);
        Map<String, String> external = new TreeMap<>();
        for (MacosBinary binary : allBinaries(audit)) {
            for (MacosBinary.Dependency d : binary.dependencies()) {
                if (d.kind() == MacosBinary.Kind.EXTERNAL || d.kind() == MacosBinary.Kind.MISSING) {
                    external.putIfAbsent(d.installName(), d.location());
                }
            }
        }
        json.put("externalLibraries", external);
        List<Map<String, Object>> binaries = new ArrayList<>();
        for (MacosBinary binary : allBinaries(audit)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("path", binary.location());
            entry.put("inWheel", binary.inWheel());
            entry.put("fileType", binary.fileType());
            entry.put("architectures", binary.architectures());
            Map<String, String> versions = new LinkedHashMap<>();
            binary.minimumVersions().forEach((arch, version) -> versions.put(arch, version.toString()));
            entry.put("minimumMacos", versions);
            entry.put("signed", binary.signed());
            binary.macho().slices().get(0).installName().ifPresent(id -> entry.put("installName", id));
            entry.put("rpaths", binary.macho().slices().stream().flatMap(s -> s.rpaths().stream()).distinct().toList());
            List<Map<String, Object>> dependencies = new ArrayList<>();
            for (MacosBinary.Dependency d : binary.dependencies()) {
                Map<String, Object> dependency = new LinkedHashMap<>();
                dependency.put("installName", d.installName());
                dependency.put("kind", d.kind().name().toLowerCase(java.util.Locale.ROOT));
                dependency.put("path", d.location());
                dependencies.add(dependency);
            }
            entry.put("dependencies", dependencies);
            if (!binary.inWheel()) {
                entry.put("neededBy", List.copyOf(binary.neededBy()));
            }
            binaries.add(entry);
        }
        json.put("binaries", binaries);
        json.put("problems", audit.problems());
        json.put("notes", audit.notes());
        return json;
    }

    /** A readable report: the tag, each binary's dependencies and where they resolve, and the problems. */
    public static String toText(MacosWheelAudit audit) {
        StringBuilder out = new StringBuilder();
        out.append(audit.wheel()).append(" is tagged ").append(String.join(".", audit.platformTags()))
                .append("; its binaries need ").append(audit.overallTag()).append(".\n");
        for (MacosBinary binary : allBinaries(audit)) {
            out.append("  ").append(binary.location()).append(" (").append(binary.fileType()).append(", ");
            List<String> archs = new ArrayList<>();
            for (String arch : binary.architectures()) {
                var version = binary.minimumVersions().get(arch);
                archs.add(version == null ? arch : arch + " macOS " + version);
            }
            out.append(String.join(", ", archs)).append(binary.signed() ? ", signed" : "")
                    .append(binary.inWheel() ? "" : ", outside the wheel").append(")\n");
            for (MacosBinary.Dependency d : binary.dependencies()) {
                out.append("    ").append(d.installName());
                switch (d.kind()) {
                    case SYSTEM -> out.append(" (system)");
                    case EXCLUDED -> out.append(" (excluded)");
                    case MISSING -> out.append(" => not found");
                    case WHEEL -> out.append(" => ").append(d.location()).append(" (in the wheel)");
                    case EXTERNAL -> out.append(" => ").append(d.location()).append(" (outside the wheel)");
                    default -> throw new IllegalStateException(d.kind().name());
                }
                out.append('\n');
            }
        }
        if (audit.problems().isEmpty()) {
            out.append("  It needs nothing outside the wheel and its tag is right.\n");
        } else {
            for (String problem : audit.problems()) {
                out.append("  problem: ").append(problem).append('\n');
            }
        }
        for (String note : audit.notes()) {
            out.append("  note: ").append(note).append('\n');
        }
        return out.toString();
    }

    private static List<MacosBinary> allBinaries(MacosWheelAudit audit) {
        List<MacosBinary> all = new ArrayList<>(audit.binaries());
        all.addAll(audit.externalLibraries());
        return all;
    }
}
