package org.neuronsimulator.wheel.publish;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A user name and its password or token. PyPI API tokens go with the user {@code __token__}.
 *
 * @param source where the credentials were found, for messages ("settings.xml server 'pypi'",
 *               "TWINE_USERNAME/TWINE_PASSWORD", ".pypirc [testpypi]")
 */
public record Credentials(String username, Secret password, String source) {

    public static final String TOKEN_USER = "__token__";

    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(source, "source");
    }

    public boolean isToken() {
        return TOKEN_USER.equals(username);
    }

    /** The value of an HTTP Basic {@code Authorization} header. */
    String basicAuthorization() {
        String pair = username + ":" + password.reveal();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** Every form in which the secret could show up in text: itself and the Basic header value. */
    public Redactor redactor() {
        return Redactor.of(password.reveal(),
                Base64.getEncoder().encodeToString((username + ":" + password.reveal()).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "user '" + username + "' (" + source + ")";
    }
}
