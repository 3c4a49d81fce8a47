package org.neuronsimulator.wheel.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.neuronsimulator.wheel.elf.NativeBuild;

/** Compares a repaired wheel with the reference auditwheel's repair of the same wheel. */
public final class RepairComparison {

    private RepairComparison() {
    }

    /** The dynamic section facts compared, as readelf prints them. */
    public record Dynamic(List<String> needed, String soname, String rpath, String runpath, boolean symbolTable) {
    }

    /**
     * Requires two repairs of one wheel to agree: file name, entries (each tool's SBOM file name and
     * folder entries aside), {@code WHEEL} tags, every ELF object's {@code DT_NEEDED}, {@code SONAME},
     * search paths and symbol table, compression, and the SBOM (valid CycloneDX 1.4; the same packages
     * when both wrote one).
     */
    public static void assertSameRepair(Path theirs, Path ours) throws IOException {
        assertEquals(theirs.getFileName(), ours.getFileName());
        Map<String, ZipEntry> theirEntries = entries(theirs);
        Map<String, ZipEntry> ourEntries = entries(ours);
        assertEquals(normalised(theirEntries.keySet()), normalised(ourEntries.keySet()));
        assertEquals(tagLines(theirs), tagLines(ours));
        Map<String, Dynamic> theirElves = dynamicSections(theirs);
        Map<String, Dynamic> ourElves = dynamicSections(ours);
        assertEquals(theirElves, ourElves);
        for (String name : theirEntries.keySet()) {
            if (theirElves.containsKey(name)) {
                ZipEntry a = theirEntries.get(name);
                ZipEntry b = ourEntries.get(name);
                assertEquals(a.getCompressedSize() < a.getSize(), b.getCompressedSize() < b.getSize(),
                        name + " compressed by one tool only");
            }
        }
        JsonNode theirSbom = sbom(theirs, "auditwheel.cdx.json");
        JsonNode ourSbom = sbom(ours, Sbom.FILE_NAME);
        // The reference asks dpkg only for a library's real path, which merged /usr hides from dpkg on
        // Debian (libbz2 in /lib/x86_64-linux-gnu): then it writes no SBOM where this repair does.
        if (theirSbom != null) {
            assertNotNull(ourSbom, "the reference wrote an SBOM, this repair none");
            assertEquals(purls(theirSbom), purls(ourSbom));
            assertEquals(theirSbom.get("metadata").get("component").get("purl"),
                    ourSbom.get("metadata").get("component").get("purl"));
        }
    }

    /** Entry names with each tool's own SBOM file name made the same. */
    private static Set<String> normalised(Set<String> names) {
        Set<String> result = new TreeSet<>();
        for (String name : names) {
            if (name.endsWith("/")) {
                continue; // folder entries, which only the reference writes
            }
            result.add(name.endsWith("/sboms/auditwheel.cdx.json") || name.endsWith("/sboms/" + Sbom.FILE_NAME)
                    ? name.substring(0, name.lastIndexOf('/') + 1) + "(sbom)" : name);
        }
        return result;
    }

    static Map<String, ZipEntry> entries(Path wheel) throws IOException {
        Map<String, ZipEntry> result = new TreeMap<>();
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                result.put(entry.getName(), entry);
            }
        }
        return result;
    }

    static List<String> tagLines(Path wheel) throws IOException {
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            ZipEntry info = zip.stream().filter(e -> e.getName().endsWith(".dist-info/WHEEL")).findFirst().orElseThrow();
            return new String(zip.getInputStream(info).readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("Tag:")).toList();
        }
    }

    /** The SBOM of a wheel, validated against the CycloneDX 1.4 JSON schema, or null. */
    public static JsonNode sbom(Path wheel, String fileName) throws IOException {
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            ZipEntry entry = zip.stream().filter(e -> e.getName().endsWith(".dist-info/sboms/" + fileName)).findFirst()
                    .orElse(null);
            if (entry == null) {
                return null;
            }
            byte[] bytes = zip.getInputStream(entry).readAllBytes();
            List<?> problems = new JsonParser().validate(bytes, Version.VERSION_14);
            assertEquals(List.of(), problems, "SBOM " + entry.getName() + " of " + wheel.getFileName()
                    + " is not valid CycloneDX 1.4:\n" + new String(bytes, StandardCharsets.UTF_8));
            return new ObjectMapper().readTree(bytes);
        }
    }

    private static Set<String> purls(JsonNode sbom) {
        Set<String> purls = new TreeSet<>();
        sbom.get("components").forEach(c -> purls.add(c.get("purl").asText()));
        return purls;
    }

    /** readelf's view of every ELF entry of a wheel. */
    public static Map<String, Dynamic> dynamicSections(Path wheel) throws IOException {
        Map<String, Dynamic> result = new TreeMap<>();
        Path scratch = Files.createTempDirectory("repair-comparison");
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                if (bytes.length < 4 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
                    continue;
                }
                Path file = Files.write(scratch.resolve("elf-" + result.size()), bytes);
                List<String> needed = new ArrayList<>();
                String soname = null;
                String rpath = null;
                String runpath = null;
                for (String line : NativeBuild.run("readelf", "-dW", file.toString()).split("\n")) {
                    String value = line.contains("[") ? line.substring(line.indexOf('[') + 1, line.lastIndexOf(']')) : "";
                    if (line.contains("(NEEDED)")) {
                        needed.add(value);
                    } else if (line.contains("(SONAME)")) {
                        soname = value;
                    } else if (line.contains("(RPATH)")) {
                        rpath = value;
                    } else if (line.contains("(RUNPATH)")) {
                        runpath = value;
                    }
                }
                boolean symtab = NativeBuild.run("readelf", "-SW", file.toString()).contains(" .symtab ");
                result.put(entry.getName(), new Dynamic(needed, soname, rpath, runpath, symtab));
                Files.delete(file);
            }
        } finally {
            Files.deleteIfExists(scratch);
        }
        return result;
    }
}
