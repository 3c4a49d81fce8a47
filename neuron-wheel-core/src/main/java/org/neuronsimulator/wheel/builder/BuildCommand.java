package org.neuronsimulator.wheel.builder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * The command that builds one wheel for one Python, as a template. Placeholders:
 * {@code {python}} (the interpreter), {@code {source}} (the project folder) and
 * {@code {outdir}} (where the wheel must be written). The default is pip's wheel build.
 */
public final class BuildCommand {

    public static final String DEFAULT = "{python} -m pip wheel --no-deps --wheel-dir {outdir} {source}";

    private final List<String> template;

    private BuildCommand(List<String> template) {
        if (template.isEmpty()) {
            throw new InvalidSettingException("command", "the build command is empty");
        }
        this.template = List.copyOf(template);
    }

    public static BuildCommand defaultCommand() {
        return parse(DEFAULT);
    }

    /**
     * Splits a command line into words: whitespace separates, single and double quotes group, and a
     * backslash escapes the next character. No shell is involved.
     */
    public static BuildCommand parse(String commandLine) {
        return new BuildCommand(splitWords(commandLine));
    }

    public static BuildCommand of(List<String> words) {
        return new BuildCommand(words);
    }

    /** The words of a line as {@link #parse} splits them (an empty line has none). */
    public static List<String> splitWordsOf(String line) {
        return splitWords(line);
    }

    // Not Plexus Utils' CommandLineUtils.translateCommandline: it keeps backslashes literal, so a\ b would give the two words a\ and b (measured with 4.1.0).
    static List<String> splitWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new InvalidSettingException("command", "unbalanced quote in command: " + line);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** The words with every {@code {name}} replaced by its value. */
    public List<String> expand(Map<String, String> values) {
        List<String> words = new ArrayList<>(template.size());
        for (String word : template) {
            String expanded = word;
            for (Map.Entry<String, String> value : values.entrySet()) {
                expanded = expanded.replace("{" + value.getKey() + "}", value.getValue());
            }
            words.add(expanded);
        }
        return words;
    }

    public List<String> template() {
        return template;
    }

    @Override
    public String toString() {
        return String.join(" ", template);
    }
}
