package org.neuronsimulator.wheel.publish;

/** An upload or verification that did not succeed; the message names the file and the reason. */
public final class UploadException extends Exception {

    /** What went wrong, so callers can tell a user's mistake from a failing server. */
    public enum Kind {
        /** 401/403: missing, wrong or insufficient credentials. */
        AUTHENTICATION,
        /** The file is already in the repository and skip-existing is off. */
        ALREADY_EXISTS,
        /** A 3xx answer: the URL is wrong, typically a missing trailing slash. */
        REDIRECT,
        /** A 4xx answer: the repository refused the file. */
        REJECTED,
        /** 5xx or connection faults persisted through every retry. */
        UNAVAILABLE,
        /** The file did not show up in the index with the expected digest. */
        VERIFICATION,
        /** The wheel would be refused by the index; nothing was sent. */
        PREFLIGHT,
    }

    private final Kind kind;

    public UploadException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public UploadException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** True when the cause lies in the user's input or configuration rather than in the server. */
    public boolean isUserError() {
        return kind != Kind.UNAVAILABLE;
    }
}
