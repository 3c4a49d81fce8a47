package org.neuronsimulator.wheel.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

class Blake2bTest {

    private static String hex(Blake2b b) {
        return HexFormat.of().formatHex(b.digest());
    }

    @Test
    void rfc7693AppendixA() {
        // BLAKE2b-512("abc"), RFC 7693 appendix A.
        Blake2b b = new Blake2b(64);
        b.update("abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923", hex(b));
    }

    @Test
    void sameAsPythonHashlibForManyLengthsAndSplits(@TempDir Path dir) throws IOException {
        // Lengths around the 128-byte block edge, and a multi-megabyte file.
        int[] lengths = {0, 1, 3, 63, 64, 127, 128, 129, 255, 256, 257, 1000, 4096, 3 * 1024 * 1024 + 17};
        Random random = new Random(7);
        List<String> ours = new ArrayList<>();
        StringBuilder script = new StringBuilder("import hashlib,sys\n");
        for (int i = 0; i < lengths.length; i++) {
            byte[] data = new byte[lengths[i]];
            random.nextBytes(data);
            Path f = dir.resolve("data" + i);
            Files.write(f, data);
            Blake2b b = Blake2b.blake2b256();
            // Feed in odd-sized pieces to exercise the buffering.
            int at = 0;
            int step = 1;
            while (at < data.length) {
                int n = Math.min(step, data.length - at);
                b.update(data, at, n);
                at += n;
                step = step * 3 % 1000 + 1;
            }
            ours.add(hex(b));
            script.append("print(hashlib.blake2b(open(sys.argv[1]+'/data").append(i)
                    .append("','rb').read(), digest_size=32).hexdigest())\n");
        }
        Path py = dir.resolve("hash.py");
        Files.writeString(py, script);
        ProcessResult result = ProcessRunner.of("python3", py.toString(), dir.toString()).tailLines(1000).run();
        assertEquals(0, result.exitCode(), String.join("\n", result.tail()));
        assertEquals(result.tail(), ours);
        assertEquals(ours.get(ours.size() - 1), FileDigests.of(dir.resolve("data" + (lengths.length - 1))).blake2b256());
    }

    @Test
    void digestLengthIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Blake2b(0));
        assertThrows(IllegalArgumentException.class, () -> new Blake2b(65));
    }
}
