package org.neuronsimulator.wheel.archive;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Where the content of an entry to be written comes from. */
public sealed interface EntrySource {

    /** Size in bytes of the content. */
    long size() throws IOException;

    InputStream open() throws IOException;

    static EntrySource of(byte[] bytes) {
        return new Bytes(bytes);
    }

    static EntrySource of(Path file) {
        return new FileOnDisk(file);
    }

    /** Content held in memory (small generated files such as METADATA). */
    record Bytes(byte[] bytes) implements EntrySource {
        public Bytes {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }
    }

    /** A regular file on disk, read when the wheel is written. */
    record FileOnDisk(Path file) implements EntrySource {
        public FileOnDisk {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public long size() throws IOException {
            return Files.size(file);
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }
    }

    /**
     * An entry of an open archive. Without {@code sha256} it is inflated (and checked) when written;
     * with the sha256 of its content, already verified, its compressed data is copied as it is.
     */
    record ArchiveEntry(ZipArchive archive, ZipEntryInfo entry, byte[] sha256) implements EntrySource {
        public ArchiveEntry {
            Objects.requireNonNull(archive, "archive");
            Objects.requireNonNull(entry, "entry");
            if (sha256 != null && sha256.length != 32) {
                throw new IllegalArgumentException("a sha256 digest has 32 bytes, not " + sha256.length);
            }
        }

        public ArchiveEntry(ZipArchive archive, ZipEntryInfo entry) {
            this(archive, entry, null);
        }

        @Override
        public long size() {
            return entry.size();
        }

        @Override
        public InputStream open() throws IOException {
            return archive.openEntry(entry);
        }
    }
}
