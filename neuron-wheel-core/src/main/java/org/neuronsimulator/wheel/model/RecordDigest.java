package org.neuronsimulator.wheel.model;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * A running digest and byte count of one file, giving the {@code RECORD} form
 * {@code <algorithm>=<urlsafe base64 digest without padding>}.
 */
public final class RecordDigest {

    // RECORD names algorithms as Python's hashlib does; md5 and sha1 are not allowed there.
    private static final Map<String, String> JAVA_NAMES = Map.of(
            "sha224", "SHA-224",
            "sha256", "SHA-256",
            "sha384", "SHA-384",
            "sha512", "SHA-512",
            "sha3_224", "SHA3-224",
            "sha3_256", "SHA3-256",
            "sha3_384", "SHA3-384",
            "sha3_512", "SHA3-512");

    private final String algorithm;
    private final MessageDigest digest;
    private long size;

    private RecordDigest(String algorithm, MessageDigest digest) {
        this.algorithm = algorithm;
        this.digest = digest;
    }

    public static RecordDigest sha256() {
        return forAlgorithm("sha256");
    }

    /**
     * @param algorithm a hashlib name such as {@code sha256} or {@code sha512}
     * @throws IllegalArgumentException for md5 and sha1 (forbidden in RECORD) and unknown names
     */
    public static RecordDigest forAlgorithm(String algorithm) {
        String name = algorithm.toLowerCase(Locale.ROOT);
        if (name.equals("md5") || name.equals("sha1")) {
            throw new IllegalArgumentException("hash algorithm " + algorithm + " is not allowed in RECORD (use sha256 or stronger)");
        }
        String javaName = JAVA_NAMES.get(name);
        if (javaName == null) {
            throw new IllegalArgumentException("unsupported RECORD hash algorithm '" + algorithm + "'");
        }
        try {
            return new RecordDigest(name, MessageDigest.getInstance(javaName));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime lacks " + javaName, e);
        }
    }

    /** Whether RECORD may use the algorithm and it can be computed here. */
    public static boolean isSupported(String algorithm) {
        return JAVA_NAMES.containsKey(algorithm.toLowerCase(Locale.ROOT));
    }

    public String algorithm() {
        return algorithm;
    }

    public RecordDigest update(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
        size += length;
        return this;
    }

    public RecordDigest update(byte[] bytes) {
        return update(bytes, 0, bytes.length);
    }

    public RecordDigest update(ByteBuffer buffer) {
        size += buffer.remaining();
        digest.update(buffer);
        return this;
    }

    /** Bytes seen so far. */
    public long size() {
        return size;
    }

    /** {@code algorithm=digest}; the digest is finished, so call this once. */
    public String hash() {
        return algorithm + "=" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest.digest());
    }
}
