package org.neuronsimulator.wheel.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes small wheel archives for tests, with {@code METADATA}, {@code WHEEL} and a {@code RECORD} of every entry. */
public final class TestWheels {

    private TestWheels() {
    }

    /** A wheel with the given entries (path → bytes), tagged {@code cp311-cp311-linux_x86_64} in {@code WHEEL}. */
    public static Path write(Path file, String distInfo, Map<String, byte[]> entries) throws IOException {
        return write(file, distInfo, entries, "cp311-cp311-linux_x86_64");
    }

    /** A wheel with the given entries (path → bytes) and one {@code WHEEL} tag. */
    public static Path write(Path file, String distInfo, Map<String, byte[]> entries, String tag) throws IOException {
        String nameVersion = distInfo.substring(0, distInfo.length() - ".dist-info".length());
        int dash = nameVersion.lastIndexOf('-');
        Map<String, byte[]> all = new LinkedHashMap<>(entries);
        all.put(distInfo + "/METADATA", ("Metadata-Version: 2.1\nName: " + nameVersion.substring(0, dash)
                + "\nVersion: " + nameVersion.substring(dash + 1) + "\n").getBytes(StandardCharsets.UTF_8));
        all.put(distInfo + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\nTag: " + tag + "\n")
                .getBytes(StandardCharsets.UTF_8));
        StringBuilder record = new StringBuilder();
        for (Map.Entry<String, byte[]> e : all.entrySet()) {
            record.append(e.getKey()).append(",sha256=").append(digest(e.getValue())).append(',')
                    .append(e.getValue().length).append('\n');
        }
        record.append(distInfo).append("/RECORD,,\n");
        all.put(distInfo + "/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : all.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    private static String digest(byte[] content) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
