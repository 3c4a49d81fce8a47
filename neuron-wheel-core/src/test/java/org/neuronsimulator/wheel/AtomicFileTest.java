package org.neuronsimulator.wheel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

    @Test
    void aReportGetsTheModeOfAnyFileTheUserWritesNotAPrivateOne(@TempDir Path dir) throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file modes");
        Path ordinary = Files.writeString(dir.resolve("ordinary.txt"), "x");
        Path report = dir.resolve("reports/TEST-x.xml");
        AtomicFile.write(report, out -> out.write("<testsuite/>".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(report));
        assertEquals("<testsuite/>", Files.readString(report));
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoPartialOne(@TempDir Path dir) throws IOException {
        Path report = Files.writeString(dir.resolve("audit.json"), "[]");
        assertThrows(IOException.class, () -> AtomicFile.write(report, out -> {
            out.write('{');
            throw new IOException("disk full");
        }));
        assertEquals("[]", Files.readString(report));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(report), files.toList());
        }
    }
}
