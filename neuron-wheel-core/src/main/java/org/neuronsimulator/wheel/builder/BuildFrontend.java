package org.neuronsimulator.wheel.builder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * The tool that turns the project into a wheel, as cibuildwheel's {@code build-frontend} names it:
 * {@code pip} ({@code pip wheel}) or {@code build} (pypa/build, installed into a virtual environment
 * per Python before its build), each with optional extra arguments ({@code pip; args: --no-build-isolation}).
 *
 * @param name      {@code pip} or {@code build}
 * @param arguments extra arguments, placed before the project folder
 */
public record BuildFrontend(String name, List<String> arguments) {

    public static final BuildFrontend PIP = new BuildFrontend("pip", List.of());
    public static final BuildFrontend BUILD = new BuildFrontend("build", List.of());

    public BuildFrontend {
        Objects.requireNonNull(name, "name");
        if (!name.equals("pip") && !name.equals("build")) {
            throw new InvalidSettingException("neuron.buildFrontend", "build frontend '" + name + "' is not supported: use pip or build"
                    + (name.contains("uv") ? " (uv-based frontends are not offered)" : ""));
        }
        arguments = List.copyOf(arguments);
    }

    /**
     * Parses {@code pip}, {@code build}, {@code build; args: --x --y} (cibuildwheel's string form).
     *
     * @throws IllegalArgumentException naming what is not understood
     */
    public static BuildFrontend parse(String text) {
        if (text == null || text.isBlank()) {
            return PIP;
        }
        String[] parts = text.split(";");
        String name = parts[0].strip().toLowerCase(Locale.ROOT);
        List<String> arguments = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String option = parts[i].strip();
            if (option.startsWith("args:")) {
                arguments.addAll(BuildCommand.splitWords(option.substring("args:".length())));
            } else if (!option.isEmpty()) {
                throw new InvalidSettingException("neuron.buildFrontend", "build frontend '" + text + "': unknown option '" + option
                        + "' (only 'args: ...' is known)");
            }
        }
        return new BuildFrontend(name, arguments);
    }

    /** True for pypa/build, which needs its own environment with the {@code build} package. */
    public boolean needsBuildPackage() {
        return name.equals("build");
    }

    /** The per-Python command template: placeholders {@code {python}}, {@code {outdir}}, {@code {source}}. */
    public BuildCommand command() {
        List<String> words = new ArrayList<>(name.equals("pip")
                ? List.of("{python}", "-m", "pip", "wheel", "--no-deps", "--wheel-dir", "{outdir}")
                : List.of("{python}", "-m", "build", "--wheel", "--outdir", "{outdir}"));
        words.addAll(arguments);
        words.add("{source}");
        return BuildCommand.of(words);
    }

    @Override
    public String toString() {
        return arguments.isEmpty() ? name : name + "; args: " + String.join(" ", arguments);
    }
}
