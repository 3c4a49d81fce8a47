package org.neuronsimulator.wheel.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes small wheel archives for tests. */
final class TestWheels {

    private TestWheels() {
    }

    /** A zip with the given entries (path → bytes) plus a minimal dist-info. */
    static Path write(Path file, String distInfo, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry(distInfo + "/WHEEL"));
            zip.write("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\nTag: cp311-cp311-linux_x86_64\n".getBytes());
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(distInfo + "/RECORD"));
            zip.closeEntry();
        }
        return file;
    }
}
