package org.neuronsimulator.wheel.archive;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.BoundedArchiveInputStream;

/**
 * A zip archive read through Commons Compress, with the checks a wheel needs on top. Commons
 * Compress's {@link ZipFile} reads the central directory and gives random access to entry data; its
 * {@link ZipArchiveInputStream} reads the local headers. On top of them: every local header must
 * agree with its central directory entry, the entries must not overlap, nothing may precede the first
 * entry or follow the end record, no duplicate or unsafe names, no encryption, only stored or deflated
 * data, compression ratios under a cap. Entry streams check the declared size and CRC-32. Safe for
 * concurrent {@link #openEntry} calls.
 *
 * <p>{@link #open} refuses any of these faults. {@link #inspect} lists the ones that leave the archive
 * readable (trailing data, duplicate names, compression ratio), for reporting them all at once.
 */
public final class ZipArchive implements AutoCloseable {

    /**
     * Zip-bomb guards. The ratio caps apply to entries (and the whole archive) whose uncompressed
     * size is above {@code ratioThreshold}.
     */
    public record Limits(double maxEntryRatio, double maxTotalRatio, long ratioThreshold, long maxTotalSize) {
        /** Defaults: PyPI's rule (50x over 64 MiB) for the whole archive, 500x for one large entry, 64 GiB. */
        public static final Limits DEFAULT = new Limits(500, 50, 64L << 20, 64L << 30);
    }

    private final Path file;
    private final ZipFile zip;
    /** The channel {@link #zip} reads, for positional reads of raw entry data. */
    private final FileChannel channel;
    private final List<ZipEntryInfo> entries;
    private final Map<String, ZipEntryInfo> byName;
    private final Map<ZipEntryInfo, ZipArchiveEntry> sources;
    private final List<String> problems;
    /**
     * Inflaters of {@link #readStart} with their input buffers, reset and reused: one per thread reading at a time.
     * Ending an inflater per entry took a tenth of the Java time of a 73-wheel folder audit (its cleaner's reference
     * clearing).
     */
    private final Queue<StartInflater> startInflaters = new ConcurrentLinkedQueue<>();

    private record StartInflater(Inflater inflater, byte[] input) {
    }

    private ZipArchive(Path file, ZipFile zip, FileChannel channel, List<ZipEntryInfo> entries,
            Map<String, ZipEntryInfo> byName, Map<ZipEntryInfo, ZipArchiveEntry> sources, List<String> problems) {
        this.file = file;
        this.zip = zip;
        this.channel = channel;
        this.entries = List.copyOf(entries);
        this.byName = Collections.unmodifiableMap(byName);
        this.sources = sources;
        this.problems = List.copyOf(problems);
    }

    public static ZipArchive open(Path file) throws IOException {
        return open(file, Limits.DEFAULT);
    }

    /** Opens an archive that passes every check; any fault is an {@link InvalidWheelException}. */
    public static ZipArchive open(Path file, Limits limits) throws IOException {
        ZipArchive archive = inspect(file, limits);
        if (!archive.problems.isEmpty()) {
            archive.close();
            throw new InvalidWheelException(file, archive.problems.get(0));
        }
        return archive;
    }

    /**
     * Opens an archive that can be read safely, listing in {@link #problems()} the faults that
     * {@link #open} refuses but reading survives: data after the end record, duplicate names, a
     * compression ratio over the caps. Of duplicates, the first is the one read. Any other fault is an
     * {@link InvalidWheelException}.
     */
    public static ZipArchive inspect(Path file, Limits limits) throws IOException {
        long fileSize;
        try {
            fileSize = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new InvalidWheelException(file, "file does not exist", e);
        }
        if (fileSize == 0) {
            throw new InvalidWheelException(file, "not a zip archive (empty file)");
        }
        // a channel of our own: Commons Compress leaves one it opened itself open when the archive is bad
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        ZipFile zip;
        try {
            // Local headers are read once, by the checks, which give each entry's data offset: Commons Compress
            // would read each one more at opening (a positional read per entry).
            zip = ZipFile.builder().setSeekableByteChannel(new ReadAheadChannel(channel)).setUseUnicodeExtraFields(false)
                    .setIgnoreLocalFileHeader(true).get();
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (e instanceof InterruptedIOException interrupted) {
                throw interrupted;
            }
            throw unreadable(file, e);
        }
        try {
            return new Checks(file, zip, channel, fileSize, limits).run();
        } catch (IOException | RuntimeException e) {
            zip.close();
            if (e instanceof IOException io && (e instanceof InvalidWheelException || e instanceof InterruptedIOException)) {
                throw io;
            }
            throw new InvalidWheelException(file, "damaged zip archive (" + describe(e) + ")", e);
        }
    }

