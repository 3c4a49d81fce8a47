package org.neuronsimulator.wheel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @Test
    void wheelsAreListedSortedAndOnlyAsFiles(@TempDir Path dir) throws IOException {
        Files.createFile(dir.resolve("b-1-py3-none-any.whl"));
        Files.createFile(dir.resolve("a-1-py3-none-any.whl"));
        Files.createFile(dir.resolve("notes.txt"));
        Files.createDirectories(dir.resolve("folder.whl"));
        Files.createDirectories(dir.resolve("cp312"));
        Files.createFile(dir.resolve("cp312/c-1-cp312-cp312-linux_x86_64.whl"));

        assertEquals(List.of(dir.resolve("a-1-py3-none-any.whl"), dir.resolve("b-1-py3-none-any.whl")),
                FileTrees.wheelsIn(dir));
        assertEquals(List.of(dir.resolve("a-1-py3-none-any.whl"), dir.resolve("b-1-py3-none-any.whl"),
                dir.resolve("cp312/c-1-cp312-cp312-linux_x86_64.whl")), FileTrees.wheelsUnder(dir));
        assertEquals(List.of(), FileTrees.wheelsIn(dir.resolve("missing")));
        assertEquals(List.of(), FileTrees.wheelsUnder(dir.resolve("notes.txt")));
    }

    @Test
    void deleteRemovesATreeAndIgnoresWhatIsNotThere(@TempDir Path dir) throws IOException {
        Path root = dir.resolve("image-root");
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("usr/lib/libx.so.1"), "x");
        Files.createSymbolicLink(root.resolve("keep-link"), dir);
        FileTrees.delete(root);
        assertFalse(Files.exists(root));
        assertTrue(Files.isDirectory(dir), "a link's target is not followed");
        FileTrees.delete(root);
        FileTrees.delete(dir.resolve("never-made"));
    }
}
