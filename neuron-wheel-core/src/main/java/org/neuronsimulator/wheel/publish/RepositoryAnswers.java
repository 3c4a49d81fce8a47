package org.neuronsimulator.wheel.publish;

import java.util.List;
import java.util.Locale;

/** Reads the answers of PyPI-compatible repositories to a legacy upload. */
final class RepositoryAnswers {

    /** Phrases in a 400 answer that mean "this file is already there". */
    private static final List<String> EXISTS_400 = List.of(
            "file already exists",          // PyPI, TestPyPI, Google Artifact Registry
            "already exists",               // variations of the same
            "updating asset",               // Sonatype Nexus: "Repository does not allow updating assets"
            "already been taken");          // GitLab: "File name has already been taken"

    private RepositoryAnswers() {
    }

    /**
     * Whether an answer says the file already exists: pypiserver 409 (or 400 with its text),
     * PyPI/Nexus/GitLab 400 with their phrases, Artifactory 403 "overwrite artifact".
     */
    static boolean isAlreadyExists(int status, String reason, String body) {
        String text = ((reason == null ? "" : reason) + "\n" + (body == null ? "" : body)).toLowerCase(Locale.ROOT);
        if (status == 409) {
            return true;
        }
        if (status == 400) {
            return EXISTS_400.stream().anyMatch(text::contains);
        }
        if (status == 403) {
            return text.contains("overwrite artifact") || text.contains("not enough permissions to overwrite");
        }
        return false;
    }

    static boolean isRetryable(int status) {
        return status >= 500 && status < 600;
    }

    /** A short readable excerpt of an answer body: HTML tags dropped, whitespace collapsed. */
    static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        String text = body.replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", " ")
                .replaceAll("<[^>]+>", " ")
                .replaceAll("&nbsp;", " ")
                .replaceAll("\\s+", " ")
                .strip();
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
    }
}
