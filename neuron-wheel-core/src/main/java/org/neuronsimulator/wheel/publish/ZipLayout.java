package org.neuronsimulator.wheel.publish;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The structure of a zip file as PyPI judges it, read from its central directory and local headers
 * without inflating anything: entries with data descriptors (flag bit 3), duplicate names, bytes
 * after the end record or between the directory and its end record, and the overall compression
 * ratio. Zip64 archives are understood.
 */
public final class ZipLayout {

    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final int DATA_DESCRIPTOR_FLAG = 1 << 3;

    /** One central directory entry. */
    public record Entry(String name, int flags, int localFlags, long compressedSize, long size) {
    }

    private final List<Entry> entries;
    private final List<String> problems;

    private ZipLayout(List<Entry> entries, List<String> problems) {
        this.entries = List.copyOf(entries);
        this.problems = List.copyOf(problems);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** What PyPI would object to in the layout; empty when none. */
    public List<String> problems() {
        return problems;
    }

    public long totalSize() {
        return entries.stream().mapToLong(Entry::size).sum();
    }

    public long totalCompressedSize() {
        return entries.stream().mapToLong(Entry::compressedSize).sum();
    }

    /** @throws IOException when the file is not a readable zip at all (the message names it) */
    public static ZipLayout read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, channel);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            throw message.contains(file.toString()) ? e : new IOException(file + ": " + message, e);
        }
    }

    private static ZipLayout read(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        List<String> problems = new ArrayList<>();
        int tailLength = (int) Math.min(size, 22 + 65535);
        ByteBuffer tail = readAt(channel, size - tailLength, tailLength);
        int endAt = -1;
        int candidate = -1;
        for (int i = tailLength - 22; i >= 0; i--) {
            if (tail.getInt(i) == EOCD) {
                int commentLength = tail.getShort(i + 20) & 0xFFFF;
                if (i + 22 + commentLength == tailLength) {
                    endAt = i;
                    break;
                }
                if (candidate < 0) {
                    candidate = i;
                }
            }
        }
        if (endAt < 0) {
            if (candidate < 0) {
                throw new IOException(file + " is not a zip archive (no end of central directory record)");
            }
            endAt = candidate;
            long extra = tailLength - (candidate + 22 + (tail.getShort(candidate + 20) & 0xFFFF));
            problems.add(extra + " bytes of trailing data after the end of the zip archive");
        }
        long endOffset = size - tailLength + endAt;
        long count = tail.getShort(endAt + 10) & 0xFFFF;
        long directorySize = tail.getInt(endAt + 12) & 0xFFFFFFFFL;
        long directoryOffset = tail.getInt(endAt + 16) & 0xFFFFFFFFL;
        long directoryEnd = endOffset;
        if (endOffset >= 20 && (count == 0xFFFF || directorySize == 0xFFFFFFFFL || directoryOffset == 0xFFFFFFFFL)) {
            ByteBuffer locator = readAt(channel, endOffset - 20, 20);
            if (locator.getInt(0) == ZIP64_LOCATOR) {
                long zip64At = locator.getLong(8);
                ByteBuffer record = readAt(channel, zip64At, 56);
                if (record.getInt(0) != ZIP64_EOCD) {
                    throw new IOException(file + ": broken zip64 end of central directory record");
                }
                count = record.getLong(32);
                directorySize = record.getLong(40);
                directoryOffset = record.getLong(48);
                directoryEnd = zip64At;
            }
        }
        if (directoryOffset + directorySize > size || directorySize > Integer.MAX_VALUE) {
            throw new IOException(file + ": the central directory lies outside the file (truncated or not a zip)");
        }
        if (directoryOffset + directorySize != directoryEnd) {
            problems.add((directoryEnd - directoryOffset - directorySize) + " unexpected bytes between the central directory and its end record");
        }
        ByteBuffer directory = readAt(channel, directoryOffset, (int) directorySize);
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int at = 0;
        for (long i = 0; i < count; i++) {
            if (at + 46 > directory.limit() || directory.getInt(at) != CENTRAL) {
                throw new IOException(file + ": central directory entry " + i + " is damaged");
            }
            int flags = directory.getShort(at + 8) & 0xFFFF;
            long compressed = directory.getInt(at + 20) & 0xFFFFFFFFL;
            long uncompressed = directory.getInt(at + 24) & 0xFFFFFFFFL;
            int nameLength = directory.getShort(at + 28) & 0xFFFF;
            int extraLength = directory.getShort(at + 30) & 0xFFFF;
            int commentLength = directory.getShort(at + 32) & 0xFFFF;
            long localOffset = directory.getInt(at + 42) & 0xFFFFFFFFL;
            byte[] nameBytes = new byte[nameLength];
            directory.get(at + 46, nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            // Zip64 extra field: the 64-bit values appear in order, only for those saturated above.
            int extra = at + 46 + nameLength;
            int extraEnd = extra + extraLength;
            while (extra + 4 <= extraEnd) {
                int id = directory.getShort(extra) & 0xFFFF;
                int length = directory.getShort(extra + 2) & 0xFFFF;
                if (id == 0x0001) {
                    int p = extra + 4;
                    if (uncompressed == 0xFFFFFFFFL && p + 8 <= extra + 4 + length) {
                        uncompressed = directory.getLong(p);
                        p += 8;
                    }
                    if (compressed == 0xFFFFFFFFL && p + 8 <= extra + 4 + length) {
                        compressed = directory.getLong(p);
                        p += 8;
                    }
                    if (localOffset == 0xFFFFFFFFL && p + 8 <= extra + 4 + length) {
                        localOffset = directory.getLong(p);
                    }
                }
                extra += 4 + length;
            }
            at = extraEnd + commentLength;
            ByteBuffer local = readAt(channel, localOffset, 30);
            if (local.getInt(0) != LOCAL) {
                throw new IOException(file + ": the local header of entry " + name + " is missing or damaged");
            }
            int localFlags = local.getShort(6) & 0xFFFF;
            entries.add(new Entry(name, flags, localFlags, compressed, uncompressed));
            if (((flags | localFlags) & DATA_DESCRIPTOR_FLAG) != 0) {
                problems.add("entry " + name + " uses a data descriptor (general-purpose flag bit 3)");
            }
            if (!names.add(name)) {
                problems.add("entry " + name + " appears more than once");
            }
        }
        ZipLayout layout = new ZipLayout(entries, problems);
        long total = layout.totalSize();
        long packed = Math.max(1, layout.totalCompressedSize());
        if (total > 64L * 1024 * 1024 && total / packed > 50) {
            problems.add("compression ratio " + (total / packed) + ":1 of " + total + " bytes unpacked exceeds 50:1");
            return new ZipLayout(entries, problems);
        }
        return layout;
    }

    private static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
        if (position < 0 || position + length > channel.size()) {
            throw new IOException("zip structure points outside the file (offset " + position + ")");
        }
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("zip file ends early");
            }
        }
        return buffer.flip();
    }
}
