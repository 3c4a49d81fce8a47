package org.neuronsimulator.wheel.macos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuronsimulator.wheel.archive.WheelArchive;
import org.neuronsimulator.wheel.archive.ZipEntryInfo;
import org.neuronsimulator.wheel.macho.MachoReader;
import org.neuronsimulator.wheel.macho.MachoTestFiles;

/**
 * Checks a repaired wheel with LLVM's otool, not with the project's own reader: every non-system
 * install name of every slice of every binary points into the wheel with {@code @loader_path} and
 * resolves to a file there.
 */
public final class LoadCommandCheck {

    /** What otool says one slice of one file of the wheel loads. */
    public record SliceDependencies(String path, String architecture, String id, List<String> dependencies) {
    }

    private LoadCommandCheck() {
    }

    /** Unpacks a wheel (verified by {@link WheelArchive}) into {@code directory}. */
    public static Path unpack(Path wheel, Path directory) throws IOException {
        try (WheelArchive archive = WheelArchive.open(wheel)) {
            for (ZipEntryInfo entry : archive.entries()) {
                if (entry.isDirectory()) {
                    continue;
                }
                Path target = directory.resolve(entry.name());
                Files.createDirectories(target.getParent());
                try (InputStream in = archive.openEntry(entry.name())) {
                    Files.copy(in, target);
                }
            }
        }
        return directory;
    }

    /** {@code llvm-otool-14 -D} and {@code -L} of each slice of each Mach-O file under {@code root}. */
    public static List<SliceDependencies> dependencies(Path root, Path scratch) throws IOException {
        List<SliceDependencies> all = new ArrayList<>();
        List<Path> files;
        try (var walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            byte[] head = new byte[8];
            try (InputStream in = Files.newInputStream(file)) {
                if (in.readNBytes(head, 0, 8) < 8 || !MachoReader.hasMachoMagic(head, 8)) {
                    continue;
                }
            }
            String relative = root.relativize(file).toString();
            Map<String, Path> slices = MachoTestFiles.thinSlices(file, scratch.resolve(relative.replace('/', '_')));
            for (Map.Entry<String, Path> slice : slices.entrySet()) {
                String[] idLines = MachoTestFiles.otool("-D", slice.getValue().toString()).split("\n");
                String id = idLines.length > 1 ? idLines[1].trim() : null;
                List<String> names = new ArrayList<>();
                String[] lines = MachoTestFiles.otool("-L", slice.getValue().toString()).split("\n");
                for (int i = 1; i < lines.length; i++) {
                    String name = lines[i].trim().replaceFirst(" \\(compatibility version .*\\)$", "");
                    if (i == 1 && name.equals(id)) {
                        continue;
                    }
                    names.add(name);
                }
                all.add(new SliceDependencies(relative, slice.getKey(), id, names));
            }
        }
        return all;
    }

    /**
     * Asserts that every non-system install name is {@code @loader_path/...} and names a file of the
     * unpacked wheel; returns, per binary and architecture, what each such name resolved to.
     */
    public static Map<String, Map<String, String>> assertSelfContained(Path root, Path scratch) throws IOException {
        Map<String, Map<String, String>> resolved = new LinkedHashMap<>();
        for (SliceDependencies slice : dependencies(root, scratch)) {
            Map<String, String> targets = new LinkedHashMap<>();
            for (String name : slice.dependencies()) {
                if (name.startsWith("/usr/lib/") || name.startsWith("/System/")) {
                    continue;
                }
                assertTrue(name.startsWith("@loader_path/"), slice + ": " + name + " does not point into the wheel");
                Path folder = root.resolve(slice.path()).getParent();
                Path target = folder.resolve(name.substring("@loader_path/".length())).normalize();
                assertTrue(target.startsWith(root) && Files.isRegularFile(target), slice + ": " + name
                        + " does not resolve to a file of the wheel (" + target + ")");
                targets.put(name, root.relativize(target).toString());
            }
            resolved.put(slice.path() + " " + slice.architecture(), targets);
        }
        assertEquals(false, resolved.isEmpty(), "no Mach-O file under " + root);
        return resolved;
    }
}
