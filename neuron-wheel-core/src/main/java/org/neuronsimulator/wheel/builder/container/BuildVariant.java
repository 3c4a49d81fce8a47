package org.neuronsimulator.wheel.builder.container;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named flavour of the build (e.g. {@code coreneuron}, {@code coreneuron-gpu}): extra command
 * arguments and environment variables. The arguments replace a {@code {variant}} word in the build
 * command, or are appended when it has none.
 */
public record BuildVariant(String name, List<String> arguments, Map<String, String> environment) {

    public static final BuildVariant NONE = new BuildVariant("", List.of(), Map.of());

    public BuildVariant {
        Objects.requireNonNull(name, "name");
        arguments = List.copyOf(arguments);
        environment = Map.copyOf(environment);
    }

    /** The command words with the variant's arguments put in. */
    public List<String> apply(List<String> command) {
        List<String> result = new java.util.ArrayList<>(command.size() + arguments.size());
        boolean placed = false;
        for (String word : command) {
            if (word.equals("{variant}")) {
                result.addAll(arguments);
                placed = true;
            } else {
                result.add(word);
            }
        }
        if (!placed) {
            result.addAll(arguments);
        }
        return result;
    }
}
