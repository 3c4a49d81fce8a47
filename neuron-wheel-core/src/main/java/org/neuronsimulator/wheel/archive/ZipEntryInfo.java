package org.neuronsimulator.wheel.archive;

/**
 * One entry of a zip archive as {@link ZipArchive} read it.
 *
 * @param name entry name (decoded path, '/' separated)
 * @param size uncompressed size
 * @param compressedSize size of the stored data
 * @param method 0 (stored) or 8 (deflated)
 * @param crc CRC-32 of the uncompressed data
 * @param hasDataDescriptor whether the central or the local header sets general purpose flag bit 3
 *        (sizes in a trailing data descriptor)
 * @param externalAttributes external file attributes (unix mode in the upper 16 bits when made on unix)
 * @param localHeaderOffset offset of the entry's local header
 * @param dataOffset offset of the entry's data, just after its local header
 */
public record ZipEntryInfo(String name, long size, long compressedSize, int method, long crc, boolean hasDataDescriptor,
        long externalAttributes, long localHeaderOffset, long dataOffset) {

    public static final int STORED = 0;
    public static final int DEFLATED = 8;

    /** Unix mode bits (type and permissions) kept in the external attributes; 0 when none were stored. */
    public int unixMode() {
        return (int) ((externalAttributes >>> 16) & 0xFFFF);
    }

    public boolean isDirectory() {
        return name.endsWith("/");
    }
}
