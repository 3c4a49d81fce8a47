package org.neuronsimulator.wheel.archive;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An independent, minimal reading of zip headers straight from the bytes, to check what the writer produced. */
final class ZipBytes {

    record LocalHeader(long offset, int flags, int method, long crc, long compressedSize, long size, String name) {
    }

    record CentralHeader(int flags, int method, long crc, long compressedSize, long size, long externalAttributes,
            long offset, String name, int dosTime, int dosDate) {
    }

    private ZipBytes() {
    }

    /** Walks the local headers one after another from offset 0, using the sizes each local header declares. */
    static List<LocalHeader> localHeaders(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        List<LocalHeader> headers = new ArrayList<>();
        int p = 0;
        while (b.getInt(p) == 0x04034b50) {
            int flags = b.getShort(p + 6) & 0xFFFF;
            int method = b.getShort(p + 8) & 0xFFFF;
            long crc = b.getInt(p + 14) & 0xFFFFFFFFL;
            long csize = b.getInt(p + 18) & 0xFFFFFFFFL;
            long size = b.getInt(p + 22) & 0xFFFFFFFFL;
            int nameLength = b.getShort(p + 26) & 0xFFFF;
            int extraLength = b.getShort(p + 28) & 0xFFFF;
            String name = new String(zip, p + 30, nameLength, StandardCharsets.UTF_8);
            if (csize == 0xFFFFFFFFL) {
                int e = p + 30 + nameLength;
                size = b.getLong(e + 4);
                csize = b.getLong(e + 12);
            }
            headers.add(new LocalHeader(p, flags, method, crc, csize, size, name));
            p += 30 + nameLength + extraLength + (int) csize;
        }
        return headers;
    }

    static List<CentralHeader> centralHeaders(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        if (b.getInt(end) != 0x06054b50) {
            throw new AssertionError("no end record at the very end of the file");
        }
        long cdOffset = b.getInt(end + 16) & 0xFFFFFFFFL;
        if (cdOffset == 0xFFFFFFFFL || (b.getShort(end + 10) & 0xFFFF) == 0xFFFF) {
            long recordOffset = b.getLong(end - 20 + 8);
            cdOffset = b.getLong((int) recordOffset + 48);
        }
        List<CentralHeader> headers = new ArrayList<>();
        int p = (int) cdOffset;
        while (b.getInt(p) == 0x02014b50) {
            int nameLength = b.getShort(p + 28) & 0xFFFF;
            int extraLength = b.getShort(p + 30) & 0xFFFF;
            int commentLength = b.getShort(p + 32) & 0xFFFF;
            headers.add(new CentralHeader(b.getShort(p + 8) & 0xFFFF, b.getShort(p + 10) & 0xFFFF,
                    b.getInt(p + 16) & 0xFFFFFFFFL, b.getInt(p + 20) & 0xFFFFFFFFL, b.getInt(p + 24) & 0xFFFFFFFFL,
                    b.getInt(p + 38) & 0xFFFFFFFFL, b.getInt(p + 42) & 0xFFFFFFFFL,
                    new String(zip, p + 46, nameLength, StandardCharsets.UTF_8), b.getShort(p + 12) & 0xFFFF,
                    b.getShort(p + 14) & 0xFFFF));
            p += 46 + nameLength + extraLength + commentLength;
        }
        return headers;
    }
}
