package org.neuronsimulator.wheel.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.neuronsimulator.wheel.model.CoreMetadata;
import org.neuronsimulator.wheel.model.ProjectNames;
import org.neuronsimulator.wheel.model.Record;
import org.neuronsimulator.wheel.model.RecordDigest;
import org.neuronsimulator.wheel.model.RecordEntry;
import org.neuronsimulator.wheel.model.Utf8Text;
import org.neuronsimulator.wheel.model.Version;
import org.neuronsimulator.wheel.model.WheelFileName;
import org.neuronsimulator.wheel.model.WheelInfo;

/**
 * A wheel opened for reading and verified: its filename parses; the zip is sound (see {@link ZipArchive});
 * it has exactly one {@code .dist-info} directory, matching the filename, with METADATA, WHEEL and RECORD
 * that parse and agree with the filename; every file is listed in RECORD and every RECORD row's hash and
 * size match the content (checked on all cores, streaming, so memory stays bounded).
 */
public final class WheelArchive implements AutoCloseable {

    /** Largest METADATA / WHEEL / RECORD read into memory. */
    private static final long MAX_TEXT = 64L << 20;

    private final Path file;
    private final ZipArchive zip;
    private final WheelFileName fileName;
    private final String distInfoDirectory;
    private final CoreMetadata metadata;
    private final WheelInfo wheelInfo;
    private final Record record;

    private WheelArchive(Path file, ZipArchive zip, WheelFileName fileName, String distInfoDirectory,
            CoreMetadata metadata, WheelInfo wheelInfo, Record record) {
        this.file = file;
        this.zip = zip;
        this.fileName = fileName;
        this.distInfoDirectory = distInfoDirectory;
        this.metadata = metadata;
        this.wheelInfo = wheelInfo;
        this.record = record;
    }

    public static WheelArchive open(Path wheel) throws IOException {
        return open(wheel, ZipArchive.Limits.DEFAULT);
    }

