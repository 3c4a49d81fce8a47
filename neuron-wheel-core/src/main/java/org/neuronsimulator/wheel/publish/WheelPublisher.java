package org.neuronsimulator.wheel.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.neuronsimulator.wheel.FileTrees;
import org.neuronsimulator.wheel.Reasons;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.archive.WheelArchive;
import org.neuronsimulator.wheel.archive.WheelRenamer;
import org.neuronsimulator.wheel.archive.WheelWriter;

/**
 * Publishes a wheelhouse: every wheel is renamed (nightly/release) and checked first, so a wheel
 * the index would refuse stops the run before any byte is sent; then each is uploaded and, unless
 * verification is off, looked up in the index and its SHA-256 compared.
 */
public final class WheelPublisher {

    /** Rename without rebuild: new dist-info name, METADATA and RECORD; the packages stay as they are. */
    private static final WheelPreparer.Renaming RENAMER = (wheel, name, version, out) -> {
        try (WheelArchive archive = WheelArchive.open(wheel)) {
            return new WheelRenamer(new WheelWriter()).rename(archive, Optional.of(name), Optional.of(version), out);
        }
    };

    private final Reporter reporter;
    private final WheelPreparer.Renaming renaming;

    public WheelPublisher(Reporter reporter) {
        this(reporter, RENAMER);
    }

    WheelPublisher(Reporter reporter, WheelPreparer.Renaming renaming) {
        this.reporter = reporter;
        this.renaming = renaming;
    }

    public List<UploadResult> publish(PublishRequest request) throws UploadException, IOException {
        Redactor redactor = request.credentials() == null ? Redactor.NONE : request.credentials().redactor();
        Reporter out = redactor.wrap(reporter);
        List<Path> wheels = wheelsIn(request.wheelhouse());
        WheelPreparer preparer = new WheelPreparer(request.naming(), request.stagingDirectory(), request.maxFileSize(), out, renaming);
        List<PreparedWheel> prepared = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> everyReason = new ArrayList<>();
        for (Path wheel : wheels) {
            try {
                prepared.add(preparer.prepare(wheel));
            } catch (PreflightException e) {
                refused.add(e.getMessage());
                e.reasons().forEach(reason -> everyReason.add(wheel.getFileName() + ": " + reason));
            }
        }
        if (!refused.isEmpty()) {
            throw new UploadException(UploadException.Kind.PREFLIGHT, refused.size() + " of " + wheels.size()
                    + " wheel(s) would be refused by " + request.repository().name() + "; nothing was uploaded:\n  "
                    + Reasons.summary(refused, "\n  ")
                    + Reasons.fullListNote(everyReason, request.stagingDirectory().resolve("refused.txt")));
        }
        List<UploadResult> results = new ArrayList<>();
        if (request.dryRun()) {
            for (PreparedWheel wheel : prepared) {
                out.info("dry run: would upload " + wheel.filename() + " (" + wheel.digests().size() + " bytes, sha256 "
                        + wheel.digests().sha256() + ") to " + request.repository());
                results.add(new UploadResult(wheel.filename(), UploadResult.Status.DRY_RUN, 0, 0, 0));
            }
            return results;
        }
        try (PackageIndexClient client = new PackageIndexClient(request.repository(), request.credentials(),
                request.retry(), request.timeouts(), reporter)) {
            for (PreparedWheel wheel : prepared) {
                out.info("uploading " + wheel.filename() + " (" + wheel.project() + " " + wheel.version() + ") to "
                        + request.repository());
                results.add(client.upload(wheel.form(), wheel.digests(), request.skipExisting()));
            }
            if (!request.verifyTimeout().isZero() && !request.verifyTimeout().isNegative()) {
                long deadline = System.nanoTime() + request.verifyTimeout().toNanos();
                for (int i = 0; i < prepared.size(); i++) {
                    PreparedWheel wheel = prepared.get(i);
                    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                    // A file that was already there may legitimately differ (an earlier build of the same name).
                    boolean ours = results.get(i).status() == UploadResult.Status.UPLOADED;
                    client.verify(wheel.normalizedName(), wheel.filename(), wheel.digests().sha256(), left, ours);
                }
            }
        }
        return results;
    }

    private static List<Path> wheelsIn(Path wheelhouse) throws IOException, UploadException {
        if (!Files.isDirectory(wheelhouse)) {
            throw new UploadException(UploadException.Kind.PREFLIGHT, "wheelhouse " + wheelhouse + " does not exist or is not a folder");
        }
        List<Path> wheels = FileTrees.wheelsIn(wheelhouse);
        if (wheels.isEmpty()) {
            throw new UploadException(UploadException.Kind.PREFLIGHT, "no .whl files in " + wheelhouse);
        }
        return wheels;
    }
}
