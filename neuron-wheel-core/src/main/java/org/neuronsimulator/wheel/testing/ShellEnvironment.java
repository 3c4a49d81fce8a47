package org.neuronsimulator.wheel.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.neuronsimulator.wheel.process.ProcessRunner;

/** Whole environments as a shell ends with them ({@code env -0}), and programs started with exactly such an environment. */
final class ShellEnvironment {

    /** What every shell sets for itself; not part of what an allocation or a module hands on. */
    private static final Set<String> SHELL_OWN = Set.of("_", "PWD", "OLDPWD", "SHLVL");

    private ShellEnvironment() {
    }

    /** Reads an {@code env -0} dump. */
    static Map<String, String> read(Path dump) throws IOException {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String entry : new String(Files.readAllBytes(dump), StandardCharsets.UTF_8).split("\0")) {
            int equals = entry.indexOf('=');
            if (equals > 0 && !SHELL_OWN.contains(entry.substring(0, equals))) {
                variables.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        if (variables.isEmpty()) {
            throw new IOException("the environment dump " + dump + " is empty");
        }
        return variables;
    }

    /** A runner whose program sees exactly {@code environment}: this JVM's variables it lacks are removed. */
    static ProcessRunner runner(List<String> command, Map<String, String> environment) {
        ProcessRunner runner = ProcessRunner.of(command);
        for (String name : System.getenv().keySet()) {
            if (!environment.containsKey(name)) {
                runner.removeEnvironment(name);
            }
        }
        return runner.environment(environment);
    }

    /** The non-blank lines of a program's output as one message. */
    static String message(List<String> lines) {
        return message(lines, " | ", Integer.MAX_VALUE);
    }

    /** The first non-blank lines of a program's output as one message. */
    static String message(List<String> lines, String separator, int maxLines) {
        String text = lines.stream().map(String::strip).filter(l -> !l.isEmpty()).limit(maxLines)
                .collect(Collectors.joining(separator));
        return text.isEmpty() ? "(no output)" : text.length() > 2_000 ? text.substring(0, 2_000) + " ..." : text;
    }
}
