package org.neuronsimulator.wheel.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/** The upload form's digests equal Python's hashlib (what twine sends) for files of many lengths. */
class FileDigestsTest {

    @Test
    void sameAsPythonHashlibForManyLengths(@TempDir Path dir) throws IOException {
        // Lengths around BLAKE2b's 128-byte block and the 1 MiB read buffer, and a multi-megabyte file.
        int[] lengths = {0, 1, 3, 63, 64, 127, 128, 129, 255, 256, 257, 1000, 4096, (1 << 20) - 1, 1 << 20,
            3 * 1024 * 1024 + 17};
        Random random = new Random(7);
        List<String> ours = new ArrayList<>();
        StringBuilder script = new StringBuilder("import hashlib,sys\n");
        for (int i = 0; i < lengths.length; i++) {
            byte[] data = new byte[lengths[i]];
            random.nextBytes(data);
            Path f = dir.resolve("data" + i);
            Files.write(f, data);
            FileDigests digests = FileDigests.of(f);
            assertEquals(lengths[i], digests.size());
            ours.add(digests.blake2b256() + " " + digests.sha256() + " " + digests.md5());
            script.append("d=open(sys.argv[1]+'/data").append(i).append("','rb').read()\n")
                    .append("print(hashlib.blake2b(d, digest_size=32).hexdigest(), hashlib.sha256(d).hexdigest(),"
                            + " hashlib.md5(d).hexdigest())\n");
        }
        Path py = dir.resolve("hash.py");
        Files.writeString(py, script);
        ProcessResult result = ProcessRunner.of("python3", py.toString(), dir.toString()).tailLines(1000).run();
        assertEquals(0, result.exitCode(), String.join("\n", result.tail()));
        assertEquals(result.tail(), ours);
    }
}