    /** Why Commons Compress could not open the file: not a zip at all, or a truncated or damaged one. */
    private static InvalidWheelException unreadable(Path file, Exception e) throws IOException {
        String reason = describe(e);
        // Commons Compress's words when it finds no end of central directory record
        boolean noEndRecord = reason.contains("not a ZIP archive");
        if (noEndRecord) {
            reason = "no end of central directory record";
        }
        String what = !startsLikeZip(file) ? "not a zip archive" : noEndRecord ? "truncated zip archive" : "damaged zip archive";
        return new InvalidWheelException(file, what + " (" + reason + ")", e);
    }

    private static boolean startsLikeZip(Path file) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return ZipArchiveInputStream.matches(head, n);
    }

    /** The innermost message: Commons Compress wraps the real reason in "Error reading Zip content from ...". */
    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    public Path file() {
        return file;
    }

    /** Entries in central directory order. */
    public List<ZipEntryInfo> entries() {
        return entries;
    }

    public ZipEntryInfo entry(String name) {
        return byName.get(name);
    }

    /** What {@link #inspect} found that {@link #open} refuses; empty for an archive from {@link #open}. */
    public List<String> problems() {
        return problems;
    }

    /** The uncompressed content of an entry; the stream fails on a size or CRC mismatch. */
    public InputStream openEntry(String name) throws IOException {
        ZipEntryInfo entry = byName.get(name);
        if (entry == null) {
            throw new InvalidWheelException(file, "no entry named " + name);
        }
        return openEntry(entry);
    }

    public InputStream openEntry(ZipEntryInfo entry) throws IOException {
        source(entry); // an entry of this archive
        try {
            if (entry.method() == ZipEntryInfo.DEFLATED && IsalInflaterStream.usable()) {
                return new CheckedEntryStream(entry, new IsalInflaterStream(channel, entry.dataOffset(),
                        entry.compressedSize()));
            }
            if (entry.method() == ZipEntryInfo.DEFLATED) {
                // Commons Compress inflates through a 512-byte input buffer: one JNI call and one positional
                // read per 512 compressed bytes, which made a cold audit of a 140 MB wheel twice as slow.
                return new CheckedEntryStream(entry, new EntryInflaterStream(data(entry)));
            }
            return new CheckedEntryStream(entry, data(entry));
        } catch (IOException | RuntimeException e) {
            throw new InvalidWheelException(file, "entry " + entry.name() + ": " + describe(e), e);
        }
    }

    /**
     * The entry's first bytes, up to {@code length} (fewer when it is shorter), inflating no more than that. No
     * stream and no checksum: for a look at where most entries start (the audit reads the first four bytes of
     * every entry of a wheel, 38,000 in a folder of 73 wheels, in a third of the time a stream took).
     */
    public byte[] readStart(ZipEntryInfo entry, int length) throws IOException {
        source(entry);
        byte[] start = new byte[(int) Math.min(length, entry.size())];
        if (entry.method() != ZipEntryInfo.DEFLATED) {
            readRaw(entry, 0, ByteBuffer.wrap(start));
            return start;
        }
        StartInflater polled = startInflaters.poll();
        StartInflater reader = polled != null ? polled : new StartInflater(new Inflater(true), new byte[1024]);
        Inflater inflater = reader.inflater();
        byte[] input = reader.input();
        try {
            long read = 0;
            int produced = 0;
            while (produced < start.length && !inflater.finished() && !inflater.needsDictionary()) {
                if (inflater.needsInput()) {
                    int n = (int) Math.min(input.length, entry.compressedSize() - read);
                    if (n == 0) {
                        throw new InvalidWheelException(file, "entry " + entry.name()
                                + ": corrupt deflate data (it ends before its first " + start.length + " bytes)");
                    }
                    readRaw(entry, read, ByteBuffer.wrap(input, 0, n));
                    read += n;
                    inflater.setInput(input, 0, n);
                }
                produced += inflater.inflate(start, produced, start.length - produced);
            }
            return produced == start.length ? start : Arrays.copyOf(start, produced);
        } catch (DataFormatException e) {
            throw new InvalidWheelException(file, "entry " + entry.name() + ": corrupt deflate data (" + describe(e) + ")", e);
        } finally {
            inflater.reset();
            startInflaters.add(reader);
        }
    }

    /**
     * The entry's stored bytes, read at the data offset the checks found. Positional reads: streams of one archive
     * may run on several threads, where Commons Compress would seek its shared channel to find the data.
     */
    private InputStream data(ZipEntryInfo entry) {
        return new BoundedArchiveInputStream(entry.dataOffset(), entry.compressedSize()) {
            @Override
            protected int read(long position, ByteBuffer target) throws IOException {
                return channel.read(target, position);
            }
        };
    }

    /** Raw deflate data inflated in 64 KiB input steps; the inflater's native memory is freed on close. */
    private static final class EntryInflaterStream extends InflaterInputStream {
        private static final int INPUT_BUFFER = 64 * 1024;

        EntryInflaterStream(InputStream raw) {
            // zlib may ask for one byte past the end of raw deflate data before it reports the end
            super(new SequenceInputStream(raw, new ByteArrayInputStream(new byte[1])), new Inflater(true), INPUT_BUFFER);
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                inf.end();
            }
        }
    }

    /** Fills {@code target} with the first of the entry's stored (possibly compressed) bytes; at most all of them. */
    void readRaw(ZipEntryInfo entry, ByteBuffer target) throws IOException {
        source(entry);
        readRaw(entry, 0, target);
    }

    /** Fills {@code target} with the entry's stored bytes from {@code from} on; at most up to their end. */
    private void readRaw(ZipEntryInfo entry, long from, ByteBuffer target) throws IOException {
        long at = entry.dataOffset() + from;
        long end = entry.dataOffset() + entry.compressedSize();
        ByteBuffer slice = target.slice(target.position(), (int) Math.min(target.remaining(), end - at));
        while (slice.hasRemaining()) {
            // positional reads: safe beside other threads reading the same channel
            int n = channel.read(slice, at + slice.position());
            if (n < 0) {
                throw new InvalidWheelException(file, "entry " + entry.name() + ": the file ends at byte "
                        + (at + slice.position()) + ", before the end of its data at byte " + end);
            }
        }
    }

    /** The entry's stored (possibly compressed) bytes, for copying without recompression; fails when fewer come. */
    InputStream openRaw(ZipEntryInfo entry) throws IOException {
        InputStream raw;
        try {
            source(entry);
            raw = data(entry);
        } catch (IOException | RuntimeException e) {
            throw new InvalidWheelException(file, "entry " + entry.name() + ": " + describe(e), e);
        }
        return new RawEntryStream(entry, raw);
    }

    private ZipArchiveEntry source(ZipEntryInfo entry) throws InvalidWheelException {
        ZipArchiveEntry source = sources.get(entry);
        if (source == null) {
            throw new InvalidWheelException(file, "entry " + entry.name() + " is not from this archive");
        }
        return source;
    }

    @Override
    public void close() throws IOException {
        for (StartInflater reader; (reader = startInflaters.poll()) != null; ) {
            reader.inflater().end();
        }
        zip.close();
    }

    /** Why an archive member name is unsafe to extract, or null when it is fine. */
    static String unsafeNameReason(String name) {
        if (name.isEmpty()) {
            return "empty name";
        }
        if (name.indexOf('\\') >= 0) {
            return "contains a backslash";
        }
        if (name.indexOf('\0') >= 0) {
            return "contains a NUL character";
        }
        if (name.startsWith("/")) {
            return "absolute path";
        }
        if (name.length() >= 2 && name.charAt(1) == ':') {
            return "drive letter";
        }
        // segment by segment without splitting: this runs for every entry of every wheel opened
        int end = name.endsWith("/") ? name.length() - 1 : name.length();
        for (int start = 0; start <= end; ) {
            int slash = name.indexOf('/', start);
            int stop = slash < 0 || slash > end ? end : slash;
            int length = stop - start;
            if (length == 2 && name.charAt(start) == '.' && name.charAt(start + 1) == '.') {
                return "'..' segment";
            }
            if (length == 0 || length == 1 && name.charAt(start) == '.') {
                return "empty or '.' segment";
            }
            start = stop + 1;
        }
        return null;
    }

    /** The checks made once, when the archive is opened. */
    private static final class Checks {
        private static final int LOCAL_HEADER_SIZE = 30;
        private static final int LOCAL_HEADER_SIGNATURE = 0x04034b50;
        private static final int DATA_DESCRIPTOR_FLAG = 1 << 3;
        private final Path file;
        private final ZipFile zip;
        private final FileChannel channel;
        private final long fileSize;
        private final Limits limits;
        private final List<String> problems = new ArrayList<>();

        Checks(Path file, ZipFile zip, FileChannel channel, long fileSize, Limits limits) {
            this.file = file;
            this.zip = zip;
            this.channel = channel;
            this.fileSize = fileSize;
            this.limits = limits;
        }

        private InvalidWheelException bad(String reason) {
            return new InvalidWheelException(file, reason);
        }

        ZipArchive run() throws IOException {
            if (zip.getFirstLocalFileHeaderOffset() != 0) {
                // Commons Compress accepts a preamble (self-extracting archives); a wheel has none, and
                // bytes between the central directory and its end record look the same to it
                throw bad("damaged zip archive (" + zip.getFirstLocalFileHeaderOffset()
                        + " bytes before the first entry, or the central directory is not where its end record says)");
            }
            List<ZipArchiveEntry> central = Collections.list(zip.getEntries());
            List<String> names = new ArrayList<>(central.size());
            Set<String> seen = new HashSet<>();
            Set<String> folded = new HashSet<>();
            long totalSize = 0;
            long totalCompressed = 0;
            for (ZipArchiveEntry e : central) {
                String name = decodeName(e);
                names.add(name);
                checkEntry(e, name);
                if (!seen.add(name)) {
                    problems.add("duplicate entry " + name);
                } else if (!folded.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name)) {
                    problems.add("duplicate entry " + name + " (a file and a directory of the same name)");
                }
                checkRatio(e.getSize(), e.getCompressedSize(), limits.maxEntryRatio(), "entry " + name);
                totalSize += e.getSize();
                totalCompressed += e.getCompressedSize();
                if (totalSize > limits.maxTotalSize() || totalSize < 0) {
                    throw bad("uncompressed size exceeds the limit of " + limits.maxTotalSize() + " bytes");
                }
            }
            checkRatio(totalSize, totalCompressed, limits.maxTotalRatio(), "archive");
            List<Integer> physical = physicalOrder(central);
            long[] dataOffsets = new long[central.size()];
            boolean[] localDataDescriptor = checkLocalHeaders(central, names, physical, dataOffsets);
            checkOverlaps(central, names, physical, dataOffsets);
            List<ZipEntryInfo> infos = new ArrayList<>(central.size());
            Map<String, ZipEntryInfo> byName = new LinkedHashMap<>();
            Map<ZipEntryInfo, ZipArchiveEntry> sources = new IdentityHashMap<>();
            for (int i = 0; i < central.size(); i++) {
                ZipArchiveEntry e = central.get(i);
                ZipEntryInfo info = new ZipEntryInfo(names.get(i), e.getSize(), e.getCompressedSize(), e.getMethod(),
                        e.getCrc(), e.getGeneralPurposeBit().usesDataDescriptor() || localDataDescriptor[i],
                        e.getExternalAttributes(), e.getLocalHeaderOffset(), dataOffsets[i]);
                infos.add(info);
                byName.putIfAbsent(info.name(), info);
                sources.put(info, e);
            }
            return new ZipArchive(file, zip, channel, infos, byName, sources, problems);
        }

        private static List<Integer> physicalOrder(List<ZipArchiveEntry> central) {
            List<Integer> order = new ArrayList<>(central.size());
            for (int i = 0; i < central.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingLong(i -> central.get(i).getLocalHeaderOffset()));
            return order;
        }

        /** The name as pip would read it: UTF-8 when flagged, else ASCII or code page 437; invalid UTF-8 is refused. */
        private String decodeName(ZipArchiveEntry entry) throws InvalidWheelException {
            byte[] raw = entry.getRawName();
            if (isAscii(raw)) {
                return new String(raw, StandardCharsets.ISO_8859_1); // ASCII reads the same in every charset here
            }
            Charset charset = entry.getGeneralPurposeBit().usesUTF8ForNames() ? StandardCharsets.UTF_8 : codePage437();
            try {
                return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                throw bad("entry name is not valid " + charset + ": " + new String(raw, StandardCharsets.ISO_8859_1));
            }
        }

        private static boolean isAscii(byte[] bytes) {
            for (byte b : bytes) {
                if (b < 0) {
                    return false;
                }
            }
            return true;
        }

        /** Code page 437, zip's charset for names not flagged UTF-8; UTF-8 where this JDK lacks it. */
        private static Charset codePage437() {
            try {
                return Charset.forName("IBM437");
            } catch (RuntimeException e) {
                return StandardCharsets.UTF_8;
            }
        }

        private void checkEntry(ZipArchiveEntry e, String name) throws InvalidWheelException {
            if (e.getDiskNumberStart() != 0) {
                throw bad("multi-disk zip archives are not supported");
            }
            if (e.getGeneralPurposeBit().usesEncryption() || e.getGeneralPurposeBit().usesStrongEncryption()) {
                throw bad("entry " + name + " is encrypted");
            }
            if (e.getMethod() != ZipEntryInfo.STORED && e.getMethod() != ZipEntryInfo.DEFLATED) {
                throw bad("entry " + name + " uses unsupported compression method " + e.getMethod());
            }
            if (e.getMethod() == ZipEntryInfo.STORED && e.getCompressedSize() != e.getSize()) {
                throw bad("entry " + name + " is stored but its sizes differ");
            }
            String reason = unsafeNameReason(name);
            if (reason != null) {
                throw bad("unsafe entry name " + name + " (" + reason + ")");
            }
            String type = nonRegularType(e, name);
            if (type != null) {
                throw bad("entry " + name + " is a " + type + "; a wheel holds only regular files and directories");
            }
        }

        /**
         * The file type of an entry whose unix mode says it is neither a regular file nor a directory
         * (unzip would recreate a symlink, e.g. to /etc/passwd); null for ordinary entries.
         */
        private static String nonRegularType(ZipArchiveEntry e, String name) {
            if (e.getPlatform() != ZipArchiveEntry.PLATFORM_UNIX) {
                return null; // the upper attribute bits carry a unix mode only when made on unix
            }
            int type = e.getUnixMode() & 0170000;
            return switch (type) {
                case 0, 0100000 -> null;
                case 0040000 -> name.endsWith("/") ? null : "directory without a trailing '/' in its name";
                case 0120000 -> "symbolic link";
                case 0020000 -> "character device";
                case 0060000 -> "block device";
                case 0010000 -> "named pipe";
                case 0140000 -> "socket";
                default -> "file of unknown type " + Integer.toOctalString(type);
            };
        }

        private void checkRatio(long size, long compressed, double max, String what) {
            if (size > limits.ratioThreshold() && size > max * Math.max(compressed, 1)) {
                problems.add(what + " has a compression ratio over " + (long) max + " (" + size + " bytes from "
                        + compressed + "), refusing a possible zip bomb");
            }
        }

        private void checkOverlaps(List<ZipArchiveEntry> central, List<String> names, List<Integer> physical,
                                   long[] dataOffsets) throws InvalidWheelException {
            long previousEnd = 0;
            String previous = null;
            for (int i : physical) {
                ZipArchiveEntry entry = central.get(i);
                if (entry.getLocalHeaderOffset() < previousEnd) {
                    throw bad("entries " + previous + " and " + names.get(i) + " overlap");
                }
                previousEnd = dataOffsets[i] + entry.getCompressedSize();
                previous = names.get(i);
            }
        }

        /**
         * Reads every local header: each must carry the signature, the name and the method of its central
         * directory entry (as pip's zipfile requires); the data follows its name and extra field. Commons
         * Compress's streaming reader then reads on from the last entry through the central directory and the end
         * record, which must close the file. Returns, by central directory index, whether the local header
         * announces a data descriptor.
         * <p>
         * The fixed 30-byte header is parsed here rather than by the streaming reader: that reader builds an entry
         * per header (extra fields, a Calendar for the time) and, over the 76,000 headers of a 73-wheel folder, was
         * a tenth of the audit's Java time and its costliest C2 compilation (0.4 s).
         */
        private boolean[] checkLocalHeaders(List<ZipArchiveEntry> central, List<String> names, List<Integer> physical,
                                            long[] dataOffsets) throws IOException {
            boolean[] dataDescriptor = new boolean[central.size()];
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                FileWindow headers = new FileWindow(channel);
                byte[] header = new byte[LOCAL_HEADER_SIZE];
                ByteBuffer fields = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
                byte[] name = new byte[256];
                for (int i : physical) {
                    ZipArchiveEntry entry = central.get(i);
                    long offset = entry.getLocalHeaderOffset();
                    byte[] centralName = entry.getRawName();
                    if (!headers.read(offset, header, LOCAL_HEADER_SIZE)) {
                        throw bad("damaged zip archive (the local header of entry " + names.get(i) + " at offset " + offset
                                + " runs past the end of the file)");
                    }
                    int nameLength = Short.toUnsignedInt(fields.getShort(26));
                    int extraLength = Short.toUnsignedInt(fields.getShort(28));
                    if (name.length < nameLength) {
                        name = new byte[nameLength];
                    }
                    if (fields.getInt(0) != LOCAL_HEADER_SIGNATURE
                            || Short.toUnsignedInt(fields.getShort(8)) != entry.getMethod()
                            || nameLength != centralName.length
                            || !headers.read(offset + LOCAL_HEADER_SIZE, name, nameLength)
                            || !Arrays.equals(name, 0, nameLength, centralName, 0, nameLength)) {
                        throw bad("entry " + names.get(i) + ": the local header at offset " + offset
                                + " differs from the central directory");
                    }
                    dataOffsets[i] = offset + LOCAL_HEADER_SIZE + nameLength + extraLength;
                    dataDescriptor[i] = (fields.getShort(6) & DATA_DESCRIPTOR_FLAG) != 0;
                    if (dataOffsets[i] + entry.getCompressedSize() > fileSize) {
                        throw bad("damaged zip archive (the data of entry " + names.get(i) + " runs past the end of the file)");
                    }
                }
                long last = physical.isEmpty() ? 0 : central.get(physical.get(physical.size() - 1)).getLocalHeaderOffset();
                try (ZipArchiveInputStream local = localReader(headers, last)) {
                    if (!physical.isEmpty()) {
                        nextHeader(local, "the local header at offset " + last);
                    }
                    checkEnd(local, last);
                }
            }
            return dataDescriptor;
        }

        private static ZipArchiveInputStream localReader(FileWindow headers, long offset) {
            return new ZipArchiveInputStream(headers.from(offset), StandardCharsets.UTF_8.name(), false, true);
        }

        private ZipArchiveEntry nextHeader(ZipArchiveInputStream local, String where) throws IOException {
            try {
                return local.getNextEntry();
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw bad("damaged zip archive (" + where + ": " + describe(e) + ")");
            }
        }

        /** After the last entry: no local header the central directory lacks, then the end record at the end of the file. */
        private void checkEnd(ZipArchiveInputStream local, long offset) throws IOException {
            ZipArchiveEntry extra = nextHeader(local, "after the last entry");
            if (extra != null) {
                throw bad("damaged zip archive (entry " + extra.getName() + " is missing from the central directory)");
            }
            long end = offset + local.getBytesRead();
            if (end < fileSize) {
                problems.add(0, (fileSize - end) + " bytes of trailing data after the end of central directory record");
            }
        }
    }

    /**
     * One file read through one 64 KiB buffer by any number of streams, each from its own offset: the local headers of
     * small entries lie close together, so a wheel of 15,000 entries is checked with few reads and no buffer per
     * header (a buffered channel stream per header allocated 4 KB each, which grew the heap of a folder audit).
     */
    private static final class FileWindow {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        private long start;

        FileWindow(FileChannel channel) {
            this.channel = channel;
            buffer.limit(0);
        }

        /** A stream of the file's bytes from {@code offset} on; closing it closes nothing. */
        InputStream from(long offset) {
            return new InputStream() {
                private long position = offset;

                @Override
                public int read() throws IOException { // the header parser reads single bytes through a pushback stream
                    if (!reach(position)) {
                        return -1;
                    }
                    return buffer.get((int) (position++ - start)) & 0xFF;
                }

                @Override
                public int read(byte[] target, int targetOffset, int length) throws IOException {
                    if (length == 0) {
                        return 0;
                    }
                    if (!reach(position)) {
                        return -1;
                    }
                    int at = (int) (position - start);
                    int n = Math.min(length, buffer.limit() - at);
                    buffer.get(at, target, targetOffset, n);
                    position += n;
                    return n;
                }
            };
        }

        /** Fills {@code target} up to {@code length} with the file's bytes from {@code position}; false where the file ends first. */
        boolean read(long position, byte[] target, int length) throws IOException {
            int done = 0;
            while (done < length) {
                if (!reach(position + done)) {
                    return false;
                }
                int at = (int) (position + done - start);
                int n = Math.min(length - done, buffer.limit() - at);
                buffer.get(at, target, done, n);
                done += n;
            }
            return true;
        }

        /** Whether the window holds the byte at {@code position} after moving it there when it did not; false at the end. */
        private boolean reach(long position) throws IOException {
            if (position >= start && position < start + buffer.limit()) {
                return true;
            }
            buffer.clear();
            start = position;
            while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) > 0) {
                // fill the window as far as the file goes
            }
            buffer.flip();
            return buffer.hasRemaining();
        }
    }

    /** A stream whose single-byte read goes through its block read. */
    private abstract static class BlockInputStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n;
            do {
                n = read(one, 0, 1);
            } while (n == 0);
            return n < 0 ? -1 : one[0] & 0xFF;
        }
    }

    /** Entry content that must come to exactly its declared size and CRC-32; faults name the file and entry. */
    private final class CheckedEntryStream extends BlockInputStream {
        private final ZipEntryInfo entry;
        private final InputStream in;
        private final CRC32 crc = new CRC32();
        private long produced;
        private boolean done;

        CheckedEntryStream(ZipEntryInfo entry, InputStream in) {
            this.entry = entry;
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n;
            try {
                n = in.read(b, off, len);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw bad("corrupt " + (entry.method() == ZipEntryInfo.DEFLATED ? "deflate " : "") + "data ("
                        + describe(e) + ")", e);
            }
            if (n < 0) {
                done = true;
                if (produced != entry.size()) {
                    throw bad("size " + produced + " differs from its declared size " + entry.size(), null);
                }
                if (crc.getValue() != entry.crc()) {
                    throw bad("CRC-32 mismatch", null);
                }
                return -1;
            }
            produced += n;
            if (produced > entry.size()) {
                throw bad("more data than its declared size " + entry.size(), null);
            }
            crc.update(b, off, n);
            return n;
        }

        private InvalidWheelException bad(String reason, Throwable cause) {
            return new InvalidWheelException(file, "entry " + entry.name() + ": " + reason, cause);
        }

        @Override
        public void close() throws IOException {
            done = true;
            in.close();
        }
    }

    /** An entry's stored bytes, which must come to exactly its compressed size. */
    private final class RawEntryStream extends BlockInputStream {
        private final ZipEntryInfo entry;
        private final InputStream in;
        private long read;

        RawEntryStream(ZipEntryInfo entry, InputStream in) {
            this.entry = entry;
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0) {
                if (read != entry.compressedSize()) {
                    throw new InvalidWheelException(file, "entry " + entry.name() + ": archive data ended early ("
                            + read + " of " + entry.compressedSize() + " bytes)");
                }
                return -1;
            }
            read += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
