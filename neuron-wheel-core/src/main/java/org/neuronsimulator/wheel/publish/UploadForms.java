package org.neuronsimulator.wheel.publish;

import java.nio.file.Path;
import java.util.List;
import org.neuronsimulator.wheel.model.CoreMetadata;
import org.neuronsimulator.wheel.model.WheelFileName;

/**
 * Builds the legacy upload form of a wheel the way twine does: the same fields in the same order,
 * a missing single value sent as an empty part, one part per value of multi-valued fields, then
 * the digests, the action and the file.
 */
final class UploadForms {

    private UploadForms() {
    }

    static UploadForm forWheel(Path file, WheelFileName filename, CoreMetadata metadata, FileDigests digests) {
        UploadForm.Builder form = new UploadForm.Builder()
                .single("name", safeName(metadata.name()))
                .single("version", first(metadata, "Version"))
                .single("filetype", "bdist_wheel")
                .single("pyversion", String.join(".", filename.pythonTags()))
                .single("metadata_version", metadata.metadataVersion())
                .single("summary", first(metadata, "Summary"))
                .single("home_page", first(metadata, "Home-page"))
                .single("author", first(metadata, "Author"))
                .single("author_email", first(metadata, "Author-email"))
                .single("maintainer", first(metadata, "Maintainer"))
                .single("maintainer_email", first(metadata, "Maintainer-email"))
                .single("license", first(metadata, "License"))
                .single("description", metadata.description().orElse(null))
                .single("keywords", first(metadata, "Keywords"))
                .multiple("platform", all(metadata, "Platform"))
                .multiple("classifiers", all(metadata, "Classifier"))
                .single("download_url", first(metadata, "Download-URL"))
                .multiple("supported_platform", all(metadata, "Supported-Platform"))
                .single("comment", null)
                .single("sha256_digest", digests.sha256())
                .multiple("provides", all(metadata, "Provides"))
                .multiple("requires", all(metadata, "Requires"))
                .multiple("obsoletes", all(metadata, "Obsoletes"))
                .multiple("project_urls", all(metadata, "Project-URL"))
                .multiple("provides_dist", all(metadata, "Provides-Dist"))
                .multiple("obsoletes_dist", all(metadata, "Obsoletes-Dist"))
                .multiple("requires_dist", all(metadata, "Requires-Dist"))
                .multiple("requires_external", all(metadata, "Requires-External"))
                .single("requires_python", first(metadata, "Requires-Python"))
                .multiple("provides_extras", all(metadata, "Provides-Extra"))
                .single("description_content_type", first(metadata, "Description-Content-Type"))
                .multiple("dynamic", all(metadata, "Dynamic"));
        // Metadata 2.4 fields, sent only when present (older clients do not know them).
        first(metadata, "License-Expression", form, "license_expression");
        form.multiple("license_file", all(metadata, "License-File"));
        return form.single("md5_digest", digests.md5())
                .single("blake2_256_digest", digests.blake2b256())
                .single(":action", "file_upload")
                .single("protocol_version", "1")
                .build(file, filename.toString());
    }

    /** The project name as twine sends it: runs of characters other than letters, digits and {@code .} become {@code -}. */
    static String safeName(String name) {
        return name.replaceAll("[^A-Za-z0-9.]+", "-");
    }

    private static String first(CoreMetadata metadata, String field) {
        return metadata.first(field).orElse(null);
    }

    private static void first(CoreMetadata metadata, String field, UploadForm.Builder form, String formName) {
        metadata.first(field).ifPresent(v -> form.single(formName, v));
    }

    private static List<String> all(CoreMetadata metadata, String field) {
        return metadata.get(field);
    }
}
