package org.neuronsimulator.wheel.publish;

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
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes small, valid wheels for the tests (stored entries: no data descriptors). */
public final class TestWheels {

    private TestWheels() {
    }

    public static String metadata(String name, String version) {
        return "Metadata-Version: 2.1\n"
                + "Name: " + name + "\n"
                + "Version: " + version + "\n"
                + "Summary: A sample extension for upload tests\n"
                + "Home-page: https://example.org/sample\n"
                + "Author: Sample Author\n"
                + "Author-email: author@example.org\n"
                + "License: BSD-3-Clause\n"
                + "Project-URL: Source, https://example.org/src\n"
                + "Project-URL: Tracker, https://example.org/issues\n"
                + "Keywords: neuron,simulation\n"
                + "Classifier: Programming Language :: Python :: 3\n"
                + "Classifier: Operating System :: POSIX :: Linux\n"
                + "Requires-Python: >=3.8\n"
                + "Description-Content-Type: text/markdown\n"
                + "Requires-Dist: numpy>=1.9.3\n"
                + "Requires-Dist: packaging\n"
                + "Provides-Extra: test\n"
                + "Requires-Dist: pytest; extra == \"test\"\n"
                + "\n"
                + "# " + name + "\n\nA sample wheel with a description body.\n";
    }

    /** A pure-Python-looking wheel for {@code tag} (e.g. {@code py3-none-any}) with the given metadata text. */
    public static Path write(Path dir, String name, String version, String tag, String metadata) throws IOException {
        return write(dir, name, version, tag, metadata, false);
    }

    public static Path write(Path dir, String name, String version, String tag, String metadata, boolean dataDescriptor)
            throws IOException {
        String distName = name.replaceAll("[-_.]+", "_").toLowerCase();
        String distInfo = distName + "-" + version + ".dist-info/";
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(distName + "/__init__.py", ("__version__ = '" + version + "'\n").getBytes(StandardCharsets.UTF_8));
        files.put(distInfo + "METADATA", metadata.getBytes(StandardCharsets.UTF_8));
        String[] tags = tag.split("-");
        StringBuilder wheel = new StringBuilder("Wheel-Version: 1.0\nGenerator: neuron-wheel-tests\nRoot-Is-Purelib: "
                + tags[2].equals("any") + "\n");
        for (String py : tags[0].split("\\.")) {
            for (String abi : tags[1].split("\\.")) {
                for (String plat : tags[2].split("\\.")) {
                    wheel.append("Tag: ").append(py).append('-').append(abi).append('-').append(plat).append('\n');
                }
            }
        }
        files.put(distInfo + "WHEEL", wheel.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder record = new StringBuilder();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            record.append(e.getKey()).append(",sha256=").append(urlsafeSha256(e.getValue())).append(',')
                    .append(e.getValue().length).append('\n');
        }
        record.append(distInfo).append("RECORD,,\n");
        files.put(distInfo + "RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
        Path wheelFile = dir.resolve(distName + "-" + version + "-" + tag + ".whl");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(wheelFile))) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                zip.putNextEntry(entry(e.getKey(), e.getValue(), dataDescriptor));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return wheelFile;
    }

    /** A stored entry has its sizes and CRC up front, so no data descriptor; a deflated one without them gets one. */
    private static ZipEntry entry(String name, byte[] data, boolean dataDescriptor) {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(315532800000L + 86_400_000L);
        if (dataDescriptor) {
            entry.setMethod(ZipEntry.DEFLATED);
        } else {
            CRC32 crc = new CRC32();
            crc.update(data);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(data.length);
            entry.setCompressedSize(data.length);
            entry.setCrc(crc.getValue());
        }
        return entry;
    }

    public static String urlsafeSha256(byte[] data) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void append(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
            out.write(bytes);
        }
    }
}
