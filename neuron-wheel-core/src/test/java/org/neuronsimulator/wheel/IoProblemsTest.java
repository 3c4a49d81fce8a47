package org.neuronsimulator.wheel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoProblemsTest {

    @TempDir
    Path dir;

    @Test
    void aPathAloneBecomesAPathWithItsReason() throws IOException {
        assertEquals("/x/wheelhouse: permission denied", IoProblems.describe(new AccessDeniedException("/x/wheelhouse")));
        Path file = Files.writeString(dir.resolve("wheelhouse"), "a file where a folder should be");
        IOException notAFolder = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> Files.createDirectories(file));
        assertEquals(file + ": already exists", IoProblems.describe(notAFolder));
        assertEquals("/a -> /b: already exists", IoProblems.describe(new FileAlreadyExistsException("/a", "/b", null)));
        assertEquals("disk full", IoProblems.describe(new IOException("disk full")));
        assertEquals("IOException", IoProblems.describe(new IOException()));
    }
}
