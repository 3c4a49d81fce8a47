package org.neuronsimulator.wheel.macho;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.elf.StreamByteSource;

/**
 * 10,000 seeded mutations of the test binaries (bytes flipped in and around the load commands, words
 * set to extreme values, files cut short): each is read, and its signatures checked, within a time
 * bound; the only accepted failure is a {@link MachoFormatException} naming the input.
 */
class MachoMutationTest {

    private static final int MUTANTS = 10_000;
    private static final long SEED = 0x4d616368L;
    private static final long LIMIT_MS = 5_000;
    private static final long[] EXTREMES = {0, 1, 7, 8, 0x7f, 0xff, 0x7fff_ffffL, 0x8000_0000L, 0xffff_fff8L, 0xffff_ffffL};

    @Test
    void mutatedBinariesGiveErrorsNeverCrashesOrHangs() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String name : MachoTestFiles.ALL) {
            seeds.add(MachoTestFiles.bytes(name));
        }
        Random random = new Random(SEED);
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mach-o mutant");
            t.setDaemon(true);
            return t;
        });
        int parsed = 0;
        int rejected = 0;
        long slowest = 0;
        List<String> failures = new ArrayList<>();
        try {
            for (int i = 0; i < MUTANTS && failures.size() < 5; i++) {
                int which = random.nextInt(seeds.size());
                byte[] mutant = mutate(seeds.get(which), random);
                String name = "mutant-" + i + "-of-" + MachoTestFiles.ALL.get(which);
                boolean sizeKnown = random.nextBoolean();
                long start = System.nanoTime();
                Future<Boolean> result = worker.submit(() -> readAndCheck(name, mutant, sizeKnown));
                try {
                    if (result.get(LIMIT_MS, TimeUnit.MILLISECONDS)) {
                        parsed++;
                    } else {
                        rejected++;
                    }
                } catch (TimeoutException e) {
                    result.cancel(true);
                    fail(name + " took longer than " + LIMIT_MS + " ms");
                } catch (ExecutionException e) {
                    failures.add(name + ": " + e.getCause());
                }
                slowest = Math.max(slowest, System.nanoTime() - start);
            }
        } finally {
            worker.shutdownNow();
        }
        System.out.printf("Mach-O mutants: %d read, %d rejected with a format error, slowest %.1f ms%n", parsed, rejected,
                slowest / 1e6);
        assertTrue(failures.isEmpty(), "unexpected failures: " + failures);
        assertTrue(parsed > MUTANTS / 20 && rejected > MUTANTS / 20, parsed + " read, " + rejected + " rejected");
    }

    /** True when the mutant reads (and its signatures check), false when it is rejected as malformed. */
    private static boolean readAndCheck(String name, byte[] bytes, boolean sizeKnown) throws Exception {
        try (StreamByteSource source = new StreamByteSource(() -> new ByteArrayInputStream(bytes),
                sizeKnown ? bytes.length : -1)) {
            MachoFile file = MachoReader.read(name, source);
            for (MachoSlice slice : file.slices()) {
                CodeSignatureVerifier.check(name, source, slice);
                slice.minimumMacos();
                slice.headerPadding();
            }
            return true;
        } catch (MachoFormatException e) {
            if (!e.getMessage().startsWith(name + ": ") || e.reason().isBlank()) {
                throw new AssertionError("the error does not name the input: " + e.getMessage(), e);
            }
            return false;
        }
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = Arrays.copyOf(original, original.length);
        int head = Math.min(bytes.length, 8192);
        int changes = 1 + random.nextInt(6);
        for (int c = 0; c < changes; c++) {
            int kind = random.nextInt(10);
            if (kind < 5) {
                bytes[random.nextInt(head)] = (byte) random.nextInt(256);
            } else if (kind < 8) {
                int at = random.nextInt(Math.max(1, head / 4)) * 4;
                long value = EXTREMES[random.nextInt(EXTREMES.length)];
                for (int b = 0; b < 4 && at + b < bytes.length; b++) {
                    bytes[at + b] = (byte) (value >>> (8 * (random.nextBoolean() ? b : 3 - b)));
                }
            } else if (kind == 8) {
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
            } else {
                return Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
        }
        return bytes;
    }
}
