package org.neuronsimulator.wheel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReasonsTest {

    @TempDir
    Path dir;

    @Test
    void tenReasonsAreShownWhole() {
        List<String> ten = IntStream.rangeClosed(1, 10).mapToObj(i -> "r" + i).toList();
        assertEquals(String.join("; ", ten), Reasons.summary(ten));
        assertEquals("", Reasons.fullListNote(ten, dir.resolve("all.txt")));
        assertTrue(Files.notExists(dir.resolve("all.txt")));
    }

    @Test
    void moreAreCountedAndWrittenToAFile() throws IOException {
        List<String> many = IntStream.rangeClosed(1, 246).mapToObj(i -> "r" + i).toList();
        assertEquals("r1; r2; r3; r4; r5; r6; r7; r8; r9; r10; and 236 more", Reasons.summary(many));
        Path file = dir.resolve("sub").resolve("all.txt");
        assertEquals(" (all 246 reasons in " + file + ")", Reasons.fullListNote(many, file));
        assertEquals(many, Files.readAllLines(file));
    }
}
