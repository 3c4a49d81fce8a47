package org.neuronsimulator.wheel.builder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * Environment variables given as shell assignments, evaluated in order where the build runs (against
 * the image's or the host's environment), as cibuildwheel's {@code environment} option takes them:
 * {@code CFLAGS='-g -Wall' PATH=$PATH:/opt/tools/bin LIBS="${PREFIX}/lib"}. {@code $NAME} and
 * {@code ${NAME}} expand (an unset name to nothing), single quotes keep text as it is, double quotes
 * and backslashes work as in a shell. Command substitution ({@code $(...)}, backquotes) is refused:
 * there is no shell to run it, and a build should not depend on one.
 */
public final class EnvironmentAssignments {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** One {@code NAME=value}; the value is kept as written and expanded by {@link #evaluate}. */
    public record Assignment(String name, String value, boolean quoted) {
        public Assignment {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return name + "=" + (quoted ? "\"" + value + "\"" : value);
        }
    }

    public static final EnvironmentAssignments NONE = new EnvironmentAssignments(List.of());

    private final List<Assignment> assignments;

    private EnvironmentAssignments(List<Assignment> assignments) {
        this.assignments = List.copyOf(assignments);
    }

    /**
     * The string form: assignments separated by unquoted whitespace.
     *
     * @throws IllegalArgumentException naming the word that is no assignment, or a command substitution
     */
    public static EnvironmentAssignments parse(String text) {
        List<Assignment> result = new ArrayList<>();
        for (String word : splitAssignments(text == null ? "" : text)) {
            int equals = word.indexOf('=');
            if (equals <= 0 || !NAME.matcher(word.substring(0, equals)).matches()) {
                throw new InvalidSettingException("environment", "'" + word + "' is not an assignment NAME=value");
            }
            Assignment assignment = new Assignment(word.substring(0, equals), word.substring(equals + 1), false);
            checkNoCommand(assignment);
            result.add(assignment);
        }
        return new EnvironmentAssignments(result);
    }

    /**
     * The table form ({@code { CFLAGS = "-g", PATH = "$PATH:/x" }}): each value is read as if it stood
     * in double quotes, in the table's order.
     */
    public static EnvironmentAssignments of(Map<String, String> table) {
        List<Assignment> result = new ArrayList<>();
        for (Map.Entry<String, String> entry : table.entrySet()) {
            if (!NAME.matcher(entry.getKey()).matches()) {
                throw new InvalidSettingException("environment", "'" + entry.getKey() + "' is not an environment variable name");
            }
            Assignment assignment = new Assignment(entry.getKey(), entry.getValue(), true);
            checkNoCommand(assignment);
            result.add(assignment);
        }
        return new EnvironmentAssignments(result);
    }

    public List<Assignment> assignments() {
        return assignments;
    }

    public boolean isEmpty() {
        return assignments.isEmpty();
    }

    /**
     * The assigned variables' values, each expanded against {@code base} and the assignments before it.
     *
     * @return only the assigned names, in order
     */
    public Map<String, String> evaluate(Map<String, String> base) {
        Map<String, String> scope = new LinkedHashMap<>(base);
        Map<String, String> values = new LinkedHashMap<>();
        for (Assignment assignment : assignments) {
            String value = expand(assignment.value(), assignment.quoted(), scope);
            scope.put(assignment.name(), value);
            values.put(assignment.name(), value);
        }
        return values;
    }

    private static void checkNoCommand(Assignment assignment) {
        String value = assignment.value();
        boolean single = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && !single) {
                i++;
            } else if (c == '\'' && !assignment.quoted()) {
                single = !single;
            } else if (!single && (c == '`' || (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '('))) {
                throw new InvalidSettingException("environment", assignment.name() + ": command substitution ("
                        + (c == '`' ? "`...`" : "$(...)") + ") is not supported; give the value itself or pass it"
                        + " from the host with environment-pass (neuron.passEnv)");
            }
        }
    }

    private static List<String> splitAssignments(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
                continue;
            }
            word.append(c);
            if (c == '\\' && quote != '\'' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
            } else if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (quote != 0) {
            throw new InvalidSettingException("environment", "unbalanced quote in environment: " + text);
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }

    /** Shell-like expansion of one value; {@code inDoubleQuotes} for table values. */
    static String expand(String value, boolean inDoubleQuotes, Map<String, String> scope) {
        StringBuilder out = new StringBuilder();
        boolean doubleQuoted = inDoubleQuotes;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char next = value.charAt(i + 1);
                if (!doubleQuoted || next == '$' || next == '"' || next == '\\' || next == '`') {
                    out.append(next);
                    i++;
                } else {
                    out.append(c);
                }
            } else if (c == '\'' && !doubleQuoted) {
                int close = value.indexOf('\'', i + 1);
                out.append(value, i + 1, close);
                i = close;
            } else if (c == '"' && !inDoubleQuotes) {
                doubleQuoted = !doubleQuoted;
            } else if (c == '$' && i + 1 < value.length()) {
                int end;
                String name;
                if (value.charAt(i + 1) == '{') {
                    end = value.indexOf('}', i + 2);
                    if (end < 0) {
                        throw new InvalidSettingException("environment", "unclosed ${ in environment value " + value);
                    }
                    name = value.substring(i + 2, end);
                } else {
                    var matcher = NAME.matcher(value).region(i + 1, value.length());
                    if (!matcher.lookingAt()) {
                        out.append(c);
                        continue;
                    }
                    end = matcher.end() - 1;
                    name = matcher.group();
                }
                out.append(scope.getOrDefault(name, ""));
                i = end;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return String.join(" ", assignments.stream().map(Assignment::toString).toList());
    }
}
