package org.neuronsimulator.wheel.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A zip archive read from its own central directory, checked strictly: one end record and no trailing
 * data, no duplicate or unsafe names, entries that neither overlap nor point outside the file, only
 * stored or deflated data, and compression ratios under a cap. Entry data is streamed (bounded memory);
 * every read checks the declared size and CRC. Safe for concurrent {@link #openEntry} calls.
 */
public final class ZipArchive implements AutoCloseable {

    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_RECORD = 0x06054b50;
    private static final int ZIP64_END_RECORD = 0x06064b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final long MAX_CENTRAL_DIRECTORY = 256L << 20;

    /**
     * Zip-bomb guards. The ratio caps apply to entries (and the whole archive) whose uncompressed
     * size is above {@code ratioThreshold}.
     */
    public record Limits(double maxEntryRatio, double maxTotalRatio, long ratioThreshold, long maxTotalSize) {
        /** Defaults: PyPI's rule (50x over 64 MiB) for the whole archive, 500x for one large entry, 64 GiB. */
        public static final Limits DEFAULT = new Limits(500, 50, 64L << 20, 64L << 30);
    }

    private final Path file;
    private final FileChannel channel;
    private final Map<String, ZipEntryInfo> entries;

    private ZipArchive(Path file, FileChannel channel, Map<String, ZipEntryInfo> entries) {
        this.file = file;
        this.channel = channel;
        this.entries = entries;
    }

    public static ZipArchive open(Path file) throws IOException {
        return open(file, Limits.DEFAULT);
    }

    public static ZipArchive open(Path file, Limits limits) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new InvalidWheelException(file, "file does not exist", e);
        }
        try {
            Map<String, ZipEntryInfo> entries = new Parser(file, channel, limits).parse();
            return new ZipArchive(file, channel, entries);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** Entries in central directory order. */
    public List<ZipEntryInfo> entries() {
        return List.copyOf(entries.values());
    }

    public ZipEntryInfo entry(String name) {
        return entries.get(name);
    }

    /** The uncompressed content of an entry; the stream fails on a size or CRC mismatch. */
    public InputStream openEntry(String name) throws IOException {
        ZipEntryInfo entry = entries.get(name);
        if (entry == null) {
            throw new InvalidWheelException(file, "no entry named " + name);
        }
        return openEntry(entry);
    }

    public InputStream openEntry(ZipEntryInfo entry) {
        return new EntryInputStream(entry);
    }

    /** Raw (possibly compressed) bytes of an entry's data, for copying without recompression. */
    InputStream openRaw(ZipEntryInfo entry) {
        return new RegionInputStream(entry.dataOffset(), entry.compressedSize());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private final class RegionInputStream extends InputStream {
        private long position;
        private final long end;

        RegionInputStream(long start, long length) {
            this.position = start;
            this.end = start + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int n = (int) Math.min(len, end - position);
            int read = channel.read(ByteBuffer.wrap(b, off, n), position);
            if (read < 0) {
                throw new InvalidWheelException(file, "truncated zip archive (entry data beyond end of file)");
            }
            position += read;
            return read;
        }
    }

    private final class EntryInputStream extends InputStream {
        private final ZipEntryInfo entry;
        private final RegionInputStream raw;
        private final Inflater inflater;
        private final byte[] input = new byte[64 * 1024];
        private final CRC32 crc = new CRC32();
        private long produced;
        private boolean done;
        private boolean dummyFed;

        EntryInputStream(ZipEntryInfo entry) {
            this.entry = entry;
            this.raw = new RegionInputStream(entry.dataOffset(), entry.compressedSize());
            this.inflater = entry.method() == ZipEntryInfo.DEFLATED ? new Inflater(true) : null;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n;
            do {
                n = read(one, 0, 1);
            } while (n == 0);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = inflater == null ? raw.read(b, off, len) : inflate(b, off, len);
            if (n < 0) {
                finish();
                return -1;
            }
            produced += n;
            if (produced > entry.size()) {
                throw bad("more data than its declared size " + entry.size());
            }
            crc.update(b, off, n);
            return n;
        }

        private int inflate(byte[] b, int off, int len) throws IOException {
            try {
                while (true) {
                    int n = inflater.inflate(b, off, len);
                    if (n > 0) {
                        return n;
                    }
                    if (inflater.finished()) {
                        return -1;
                    }
                    if (inflater.needsDictionary()) {
                        throw bad("deflate data needs a preset dictionary");
                    }
                    if (inflater.needsInput()) {
                        int r = raw.read(input, 0, input.length);
                        if (r < 0) {
                            if (dummyFed) {
                                throw bad("deflate data ends early");
                            }
                            // zlib in raw mode may want one extra byte to see the end of the stream
                            dummyFed = true;
                            inflater.setInput(new byte[1]);
                        } else {
                            inflater.setInput(input, 0, r);
                        }
                    }
                }
            } catch (DataFormatException e) {
                throw bad("corrupt deflate data (" + e.getMessage() + ")");
            }
        }

        private void finish() throws IOException {
            done = true;
            if (inflater != null) {
                inflater.end();
            }
            if (produced != entry.size()) {
                throw bad("size " + produced + " differs from its declared size " + entry.size());
            }
            if (crc.getValue() != entry.crc()) {
                throw bad("CRC-32 mismatch");
            }
        }

        private InvalidWheelException bad(String reason) {
            return new InvalidWheelException(file, "entry " + entry.name() + ": " + reason);
        }

        @Override
        public void close() {
            if (inflater != null && !done) {
                inflater.end();
            }
            done = true;
        }
    }

    private static final class Parser {
        private final Path file;
        private final FileChannel channel;
        private final Limits limits;
        private final long fileSize;

        Parser(Path file, FileChannel channel, Limits limits) throws IOException {
            this.file = file;
            this.channel = channel;
            this.limits = limits;
            this.fileSize = channel.size();
        }

        private InvalidWheelException bad(String reason) {
            return new InvalidWheelException(file, reason);
        }

        private ByteBuffer read(long position, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw bad("truncated zip archive (unexpected end of file)");
                }
            }
            return buffer.flip();
        }

        private boolean startsLikeZip() throws IOException {
            return fileSize >= 4 && read(0, 4).getInt(0) == LOCAL_HEADER;
        }

        Map<String, ZipEntryInfo> parse() throws IOException {
            if (fileSize == 0) {
                throw bad("not a zip archive (empty file)");
            }
            int tailLength = (int) Math.min(fileSize, 22 + 65535);
            ByteBuffer tail = read(fileSize - tailLength, tailLength);
            int end = -1;
            for (int i = tailLength - 22; i >= 0; i--) {
                if (tail.getInt(i) == END_RECORD) {
                    int commentLength = tail.getShort(i + 20) & 0xFFFF;
                    if (i + 22 + commentLength <= tailLength) {
                        end = i;
                        break;
                    }
                }
            }
            if (end < 0) {
                throw bad(startsLikeZip()
                        ? "truncated zip archive (no end of central directory record)"
                        : "not a zip archive (no end of central directory record)");
            }
            long endPosition = fileSize - tailLength + end;
            int commentLength = tail.getShort(end + 20) & 0xFFFF;
            if (endPosition + 22 + commentLength != fileSize) {
                throw bad("trailing data after the end of central directory record");
            }
            int disk = tail.getShort(end + 4) & 0xFFFF;
            int cdDisk = tail.getShort(end + 6) & 0xFFFF;
            long count = tail.getShort(end + 10) & 0xFFFF;
            long cdSize = tail.getInt(end + 12) & 0xFFFFFFFFL;
            long cdOffset = tail.getInt(end + 16) & 0xFFFFFFFFL;
            long cdEnd = endPosition;
            if (endPosition >= 20 && read(endPosition - 20, 4).getInt(0) == ZIP64_LOCATOR) {
                ByteBuffer locator = read(endPosition - 20, 20);
                long recordPosition = locator.getLong(8);
                if (recordPosition < 0 || recordPosition + 56 > endPosition - 20) {
                    throw bad("corrupt ZIP64 end of central directory locator");
                }
                ByteBuffer record = read(recordPosition, 56);
                if (record.getInt(0) != ZIP64_END_RECORD) {
                    throw bad("corrupt ZIP64 end of central directory record");
                }
                disk = record.getInt(16);
                cdDisk = record.getInt(20);
                count = record.getLong(32);
                cdSize = record.getLong(40);
                cdOffset = record.getLong(48);
                cdEnd = recordPosition;
            }
            if (disk != 0 || cdDisk != 0) {
                throw bad("multi-disk zip archives are not supported");
            }
            if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > cdEnd) {
                throw bad("truncated zip archive (central directory beyond the end of file)");
            }
            if (cdOffset + cdSize != cdEnd) {
                throw bad("damaged zip archive (central directory is not where its end record says)");
            }
            if (cdSize > MAX_CENTRAL_DIRECTORY) {
                throw bad("central directory too large (" + cdSize + " bytes)");
            }
            return parseCentralDirectory(read(cdOffset, (int) cdSize), count, cdOffset);
        }

        private Map<String, ZipEntryInfo> parseCentralDirectory(ByteBuffer cd, long count, long cdOffset)
                throws IOException {
            Map<String, ZipEntryInfo> entries = new LinkedHashMap<>();
            Set<String> folded = new HashSet<>();
            long totalSize = 0;
            long totalCompressed = 0;
            int p = 0;
            while (p < cd.limit()) {
                if (cd.limit() - p < 46 || cd.getInt(p) != CENTRAL_HEADER) {
                    throw bad("corrupt central directory at offset " + (cdOffset + p));
                }
                int flags = cd.getShort(p + 8) & 0xFFFF;
                int method = cd.getShort(p + 10) & 0xFFFF;
                long crc = cd.getInt(p + 16) & 0xFFFFFFFFL;
                long compressed = cd.getInt(p + 20) & 0xFFFFFFFFL;
                long size = cd.getInt(p + 24) & 0xFFFFFFFFL;
                int nameLength = cd.getShort(p + 28) & 0xFFFF;
                int extraLength = cd.getShort(p + 30) & 0xFFFF;
                int commentLength = cd.getShort(p + 32) & 0xFFFF;
                int diskStart = cd.getShort(p + 34) & 0xFFFF;
                long external = cd.getInt(p + 38) & 0xFFFFFFFFL;
                long offset = cd.getInt(p + 42) & 0xFFFFFFFFL;
                int next = p + 46 + nameLength + extraLength + commentLength;
                if (next > cd.limit()) {
                    throw bad("corrupt central directory at offset " + (cdOffset + p));
                }
                byte[] nameBytes = new byte[nameLength];
                cd.get(p + 46, nameBytes);
                String name = decodeName(nameBytes, flags);
                // ZIP64 extra field: only the fields whose 32-bit slot is saturated are present, in order
                int e = p + 46 + nameLength;
                int extraEnd = e + extraLength;
                while (e + 4 <= extraEnd) {
                    int id = cd.getShort(e) & 0xFFFF;
                    int len = cd.getShort(e + 2) & 0xFFFF;
                    if (e + 4 + len > extraEnd) {
                        throw bad("entry " + name + ": corrupt extra field");
                    }
                    if (id == 0x0001) {
                        int q = e + 4;
                        if (size == 0xFFFFFFFFL) {
                            size = long8(cd, q, e + 4 + len, name);
                            q += 8;
                        }
                        if (compressed == 0xFFFFFFFFL) {
                            compressed = long8(cd, q, e + 4 + len, name);
                            q += 8;
                        }
                        if (offset == 0xFFFFFFFFL) {
                            offset = long8(cd, q, e + 4 + len, name);
                        }
                    }
                    e += 4 + len;
                }
                if (diskStart != 0 && diskStart != 0xFFFF) {
                    throw bad("multi-disk zip archives are not supported");
                }
                if ((flags & 0x1) != 0 || (flags & 0x40) != 0) {
                    throw bad("entry " + name + " is encrypted");
                }
                if (method != ZipEntryInfo.STORED && method != ZipEntryInfo.DEFLATED) {
                    throw bad("entry " + name + " uses unsupported compression method " + method);
                }
                if (method == ZipEntryInfo.STORED && compressed != size) {
                    throw bad("entry " + name + " is stored but its sizes differ");
                }
                checkName(name);
                if (entries.containsKey(name)) {
                    throw bad("duplicate entry " + name);
                }
                if (!folded.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name)) {
                    throw bad("duplicate entry " + name + " (a file and a directory of the same name)");
                }
                if (size < 0 || compressed < 0 || offset < 0) {
                    throw bad("entry " + name + " has an impossible size or offset");
                }
                checkRatio(name, size, compressed, limits.maxEntryRatio(), "entry " + name);
                totalSize += size;
                totalCompressed += compressed;
                if (totalSize > limits.maxTotalSize() || totalSize < 0) {
                    throw bad("uncompressed size exceeds the limit of " + limits.maxTotalSize() + " bytes");
                }
                long dataOffset = localDataOffset(name, nameBytes, offset, cdOffset);
                if (dataOffset + compressed > cdOffset) {
                    throw bad("truncated zip archive (data of entry " + name + " runs past the central directory)");
                }
                entries.put(name, new ZipEntryInfo(name, size, compressed, method, crc, flags, external, offset,
                        dataOffset));
                p = next;
            }
            if (entries.size() != count) {
                throw bad("central directory holds " + entries.size() + " entries but its end record says " + count);
            }
            checkRatio(null, totalSize, totalCompressed, limits.maxTotalRatio(), "archive");
            checkOverlaps(entries);
            return Collections.unmodifiableMap(entries);
        }

        private long long8(ByteBuffer cd, int q, int limit, String name) throws InvalidWheelException {
            if (q + 8 > limit) {
                throw bad("entry " + name + ": corrupt ZIP64 extra field");
            }
            return cd.getLong(q);
        }

        private void checkRatio(String name, long size, long compressed, double max, String what)
                throws InvalidWheelException {
            if (size > limits.ratioThreshold() && size > max * Math.max(compressed, 1)) {
                throw bad(what + " has a compression ratio over " + (long) max + " (" + size + " bytes from "
                        + compressed + "), refusing a possible zip bomb");
            }
        }

        private long localDataOffset(String name, byte[] nameBytes, long offset, long cdOffset) throws IOException {
            if (offset + 30 > cdOffset) {
                throw bad("entry " + name + ": local header beyond the entries area");
            }
            ByteBuffer header = read(offset, 30);
            if (header.getInt(0) != LOCAL_HEADER) {
                throw bad("entry " + name + ": no local header at offset " + offset);
            }
            int nameLength = header.getShort(26) & 0xFFFF;
            int extraLength = header.getShort(28) & 0xFFFF;
            if (nameLength != nameBytes.length
                    || !java.util.Arrays.equals(read(offset + 30, nameLength).array(), nameBytes)) {
                throw bad("entry " + name + ": local header name differs from the central directory");
            }
            return offset + 30 + nameLength + extraLength;
        }

        private void checkOverlaps(Map<String, ZipEntryInfo> entries) throws InvalidWheelException {
            List<ZipEntryInfo> byOffset = new ArrayList<>(entries.values());
            byOffset.sort(Comparator.comparingLong(ZipEntryInfo::localHeaderOffset));
            long previousEnd = 0;
            String previous = null;
            for (ZipEntryInfo entry : byOffset) {
                if (entry.localHeaderOffset() < previousEnd) {
                    throw bad("entries " + previous + " and " + entry.name() + " overlap");
                }
                previousEnd = entry.dataOffset() + entry.compressedSize();
                previous = entry.name();
            }
        }

        private String decodeName(byte[] bytes, int flags) throws InvalidWheelException {
            Charset charset = (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : asciiOr437(bytes);
            try {
                return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw bad("entry name is not valid " + charset + ": "
                        + new String(bytes, StandardCharsets.ISO_8859_1));
            }
        }

        private static Charset asciiOr437(byte[] bytes) {
            for (byte b : bytes) {
                if (b < 0) {
                    try {
                        return Charset.forName("IBM437");
                    } catch (RuntimeException e) {
                        return StandardCharsets.UTF_8;
                    }
                }
            }
            return StandardCharsets.US_ASCII;
        }

        private void checkName(String name) throws InvalidWheelException {
            String reason = unsafeNameReason(name);
            if (reason != null) {
                throw bad("unsafe entry name " + name + " (" + reason + ")");
            }
        }
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
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String segment : trimmed.split("/", -1)) {
            if (segment.equals("..")) {
                return "'..' segment";
            }
            if (segment.isEmpty() || segment.equals(".")) {
                return "empty or '.' segment";
            }
        }
        return null;
    }
}
