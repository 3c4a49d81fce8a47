package org.neuronsimulator.wheel.archive;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.model.Record;
import org.neuronsimulator.wheel.model.RecordEntry;

/**
 * Writes {@link WheelContents} as a wheel, deterministically: entries sorted by name with the
 * {@code .dist-info} files last and {@code RECORD} (regenerated with the sha256 and size of every
 * file) at the very end, every timestamp the same ({@code SOURCE_DATE_EPOCH} when given, clamped to
 * 1980-01-01, else 1980-01-01), unix modes kept, no data descriptors. The wheel is written to a hidden
 * temporary file in the target's folder, synced, then renamed over the target, so readers never see a
 * partial wheel and a failure leaves nothing behind.
 */
public final class WheelWriter {

    /** 1980-01-01T00:00:00Z, the earliest time a zip entry can carry. */
    public static final long ZIP_EPOCH = 315532800L;

    /**
     * @param sourceDateEpoch timestamp for every entry, seconds since 1970 (empty: 1980-01-01)
     * @param compressionLevel deflate level 0-9
     * @param threads compression threads
     * @param deflateEngine the deflate implementation
     */
    public record Options(OptionalLong sourceDateEpoch, int compressionLevel, int threads, DeflateEngine deflateEngine) {
        public Options {
            java.util.Objects.requireNonNull(deflateEngine, "deflateEngine");
            if (compressionLevel < 0 || compressionLevel > 9) {
                throw new InvalidSettingException("neuron.compressionLevel", "compression level must be 0-9, not " + compressionLevel);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, not " + threads);
            }
        }

        /** Level 6, all available cores, fixed 1980-01-01 timestamps, libdeflate where available. */
        public static Options defaults() {
            return new Options(OptionalLong.empty(), 6,
                    Runtime.getRuntime().availableProcessors(), DeflateEngine.AUTO);
        }

        /** Defaults with {@code SOURCE_DATE_EPOCH} taken from the value given (e.g. the environment variable). */
        public static Options withSourceDateEpoch(String value) {
            Options defaults = defaults();
            if (value == null || value.isBlank()) {
                return defaults;
            }
            try {
                return defaults.sourceDateEpoch(Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                throw new InvalidSettingException("SOURCE_DATE_EPOCH", "SOURCE_DATE_EPOCH is not an integer: " + value);
            }
        }

        public Options sourceDateEpoch(long seconds) {
            return new Options(OptionalLong.of(seconds), compressionLevel, threads, deflateEngine);
        }

        public Options compressionLevel(int level) {
            return new Options(sourceDateEpoch, level, threads, deflateEngine);
        }

        public Options threads(int count) {
            return new Options(sourceDateEpoch, compressionLevel, count, deflateEngine);
        }

        public Options deflateEngine(DeflateEngine engine) {
            return new Options(sourceDateEpoch, compressionLevel, threads, engine);
        }

        long timestamp() {
            return Math.max(sourceDateEpoch.orElse(ZIP_EPOCH), ZIP_EPOCH);
        }
    }

    private final Options options;

    public WheelWriter(Options options) {
        this.options = options;
    }

    public WheelWriter() {
        this(Options.defaults());
    }

    public Options options() {
        return options;
    }

    /** The temporary file a wheel is written to before it is renamed to {@code target}. */
    public static Path temporaryFile(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp");
    }

    /**
     * Writes the contents to {@code target}, replacing it atomically if it exists; returns {@code target}.
     */
    public Path write(WheelContents contents, Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Set<String> distInfo = contents.distInfoDirectories();
        if (distInfo.size() != 1) {
            throw new InvalidWheelException(absolute, distInfo.isEmpty() ? "contents have no .dist-info directory"
                    : "contents have " + distInfo.size() + " .dist-info directories " + distInfo);
        }
        String recordName = distInfo.iterator().next() + "/RECORD";
        List<WheelContents.Entry> ordered = new ArrayList<>(contents.entries());
        ordered.removeIf(e -> e.name().equals(recordName));
        ordered.sort(Comparator.comparing((WheelContents.Entry e) -> isDistInfo(e.name()))
                .thenComparing(WheelContents.Entry::name));
        List<ZipWriter.Item> items = new ArrayList<>(ordered.size());
        for (WheelContents.Entry entry : ordered) {
            items.add(new ZipWriter.Item(entry.name(), entry.source(), entry.mode()));
        }
        DeflateEngine engine = options.deflateEngine().resolve();
        Files.createDirectories(absolute.getParent());
        Path temporary = temporaryFile(absolute);
        boolean published = false;
        try {
            List<ZipWriter.Written> written;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                    ZipWriter zip = new ZipWriter(channel, temporary, options.compressionLevel(), options.timestamp(),
                            options.threads(), engine)) {
                written = new ArrayList<>(zip.write(items));
                byte[] record = recordText(written, recordName).getBytes(StandardCharsets.UTF_8);
                zip.write(List.of(new ZipWriter.Item(recordName, EntrySource.of(record), WheelContents.DEFAULT_MODE)));
                zip.finish();
                channel.force(true);
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            published = true;
            syncDirectory(absolute.getParent());
            return absolute;
        } finally {
            if (!published) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    private static void syncDirectory(Path directory) {
        // makes the rename durable; not every platform can open a directory, which is fine
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    private static boolean isDistInfo(String name) {
        int slash = name.indexOf('/');
        return slash > 0 && name.substring(0, slash).endsWith(".dist-info");
    }

    /** RECORD in the wheel format: rows {@code path,sha256=<urlsafe b64 no padding>,size}, its own row empty. */
    static String recordText(List<ZipWriter.Written> written, String recordName) {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        List<RecordEntry> rows = new ArrayList<>(written.size());
        for (ZipWriter.Written w : written) {
            rows.add(RecordEntry.of(w.name(), "sha256=" + encoder.encodeToString(w.sha256()), w.size()));
        }
        return Record.withOwnRow(rows, recordName).serialize();
    }
}
