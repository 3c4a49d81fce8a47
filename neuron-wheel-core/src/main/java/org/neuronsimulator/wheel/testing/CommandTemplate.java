package org.neuronsimulator.wheel.testing;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A configured shell command with {@code {name}} placeholders, filled in with shell-quoted values. */
final class CommandTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private CommandTemplate() {
    }

    /**
     * Replaces known placeholders; unknown {@code {words}} stay as written (they may be shell or
     * Python braces). Values are quoted only when the shell would split or expand them; raw values
     * (a launcher prefix with its arguments) go in as written.
     */
    static String fill(String template, Map<String, String> values, Map<String, String> rawValues) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement = rawValues.containsKey(name) ? rawValues.get(name)
                    : values.containsKey(name) ? quote(values.get(name)) : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    static boolean mentions(String template, String placeholder) {
        return template.contains("{" + placeholder + "}");
    }

    static String quote(String value) {
        if (SHELL_SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }
}
