package org.neuronsimulator.wheel.audit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Audits every Linux wheel of the machine's local package index ({@code /opt/pypi},
 * {@code /opt/pypi-more}: about 320 real wheels, 7 GB) here and with the reference auditwheel, and
 * requires the same overall tag, symbol tag and external libraries for each (or a refusal by both);
 * a failure lists every difference.
 *
 * <p>The reference needs hours for the whole index (vtk alone takes minutes), so its verdicts are
 * kept outside the repository, in {@code ~/.cache/neuron-wheel/auditwheel-show/<reference
 * version>-<digest of its source>/<wheel sha256>.json} ({@code -Dneuron.auditwheelCache} moves it),
 * and the missing ones are computed by as many reference runs at once as there are cores. Skipped
 * only where the index or the reference is missing. A wheel the reference cannot judge at all (it
 * stops with a Python traceback instead of a verdict or a refusal, as Debian's pyelftools 0.29 does
 * on the Qt plugin notes of pyside6_essentials) has no verdict to compare with; such wheels are
 * listed, not counted as differences.
 */
class AuditwheelDifferentialTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> indexWheels() throws IOException {
        List<Path> wheels = new ArrayList<>();
        for (String root : System.getProperty("neuron.packageIndex", "/opt/pypi,/opt/pypi-more").split(",")) {
            Path files = Path.of(root.trim());
            if (!Files.isDirectory(files)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(files)) {
                // manylinux_2_17_x86_64, manylinux2014_x86_64, musllinux_1_2_aarch64, linux_armv7l...
                walk.filter(Files::isRegularFile)
                        .filter(p -> p.getFileName().toString().matches(".*-[^-]*linux[^-]*\\.whl"))
                        .forEach(wheels::add);
            }
        }
        // The same file name in both indexes is the same wheel.
        Map<String, Path> unique = new LinkedHashMap<>();
        wheels.stream().sorted().forEach(w -> unique.putIfAbsent(w.getFileName().toString(), w));
        return List.copyOf(unique.values());
    }

    @Test
    void everyLinuxWheelOfTheIndexGetsTheReferenceVerdict() throws Exception {
        List<Path> wheels = indexWheels();
        assumeTrue(!wheels.isEmpty(), "the local package index (/opt/pypi) is missing");
        ReferenceAuditwheel reference = ReferenceAuditwheel.locate();
        assumeTrue(reference != null, "the reference auditwheel (../shared/tools/auditwheel) is not present");
        Path cache = Path.of(System.getProperty("neuron.auditwheelCache",
                System.getProperty("user.home") + "/.cache/neuron-wheel/auditwheel-show")).resolve(reference.identity());
        Files.createDirectories(cache);

        long start = System.nanoTime();
        Map<Path, Path> verdictFiles = new LinkedHashMap<>();
        List<Path> missing = new ArrayList<>();
        for (Path wheel : wheels) {
            Path file = cache.resolve(sha256(wheel) + ".json");
            verdictFiles.put(wheel, file);
            if (!Files.isRegularFile(file)) {
                missing.add(wheel);
            }
        }
        double hashing = (System.nanoTime() - start) / 1e9;
        long referenceStart = System.nanoTime();
        computeMissing(reference, missing, verdictFiles);
        double referenceSeconds = (System.nanoTime() - referenceStart) / 1e9;

        long oursStart = System.nanoTime();
        WheelAuditor auditor = new WheelAuditor(HostLibraryResolver.ofSystem(), AuditOptions.defaults());
        List<String> differences = new ArrayList<>();
        List<String> unjudged = new ArrayList<>();
        double referenceCpu = 0;
        for (Path wheel : wheels) {
            JsonNode cached = JSON.readTree(verdictFiles.get(wheel).toFile());
            referenceCpu += cached.path("seconds").asDouble();
            if (crashed(cached)) {
                unjudged.add(wheel.getFileName() + " (" + lastLine(cached.path("stderr").asText()) + ")");
                continue;
            }
            String difference = compare(wheel, cached, auditor);
            if (difference != null) {
                differences.add(difference);
            }
        }
        double ours = (System.nanoTime() - oursStart) / 1e9;
        System.out.printf("differential audit: %d wheels; hashing %.1f s; reference runs for %d uncached wheels"
                        + " %.1f s (cache %s); this auditor %.1f s for all; the cached reference runs took %.0f s%n",
                wheels.size(), hashing, missing.size(), referenceSeconds, cache, ours, referenceCpu);
        if (!unjudged.isEmpty()) {
            System.out.println("not compared, the reference stopped without a verdict: " + String.join("; ", unjudged));
        }
        assertTrue(differences.isEmpty(), differences.size() + " of " + wheels.size()
                + " wheels get another verdict than the reference's:\n" + String.join("\n", differences));
    }

    /** Runs the reference on the wheels without a cached verdict, several at once, caching each verdict. */
    private static void computeMissing(ReferenceAuditwheel reference, List<Path> missing, Map<Path, Path> files)
            throws IOException, InterruptedException {
        if (missing.isEmpty()) {
            return;
        }
        int parallel = Integer.getInteger("neuron.auditwheelParallel", Runtime.getRuntime().availableProcessors());
        Map<String, String> environment = new LinkedHashMap<>();
        // The reference unpacks each wheel completely; memory is faster than disk for that.
        if (Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm"))) {
            environment.put("TMPDIR", "/dev/shm");
        }
        // Largest first, so the runs end together.
        List<Path> order = new ArrayList<>(missing);
        order.sort((a, b) -> Long.compare(size(b), size(a)));
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Path wheel : order) {
                futures.add(pool.submit(() -> {
                    long t = System.nanoTime();
                    ReferenceAuditwheel.Run run = reference.show(wheel, environment);
                    ObjectNode verdict = JSON.createObjectNode();
                    verdict.put("wheel", wheel.getFileName().toString());
                    verdict.put("exit", run.exitCode());
                    verdict.put("seconds", Math.round((System.nanoTime() - t) / 1e7) / 100.0);
                    verdict.set("result", run.json());
                    String stderr = run.stderr();
                    verdict.put("stderr", stderr.substring(Math.max(0, stderr.length() - 2000)));
                    Path file = files.get(wheel);
                    Path temporary = file.resolveSibling(file.getFileName() + ".tmp" + Thread.currentThread().getId());
                    JSON.writeValue(temporary.toFile(), verdict);
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    throw new IOException("a reference run failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Null when the verdicts agree, else one line naming the wheel and every difference. */
    static String compare(Path wheel, JsonNode cached, WheelAuditor auditor) throws IOException {
        String name = wheel.getFileName().toString();
        JsonNode theirs = cached.get("result");
        boolean refused = theirs == null || theirs.isNull() || !theirs.has("overall_tag");
        WheelAudit ours;
        try {
            ours = auditor.audit(wheel);
        } catch (WheelAuditException e) {
            return refused ? null : name + ": refused here (" + e.getMessage() + ") but the reference says "
                    + theirs.get("overall_tag").asText();
        }
        if (refused) {
            String reason = theirs != null && theirs.has("error") ? theirs.get("error").asText()
                    : "exit " + cached.path("exit").asInt() + ": " + lastLine(cached.path("stderr").asText());
            return name + ": the reference refused it (" + reason + ") but here it is " + ours.overallTag();
        }
        List<String> problems = new ArrayList<>();
        if (!theirs.get("overall_tag").asText().equals(ours.overallTag())) {
            problems.add("overall tag " + ours.overallTag() + " vs reference " + theirs.get("overall_tag").asText());
        }
        if (!theirs.get("sym_tag").asText().equals(ours.symbolTag())) {
            problems.add("symbol tag " + ours.symbolTag() + " vs reference " + theirs.get("sym_tag").asText());
        }
        Set<String> theirLibs = new TreeSet<>();
        theirs.get("external_libs").fieldNames().forEachRemaining(theirLibs::add);
        if (!theirLibs.equals(ours.externalLibraries().keySet())) {
            Set<String> onlyOurs = new TreeSet<>(ours.externalLibraries().keySet());
            onlyOurs.removeAll(theirLibs);
            Set<String> onlyTheirs = new TreeSet<>(theirLibs);
            onlyTheirs.removeAll(ours.externalLibraries().keySet());
            problems.add("external libraries only here " + onlyOurs + ", only in the reference " + onlyTheirs);
        }
        return problems.isEmpty() ? null : name + ": " + String.join("; ", problems);
    }

    /** A run that ended in a Python traceback (its frames in the kept tail), with neither a verdict nor a refusal. */
    static boolean crashed(JsonNode cached) {
        JsonNode result = cached.get("result");
        return (result == null || result.isNull())
                && java.util.regex.Pattern.compile("\\n\\s*File \"[^\"]+\", line \\d+, in ").matcher(
                        cached.path("stderr").asText()).find();
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