    public static WheelArchive open(Path wheel, ZipArchive.Limits limits) throws IOException {
        WheelFileName fileName;
        try {
            fileName = WheelFileName.parse(wheel.getFileName().toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidWheelException(wheel, "not a valid wheel file name (" + e.getMessage() + ")", e);
        }
        ZipArchive zip = ZipArchive.open(wheel, limits);
        try {
            return verify(wheel, zip, fileName);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static WheelArchive verify(Path wheel, ZipArchive zip, WheelFileName fileName) throws IOException {
        Set<String> distInfos = new TreeSet<>();
        for (ZipEntryInfo entry : zip.entries()) {
            int slash = entry.name().indexOf('/');
            if (slash > 0 && entry.name().substring(0, slash).endsWith(".dist-info")) {
                distInfos.add(entry.name().substring(0, slash));
            }
        }
        if (distInfos.isEmpty()) {
            throw new InvalidWheelException(wheel, "no .dist-info directory");
        }
        if (distInfos.size() > 1) {
            throw new InvalidWheelException(wheel, "more than one .dist-info directory: " + String.join(", ", distInfos));
        }
        String distInfo = distInfos.iterator().next();
        if (!matches(distInfo.substring(0, distInfo.length() - ".dist-info".length()), fileName)) {
            throw new InvalidWheelException(wheel, "the .dist-info directory " + distInfo
                    + " does not match the file name (expected " + fileName.distInfoDirectory() + ")");
        }
        CoreMetadata metadata = parseText(wheel, zip, distInfo + "/METADATA", CoreMetadata::parse);
        WheelInfo wheelInfo = parseText(wheel, zip, distInfo + "/WHEEL", WheelInfo::parse);
        Record record = parseText(wheel, zip, distInfo + "/RECORD", Record::parse);
        if (wheelInfo.wheelVersionMajor() != 1) {
            throw new InvalidWheelException(wheel, "unsupported Wheel-Version " + wheelInfo.wheelVersion());
        }
        if (!ProjectNames.normalize(metadata.name()).equals(fileName.projectName())) {
            throw new InvalidWheelException(wheel, "METADATA Name " + metadata.name()
                    + " does not match the file name's " + fileName.distribution());
        }
        if (!metadata.version().equals(fileName.version())) {
            throw new InvalidWheelException(wheel, "METADATA Version " + metadata.version()
                    + " does not match the file name's " + fileName.version());
        }
        verifyRecord(wheel, zip, record, distInfo);
        return new WheelArchive(wheel, zip, fileName, distInfo, metadata, wheelInfo, record);
    }

    /** Whether {@code name-version} (as in a dist-info directory) names the filename's project and version. */
    private static boolean matches(String nameAndVersion, WheelFileName fileName) {
        for (int i = nameAndVersion.indexOf('-'); i > 0; i = nameAndVersion.indexOf('-', i + 1)) {
            if (ProjectNames.normalize(nameAndVersion.substring(0, i)).equals(fileName.projectName())) {
                try {
                    return Version.parse(nameAndVersion.substring(i + 1)).equals(fileName.version());
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }
        }
        return false;
    }

    private interface TextParser<T> {
        T parse(String text, String sourceName);
    }

    private static <T> T parseText(Path wheel, ZipArchive zip, String name, TextParser<T> parser) throws IOException {
        ZipEntryInfo entry = zip.entry(name);
        if (entry == null) {
            throw new InvalidWheelException(wheel, "missing " + name);
        }
        if (entry.size() > MAX_TEXT) {
            throw new InvalidWheelException(wheel, name + " is too large (" + entry.size() + " bytes)");
        }
        byte[] bytes;
        try (InputStream in = zip.openEntry(entry)) {
            bytes = in.readAllBytes();
        }
        try {
            return parser.parse(Utf8Text.decode(bytes, name), name);
        } catch (IllegalArgumentException e) {
            throw new InvalidWheelException(wheel, name + " is invalid (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads {@code distInfo/RECORD} and checks it against the archive as {@link #open} does: every file
     * listed with a hash, every row's file present, every hash and size matching. The upload preflight
     * runs the same check on archives it only inspects. Returns the RECORD; a fault is an
     * {@link InvalidWheelException}.
     */
    public static Record verifyRecord(ZipArchive zip, String distInfo) throws IOException {
        Record record = parseText(zip.file(), zip, distInfo + "/RECORD", Record::parse);
        verifyRecord(zip.file(), zip, record, distInfo);
        return record;
    }

    private static void verifyRecord(Path wheel, ZipArchive zip, Record record, String distInfo) throws IOException {
        for (ZipEntryInfo entry : zip.entries()) {
            if (entry.isDirectory() || WheelContents.isRecordFile(entry.name())) {
                continue;
            }
            Optional<RecordEntry> row = record.find(entry.name());
            if (row.isEmpty()) {
                throw new InvalidWheelException(wheel, entry.name() + " is not listed in " + distInfo + "/RECORD");
            }
            if (!row.get().isHashed()) {
                throw new InvalidWheelException(wheel, entry.name() + " has no hash in " + distInfo + "/RECORD");
            }
        }
        List<RecordEntry> hashed = new ArrayList<>();
        for (RecordEntry row : record.entries()) {
            ZipEntryInfo entry = zip.entry(row.path());
            if (entry == null || entry.isDirectory()) {
                throw new InvalidWheelException(wheel, distInfo + "/RECORD lists " + row.path()
                        + ", which is not in the archive");
            }
            if (row.isHashed()) {
                hashed.add(row);
            }
        }
        // hash every file on all cores; each stream is read in small buffers, so memory stays bounded
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), hashed.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "wheel-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Optional<String>>> results = new ArrayList<>(hashed.size());
            for (RecordEntry row : hashed) {
                results.add(pool.submit(() -> check(zip, row)));
            }
            for (Future<Optional<String>> result : results) {
                Optional<String> problem;
                try {
                    problem = result.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof Error error) {
                        throw error; // out of memory says nothing about the wheel
                    }
                    throw new InvalidWheelException(wheel, String.valueOf(cause.getMessage()), cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while verifying " + wheel);
                }
                if (problem.isPresent()) {
                    throw new InvalidWheelException(wheel, "RECORD mismatch: " + problem.get());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Optional<String> check(ZipArchive zip, RecordEntry row) throws IOException {
        RecordDigest digest = row.newDigest();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = zip.openEntry(row.path())) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return row.check(digest);
    }

    public Path file() {
        return file;
    }

    public WheelFileName fileName() {
        return fileName;
    }

    /** The dist-info directory as named inside the archive. */
    public String distInfoDirectory() {
        return distInfoDirectory;
    }

    public CoreMetadata metadata() {
        return metadata;
    }

    public WheelInfo wheelInfo() {
        return wheelInfo;
    }

    public Record record() {
        return record;
    }

    /** The zip entries (name, size, unix mode, method, crc...), in central directory order. */
    public List<ZipEntryInfo> entries() {
        return zip.entries();
    }

    public InputStream openEntry(String name) throws IOException {
        return zip.openEntry(name);
    }

    /** The underlying zip archive. */
    public ZipArchive zip() {
        return zip;
    }

    /**
     * The wheel's files as {@link WheelContents} to edit and write; this archive must stay open until then.
     * Files whose sha256 RECORD has verified are copied without recompression when written.
     */
    public WheelContents contents() {
        WheelContents contents = WheelContents.of(zip);
        for (WheelContents.Entry entry : contents.entries()) {
            Optional<byte[]> sha256 = record.find(entry.name()).flatMap(RecordEntry::hash)
                    .filter(h -> h.startsWith("sha256=")).map(h -> decode(h.substring("sha256=".length())));
            if (sha256.isPresent() && sha256.get().length == 32
                    && entry.source() instanceof EntrySource.ArchiveEntry source) {
                contents.put(entry.name(), new EntrySource.ArchiveEntry(zip, source.entry(), sha256.get()), entry.mode());
            }
        }
        return contents;
    }

    private static byte[] decode(String urlsafe) {
        try {
            return java.util.Base64.getUrlDecoder().decode(urlsafe);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
