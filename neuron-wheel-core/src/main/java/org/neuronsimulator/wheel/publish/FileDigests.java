package org.neuronsimulator.wheel.publish;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * The digests the upload form carries, computed in one pass over the file.
 *
 * @param md5        lower-case hex MD5 (still sent by twine; indexes accept it as optional)
 * @param sha256     lower-case hex SHA-256
 * @param blake2b256 lower-case hex BLAKE2b-256 (BouncyCastle's; the JDK has no BLAKE2)
 * @param size       file size in bytes
 */
public record FileDigests(String md5, String sha256, String blake2b256, long size) {

    /**
     * Reads the file twice in parallel: MD5 and SHA-256 on one thread, BLAKE2b (the slowest) on
     * another; the second read comes from the page cache.
     */
    public static FileDigests of(Path file) throws IOException {
        MessageDigest md5 = digest("MD5");
        MessageDigest sha256 = digest("SHA-256");
        Blake2bDigest blake = new Blake2bDigest(256);
        CompletableFuture<Long> blakeSize = Background.start(() -> feed(file, blake::update));
        long size = feed(file, (buffer, offset, length) -> {
            md5.update(buffer, offset, length);
            sha256.update(buffer, offset, length);
        });
        long blakeBytes = Background.join(blakeSize);
        if (blakeBytes != size) {
            throw new IOException(file + " changed while its digests were computed");
        }
        HexFormat hex = HexFormat.of();
        byte[] blakeDigest = new byte[blake.getDigestSize()];
        blake.doFinal(blakeDigest, 0);
        return new FileDigests(hex.formatHex(md5.digest()), hex.formatHex(sha256.digest()),
                hex.formatHex(blakeDigest), size);
    }

    private interface Sink {
        void update(byte[] buffer, int offset, int length);
    }

    private static long feed(Path file, Sink sink) throws IOException {
        byte[] buffer = new byte[1 << 20];
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sink.update(buffer, 0, n);
                size += n;
            }
        }
        return size;
    }

    public static String sha256Of(Path file) throws IOException {
        MessageDigest sha256 = digest("SHA-256");
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha256.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }
}
