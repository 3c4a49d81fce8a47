package org.neuronsimulator.wheel.audit;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.neuronsimulator.wheel.JsonTrees;

/** Renders audits as readable text and as JSON. */
public final class AuditReport {

    private AuditReport() {
    }

    /**
     * The JSON object of one audit: {@code wheel}, {@code overallTag}, {@code symbolTag},
     * {@code versionedSymbols}, {@code externalLibraries}, {@code policyUpgrades}, plus details.
     */
    public static Map<String, Object> toJsonObject(WheelAudit audit) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("wheel", audit.wheel());
        json.put("overallTag", audit.overallTag());
        json.put("symbolTag", audit.symbolTag());
        json.put("versionedSymbols", audit.versionedSymbols());
        json.put("externalLibraries", audit.externalLibraries());
        Map<String, Object> upgrades = new LinkedHashMap<>();
        audit.policyUpgrades().forEach((tag, upgrade) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            if (!upgrade.librariesToEliminate().isEmpty()) {
                entry.put("librariesToEliminate", upgrade.librariesToEliminate());
            }
            if (!upgrade.blacklistedSymbols().isEmpty()) {
                entry.put("blacklistedSymbols", upgrade.blacklistedSymbols());
            }
            upgrades.put(tag, entry);
        });
        json.put("policyUpgrades", upgrades);
        json.put("repairableTag", audit.repairablePolicy().tag());
        json.put("unsupportedIsa", audit.machinePolicy().isGenericLinux() && !audit.policies().highest().isGenericLinux());
        json.put("pyfpe", audit.usesFpectl());
        json.put("extensions", audit.elfFiles().stream().filter(WheelElf::extension).map(WheelElf::path).toList());
        json.put("notes", audit.notes());
        return json;
    }

    public static String toJson(List<WheelAudit> audits) throws IOException {
        return JsonTrees.toString(audits.stream().map(AuditReport::toJsonObject).toList());
    }

    /** A readable report, like {@code auditwheel show}. */
    public static String toText(WheelAudit audit) {
        StringBuilder out = new StringBuilder();
        out.append(audit.wheel()).append(" is consistent with the platform tag \"").append(audit.overallTag())
                .append("\".\n");
        if (audit.machinePolicy().isGenericLinux() && !audit.policies().highest().isGenericLinux()) {
            out.append("  It depends on instruction set extensions above the architecture's baseline.\n");
        }
        if (audit.usesFpectl()) {
            out.append("  It imports fpectl symbols (PyFPE_jbuf...), which no manylinux or musllinux policy allows"
                    + " (PEP 513).\n");
        }
        if (audit.versionedSymbols().isEmpty()) {
            out.append("  It references no versioned symbols of system libraries.\n");
        } else {
            out.append("  Versioned symbols it needs from system libraries:\n");
            audit.versionedSymbols().forEach((lib, versions) ->
                    out.append("    ").append(lib).append(": ").append(String.join(", ", versions)).append('\n'));
        }
        if (audit.symbolPolicy().priority() < audit.policies().highest().priority()) {
            Set<String> beyond = PolicySet.versionsBeyond(audit.policies().highest(), audit.versionedSymbols());
            out.append("  The symbol versions limit it to \"").append(audit.symbolTag()).append('"');
            if (!beyond.isEmpty()) {
                out.append(" (beyond ").append(audit.policies().highest().tag()).append(": ")
                        .append(String.join(", ", beyond)).append(')');
            }
            out.append(".\n");
        }
        if (audit.externalLibraries().isEmpty()) {
            out.append("  It needs no external shared library.\n");
        } else {
            out.append("  External shared libraries it needs:\n");
            audit.externalLibraries().forEach((soname, path) -> out.append("    ").append(soname).append(" => ")
                    .append(path == null ? "not found on this system" : path).append('\n'));
        }
        audit.policyUpgrades().forEach((tag, upgrade) -> {
            out.append("  To reach ").append(tag).append(':');
            if (!upgrade.librariesToEliminate().isEmpty()) {
                out.append(" bundle or remove ").append(String.join(", ", upgrade.librariesToEliminate())).append(';');
            }
            if (!upgrade.blacklistedSymbols().isEmpty()) {
                out.append(" stop importing ").append(upgrade.blacklistedSymbols().entrySet().stream()
                        .map(e -> String.join(", ", e.getValue()) + " from " + e.getKey())
                        .collect(Collectors.joining("; "))).append(';');
            }
            out.setLength(out.length() - 1);
            out.append('\n');
        });
        if (!audit.repairablePolicy().equals(audit.overallPolicy())) {
            out.append("  Bundling its external libraries would make it \"").append(audit.repairablePolicy().tag())
                    .append("\".\n");
        }
        for (String note : audit.notes()) {
            out.append("  note: ").append(note).append('\n');
        }
        return out.toString();
    }
}
