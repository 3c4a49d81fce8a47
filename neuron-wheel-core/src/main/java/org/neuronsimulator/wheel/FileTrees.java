package org.neuronsimulator.wheel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Listing the wheels of a folder and deleting folder trees, as every step that reads or clears a folder does. The JDK's
 * {@link Files#walk} serves here: a file-name suffix needs no pattern language such as Plexus Utils' DirectoryScanner.
 */
public final class FileTrees {

    private FileTrees() {
    }

    /** The {@code *.whl} files directly in a folder, sorted; none when the folder does not exist. */
    public static List<Path> wheelsIn(Path folder) throws IOException {
        return wheels(folder, 1);
    }

    /** The {@code *.whl} files in a folder and its sub-folders, sorted; none when the folder does not exist. */
    public static List<Path> wheelsUnder(Path folder) throws IOException {
        return wheels(folder, Integer.MAX_VALUE);
    }

    private static List<Path> wheels(Path folder, int depth) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder, depth)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".whl") && Files.isRegularFile(f))
                    .sorted().toList();
        }
    }

    /** Deletes a file or a folder with everything in it; nothing happens when it does not exist. */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
