package org.neuronsimulator.wheel.publish;

import java.nio.file.Path;

/**
 * A wheel ready to send: renamed when needed, checked, digested, its form built.
 *
 * @param source         the wheel as found in the wheelhouse
 * @param file           what is sent: the source itself or its renamed copy
 * @param project        the project name in its metadata
 * @param normalizedName the PEP 503 name its simple page lives under
 */
public record PreparedWheel(Path source, Path file, String project, String normalizedName, String version,
        UploadForm form, FileDigests digests) {

    public String filename() {
        return form.filename();
    }
}
