package org.neuronsimulator.wheel.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One row of {@code RECORD}: a path inside the wheel (with '/'), its hash
 * ({@code sha256=<urlsafe base64 without padding>}) and its size, both empty for RECORD itself
 * and for signature files.
 */
public record RecordEntry(String path, Optional<String> hash, OptionalLong size) {

    public RecordEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(size, "size");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("RECORD path must not be empty");
        }
        if (hash.isPresent()) {
            String h = hash.get();
            int eq = h.indexOf('=');
            if (eq <= 0 || eq == h.length() - 1) {
                throw new IllegalArgumentException("RECORD hash of " + path + " must be '<algorithm>=<digest>', not '" + h + "'");
            }
            String algorithm = h.substring(0, eq).toLowerCase(Locale.ROOT);
            if (algorithm.equals("md5") || algorithm.equals("sha1")) {
                throw new IllegalArgumentException("RECORD hash of " + path + " uses " + algorithm
                        + ", which the wheel specification forbids (use sha256 or stronger)");
            }
        }
        if (size.isPresent() && size.getAsLong() < 0) {
            throw new IllegalArgumentException("RECORD size of " + path + " must not be negative");
        }
    }

    /** An entry with the sha256 hash and size of this content. */
    public static RecordEntry of(String path, byte[] content) {
        return new RecordEntry(path, Optional.of(Record.sha256Hash(content)), OptionalLong.of(content.length));
    }

    public static RecordEntry of(String path, String hash, long size) {
        return new RecordEntry(path, Optional.of(hash), OptionalLong.of(size));
    }

    /** An entry without hash and size, as RECORD lists itself. */
    public static RecordEntry unhashed(String path) {
        return new RecordEntry(path, Optional.empty(), OptionalLong.empty());
    }

    /** The hash algorithm name, e.g. {@code sha256}. */
    public Optional<String> hashAlgorithm() {
        return hash.map(h -> h.substring(0, h.indexOf('=')).toLowerCase(Locale.ROOT));
    }

    /** A fresh digest of this entry's algorithm, to feed the content to and pass to {@link #check(RecordDigest)}. */
    public RecordDigest newDigest() {
        return RecordDigest.forAlgorithm(hashAlgorithm().orElse("sha256"));
    }

    /**
     * Compares this entry with a computed hash and size.
     *
     * @param computedHash {@code algorithm=digest} of the content, in this entry's algorithm
     * @return what differs (hash, size or both), or empty when the content matches
     */
    public Optional<String> check(String computedHash, long computedSize) {
        List<String> problems = new ArrayList<>();
        if (hash.isPresent() && !hash.get().equals(computedHash)) {
            problems.add("hash in RECORD is " + hash.get() + " but the content has " + computedHash);
        }
        if (size.isPresent() && size.getAsLong() != computedSize) {
            problems.add("size in RECORD is " + size.getAsLong() + " but the content has " + computedSize + " bytes");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(path + ": " + String.join("; ", problems));
    }

    /** {@link #check(String, long)} with a digest that has seen the whole content. */
    public Optional<String> check(RecordDigest digest) {
        return check(digest.hash(), digest.size());
    }

    /** {@link #check(String, long)} for content in memory, hashed with this entry's algorithm. */
    public Optional<String> check(byte[] content) {
        return check(newDigest().update(content));
    }

    /** Whether the row carries a hash to verify (RECORD itself and signatures do not). */
    public boolean isHashed() {
        return hash.isPresent();
    }
}
