package org.neuronsimulator.wheel.publish;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.neuronsimulator.wheel.Reporter;

/**
 * Removes secrets from text before it reaches a log line or an exception message. Besides the
 * secret itself it removes its URL-encoded form, since servers may echo form or URL content.
 */
public final class Redactor {

    static final String MASK = "********";
    /** Shorter values would mask ordinary words; such secrets are not accepted by any index anyway. */
    private static final int SHORTEST_MASKED = 4;

    public static final Redactor NONE = new Redactor(List.of());

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    public static Redactor of(String... values) {
        Set<String> forms = new LinkedHashSet<>();
        for (String value : values) {
            if (value == null || value.length() < SHORTEST_MASKED) {
                continue;
            }
            forms.add(value);
            forms.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        List<String> sorted = new ArrayList<>(forms);
        // Longest first, so a secret that contains another is masked whole.
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(sorted));
    }

    public String redact(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return result;
    }

    /** A reporter that passes every line through {@link #redact(String)} first. */
    public Reporter wrap(Reporter reporter) {
        if (secrets.isEmpty()) {
            return reporter;
        }
        return new Reporter() {
            @Override
            public void info(String message) {
                reporter.info(redact(message));
            }

            @Override
            public void warn(String message) {
                reporter.warn(redact(message));
            }

            @Override
            public void debug(String message) {
                reporter.debug(redact(message));
            }
        };
    }
}
