package org.neuronsimulator.wheel.pipeline;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.neuronsimulator.wheel.FileTrees;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.IoProblems;
import org.neuronsimulator.wheel.Reasons;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.archive.PrefixInflaterPool;
import org.neuronsimulator.wheel.audit.AuditOptions;
import org.neuronsimulator.wheel.audit.AuditReport;
import org.neuronsimulator.wheel.audit.LibraryResolver;
import org.neuronsimulator.wheel.audit.PolicyTable;
import org.neuronsimulator.wheel.audit.WheelAudit;
import org.neuronsimulator.wheel.audit.WheelAuditException;
import org.neuronsimulator.wheel.audit.WheelAuditor;
import org.neuronsimulator.wheel.builder.container.ImageLibraryResolver;
import org.neuronsimulator.wheel.macos.DyldSearch;
import org.neuronsimulator.wheel.macos.MacosAuditReport;
import org.neuronsimulator.wheel.macos.MacosWheelAudit;
import org.neuronsimulator.wheel.macos.MacosWheelAuditor;
import org.neuronsimulator.wheel.model.InvalidWheelFileNameException;
import org.neuronsimulator.wheel.model.WheelFileName;

/**
 * Audits a wheel, or every wheel of a folder: the tag each deserves and why, as text and optionally as a JSON array.
 * One bad wheel of a folder does not hide the others: each gets its verdict or its error.
 */
public final class WheelAudits {

    /**
     * What an audit needs.
     *
     * @param wheel                 a wheel file or a folder of wheels
     * @param json                  where the JSON array is also written; null: nowhere
     * @param excludes              globs of sonames or paths left out of the audit
     * @param imageLibraryDirectory an exported build image root to resolve libraries in; null or absent: this host
     * @param macosLibraryPath      folders searched for the libraries of macOS wheels
     */
    public record Settings(Path wheel, Path json, List<String> excludes, boolean skipIsaCheck, Path imageLibraryDirectory,
                           List<String> macosLibraryPath) {

        public Settings {
            excludes = excludes == null ? List.of() : List.copyOf(excludes);
            macosLibraryPath = macosLibraryPath == null ? List.of() : List.copyOf(macosLibraryPath);
        }
    }

    private final Settings settings;
    private final Map<String, String> environment;
    private final Reporter reporter;

    public WheelAudits(Settings settings, Map<String, String> environment, Reporter reporter) {
        this.settings = settings;
        this.environment = environment;
        this.reporter = reporter;
    }

    /**
     * Audits and reports every wheel.
     *
     * @throws InvalidSettingException there is no wheel to audit, or the image root is none
     * @throws WheelAuditException some wheels could not be audited (each is reported, and listed in the JSON)
     * @throws IOException the wheels could not be listed or the JSON not written
     */
    public void run() throws WheelAuditException, IOException {
        List<Path> wheels = wheels();
        // Several wheels: in a JVM of its own, tuned for a short batch (see AuditJvm for the figures).
        if (wheels.size() > 1 && AuditJvm.run(settings, environment, reporter)) {
            return;
        }
        audit(wheels);
    }

    /** {@link #run} without a JVM of its own: what the audit JVM runs. */
    void auditInThisJvm() throws WheelAuditException, IOException {
        audit(wheels());
    }

    private void audit(List<Path> wheels) throws WheelAuditException, IOException {
        LibraryResolver resolver;
        try {
            resolver = ImageLibraryResolver.orHost(settings.imageLibraryDirectory(), reporter);
        } catch (IOException e) { // a folder that is no exported image root: the setting names the wrong folder
            throw new InvalidSettingException("neuron.imageLibraryDirectory", IoProblems.describe(e), e);
        }
        // One wheel: its entries on every core. Several: two wheels at once, each read by one thread, so that
        // small wheels keep both cores busy while at most two entry buffers are held at any time.
        int workers = wheels.size() > 1 ? 2 : 1;
        try (PrefixInflaterPool inflaters = new PrefixInflaterPool()) {
            audit(wheels, resolver, workers, inflaters);
        }
    }

