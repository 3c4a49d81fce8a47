package org.neuronsimulator.wheel.publish;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.neuronsimulator.wheel.Reporter;

/**
 * Removes secrets from text before it reaches a log line or an exception message. Servers echo what
 * they received in many encodings, so besides the secret itself it removes its URL-encoded,
 * HTML-escaped, JSON-escaped and base64 forms. Every secret is masked whatever its length: a short
 * password makes logs harder to read, never leaks.
 */
public final class Redactor {

    static final String MASK = "********";
    /**
     * A base64 form shorter than this is not masked: it would be one or two characters that occur
     * in any text. Such short forms only come from passwords of at most two characters, whose
     * plain, escaped and whole-header forms are still masked.
     */
    private static final int SHORTEST_BASE64_FORM = 4;

    public static final Redactor NONE = new Redactor(List.of());

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    public static Redactor of(String... values) {
        Set<String> forms = new LinkedHashSet<>();
        for (String value : values) {
            if (value == null || value.isEmpty()) {
                continue;
            }
            forms.add(value);
            forms.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
            forms.add(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
            forms.addAll(htmlForms(value));
            forms.add(jsonForm(value));
            for (String form : base64Forms(value.getBytes(StandardCharsets.UTF_8))) {
                if (form.length() >= SHORTEST_BASE64_FORM) {
                    forms.add(form);
                }
            }
        }
        List<String> sorted = new ArrayList<>(forms);
        // Longest first, so a secret that contains another is masked whole.
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(sorted));
    }

    /** The secret with HTML's special characters as named, decimal and hexadecimal references. */
    private static List<String> htmlForms(String value) {
        String named = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
        return List.of(named, named.replace("&#39;", "&#x27;"), named.replace("&quot;", "&#34;"));
    }

    private static String jsonForm(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '/' -> out.append("\\/");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * The characters of the base64 encoding (standard and URL-safe alphabet) that depend on the
     * secret's bytes alone, for each of the three positions the secret can take inside a longer
     * encoded text (a Basic header, a JSON blob).
     */
    static List<String> base64Forms(byte[] secret) {
        List<String> forms = new ArrayList<>();
        for (int offset = 0; offset < 3; offset++) {
            byte[] padded = Arrays.copyOf(new byte[offset], offset + secret.length + 2);
            System.arraycopy(secret, 0, padded, offset, secret.length);
            String encoded = Base64.getEncoder().withoutPadding().encodeToString(padded);
            int firstBit = offset * 8;
            int endBit = (offset + secret.length) * 8;
            int first = (firstBit + 5) / 6;
            int end = endBit / 6;
            if (end > first) {
                String stable = encoded.substring(first, end);
                forms.add(stable);
                forms.add(stable.replace('+', '-').replace('/', '_'));
            }
        }
        return forms;
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
