package org.neuronsimulator.wheel.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * Audits real manylinux wheels from the machine's local package index: each must come out at least
 * as compatible as every platform tag in its name, unless a library it needs is missing here and
 * is reported as unresolved.
 */
class RealWheelsTest {

    static final Path INDEX = Path.of("/opt/pypi/simple");
    private static final Path MORE = Path.of("/opt/pypi-more/simple");

    /** Varied sizes (tens of kB to 17 MB), tags from manylinux1 to manylinux_2_34. */
    static final List<String> WHEELS = List.of("bottleneck==1.6.0", "brotli==1.2.0", "cffi==2.1.1",
            "charset_normalizer==3.5.2", "coverage==7.16.2", "cymem==2.0.13", "cytoolz==1.1.0", "frozenlist==1.8.0",
            "google_crc32c==1.9.0", "greenlet==3.5.6", "hiredis==3.4.2", "httptools==0.8.0", "kiwisolver==1.5.1",
            "lz4==4.4.5", "markupsafe==3.0.3", "mmh3==5.3.0", "msgpack==1.1.2", "multidict==6.9.1",
            "murmurhash==1.0.15", "orjson==3.12.0", "preshed==3.0.13", "propcache==0.5.4", "pyyaml==6.0.3",
            "regex==2026.9.29", "rpds_py==2026.6.3", "simplejson==4.1.2", "pystemmer==3.1.0", "bitarray==3.11.0",
            "contourpy==1.3.3", "numpy==2.2.6", "pillow==11.3.0", "shapely==2.1.2", "lxml==6.1.3",
            "psycopg2_binary==2.9.13", "pyzmq==27.2.0", "h5py==3.14.0", "caio==0.12.9", "apsw==3.53.4.0",
            "cbor2==6.1.4");

    static Path download() throws IOException {
        Path target = Path.of("target", "real-wheels").toAbsolutePath();
        Files.createDirectories(target);
        List<String> missing = new ArrayList<>();
        for (String spec : WHEELS) {
            String prefix = spec.substring(0, spec.indexOf("==")).toLowerCase().replace('-', '_') + "-"
                    + spec.substring(spec.indexOf("==") + 2) + "-";
            try (Stream<Path> files = Files.list(target)) {
                if (files.noneMatch(f -> f.getFileName().toString().toLowerCase().startsWith(prefix))) {
                    missing.add(spec);
                }
            }
        }
        if (!missing.isEmpty()) {
            List<String> command = new ArrayList<>(List.of("python3", "-m", "pip", "download", "--no-deps",
                    "--only-binary=:all:", "--index-url", INDEX.toUri().toString(), "-d", target.toString()));
            if (Files.isDirectory(MORE)) {
                command.addAll(List.of("--extra-index-url", MORE.toUri().toString()));
            }
            command.addAll(missing);
            ProcessResult result = ProcessRunner.of(command).environment("PIP_EXTRA_INDEX_URL", "")
                    .environment("PIP_RETRIES", "0").timeout(Duration.ofMinutes(10)).run();
            assertTrue(result.succeeded(), "pip download failed:\n" + result.tailText());
        }
        return target;
    }

    @Test
    void everyWheelIsAtLeastAsCompatibleAsItsName() throws Exception {
        assumeTrue(Files.isDirectory(INDEX), "the local package index is missing");
        Path folder = download();
        List<Path> wheels;
        try (Stream<Path> files = Files.list(folder)) {
            wheels = files.filter(f -> f.toString().endsWith(".whl")).sorted().toList();
        }
        assertTrue(wheels.size() >= 30, "only " + wheels.size() + " wheels");
        WheelAuditor auditor = new WheelAuditor(HostLibraryResolver.ofSystem(), AuditOptions.defaults());
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path wheel : wheels) {
            WheelAudit audit = auditor.audit(wheel);
            String name = wheel.getFileName().toString();
            String platforms = name.substring(0, name.length() - 4);
            platforms = platforms.substring(platforms.lastIndexOf('-') + 1);
            for (String tag : platforms.split("\\.")) {
                Policy claimed = audit.policies().find(tag).orElse(null);
                if (claimed == null) {
                    problems.add(name + ": unknown tag " + tag);
                    continue;
                }
                if (audit.overallPolicy().priority() < claimed.priority()) {
                    if (audit.unresolvedLibraries().isEmpty()) {
                        problems.add(name + ": audited " + audit.overallTag() + " but named " + tag + "\n"
                                + AuditReport.toText(audit));
                    }
                }
            }
            assertEquals(name, audit.wheel());
            checked++;
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(checked >= 30);
    }
}