    private void audit(List<Path> wheels, LibraryResolver resolver, int workers, PrefixInflaterPool inflaters)
            throws WheelAuditException, IOException {
        WheelAuditor auditor = new WheelAuditor(resolver, new AuditOptions(settings.excludes(), settings.skipIsaCheck(),
                workers > 1 ? 1 : AuditOptions.defaults().threads()), PolicyTable.builtIn(), reporter, inflaters);
        MacosWheelAuditor macosAuditor = new MacosWheelAuditor(DyldSearch.fromEnvironment(environment,
                System.getProperty("os.name"), DyldSearch.folders(settings.macosLibraryPath())), settings.excludes(), reporter);
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "wheel-audits");
            t.setDaemon(true);
            return t;
        });
        List<Future<Verdict>> verdicts = new ArrayList<>(Collections.nCopies(wheels.size(), null));
        try {
            // Largest first, so that a large wheel does not start last and leave the other worker idle at the end;
            // the report keeps the wheels' order.
            for (int i : largestFirst(wheels)) {
                Path file = wheels.get(i);
                verdicts.set(i, pool.submit(() -> verdict(file, auditor, macosAuditor)));
            }
            List<Map<String, Object>> audits = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (Future<Verdict> future : verdicts) {
                Verdict verdict = result(future);
                audits.add(verdict.json());
                if (verdict.error() != null) {
                    reporter.error(verdict.error());
                    failures.add(verdict.error());
                } else {
                    verdict.text().lines().forEach(reporter::info);
                }
            }
            finish(wheels, audits, failures);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Integer> largestFirst(List<Path> wheels) {
        long[] sizes = new long[wheels.size()];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            try {
                sizes[i] = Files.size(wheels.get(i));
            } catch (IOException e) {
                sizes[i] = 0; // its audit reports why it cannot be read
            }
            order.add(i);
        }
        order.sort((a, b) -> Long.compare(sizes[b], sizes[a]));
        return order;
    }

    /** One wheel's JSON object and text, or its error. */
    private record Verdict(Map<String, Object> json, String text, String error) {
    }

    private Verdict verdict(Path file, WheelAuditor auditor, MacosWheelAuditor macosAuditor) {
        try {
            long start = System.nanoTime();
            Verdict verdict;
            if (isMacosWheel(file)) {
                MacosWheelAudit audit = macosAuditor.audit(file);
                verdict = new Verdict(MacosAuditReport.toJsonObject(audit), MacosAuditReport.toText(audit), null);
            } else {
                WheelAudit audit = auditor.audit(file);
                verdict = new Verdict(AuditReport.toJsonObject(audit), AuditReport.toText(audit), null);
            }
            reporter.debug("audited " + file + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            return verdict;
        } catch (WheelAuditException | IOException e) {
            String message = e instanceof IOException io ? "cannot read " + file + ": " + IoProblems.describe(io)
                    : e.getMessage();
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("wheel", file.getFileName().toString());
            failed.put("error", message);
            return new Verdict(failed, null, message);
        }
    }

    private static Verdict result(Future<Verdict> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while auditing");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void finish(List<Path> wheels, List<Map<String, Object>> audits, List<String> failures)
            throws WheelAuditException, IOException {
        if (settings.json() != null) {
            try {
                MacosAuditReport.writeJson(audits, settings.json());
            } catch (IOException e) {
                throw new IOException("cannot write " + settings.json() + ": " + IoProblems.describe(e), e);
            }
            reporter.info("JSON report: " + settings.json());
        }
        if (!failures.isEmpty()) {
            throw new WheelAuditException(failures.size() + " of " + wheels.size() + " wheel(s) could not be audited: "
                    + Reasons.summary(failures) + (failures.size() <= Reasons.SHOWN ? ""
                    : settings.json() != null ? " (each wheel's result is in " + settings.json() + ")"
                    : " (-Dneuron.audit.json=FILE lists them all)"));
        }
    }

    private List<Path> wheels() throws IOException {
        Path wheel = settings.wheel();
        if (wheel == null || !Files.exists(wheel)) {
            throw new InvalidSettingException("neuron.wheel", "neuron.wheel names no existing file or folder: " + wheel);
        }
        if (!Files.isDirectory(wheel)) {
            return List.of(wheel);
        }
        List<Path> wheels;
        try {
            wheels = FileTrees.wheelsIn(wheel);
        } catch (IOException e) {
            throw new IOException("cannot list " + wheel + ": " + IoProblems.describe(e), e);
        }
        if (wheels.isEmpty()) {
            throw new InvalidSettingException("neuron.wheel", "no .whl file in " + wheel);
        }
        return wheels;
    }

    private static boolean isMacosWheel(Path file) {
        try {
            return MacosWheelAuditor.isMacosWheel(WheelFileName.parse(file.getFileName().toString()));
        } catch (InvalidWheelFileNameException e) {
            return false; // the Linux audit reports the name
        }
    }
}
