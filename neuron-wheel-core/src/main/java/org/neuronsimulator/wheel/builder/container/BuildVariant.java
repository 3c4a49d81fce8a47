package org.neuronsimulator.wheel.builder.container;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.neuronsimulator.wheel.InvalidSettingException;

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

    /**
     * The variant named {@code wanted} among the configured ones; without configured variants the name is itself the
     * argument (as in {@code build_wheels.bash linux 38 coreneuron}); a blank name is {@link #NONE}.
     */
    public static BuildVariant select(String wanted, List<BuildVariant> configured) {
        if (wanted == null || wanted.isBlank()) {
            return NONE;
        }
        String name = wanted.trim();
        List<String> known = new java.util.ArrayList<>();
        for (BuildVariant variant : configured) {
            if (variant.name().isBlank()) {
                throw new InvalidSettingException("variants", "a <variant> in <variants> has no <name>");
            }
            if (variant.name().equals(name)) {
                return variant;
            }
            known.add(variant.name());
        }
        if (!known.isEmpty()) {
            throw new InvalidSettingException("neuron.variant", "neuron.variant=" + name
                    + " is not one of the configured variants: " + String.join(", ", known));
        }
        return new BuildVariant(name, List.of(name), Map.of());
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
