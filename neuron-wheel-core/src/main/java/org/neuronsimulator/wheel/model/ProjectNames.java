package org.neuronsimulator.wheel.model;

import java.util.Locale;
import java.util.regex.Pattern;

/** Project (distribution) names: validity, PEP 503 normalisation and the escaping of wheel filenames. */
public final class ProjectNames {

    private static final Pattern VALID = Pattern.compile("[a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9]", Pattern.CASE_INSENSITIVE);
    private static final Pattern NORMALIZED = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");
    private static final Pattern SEPARATOR_RUNS = Pattern.compile("[-_.]+");

    private ProjectNames() {
    }

    /** PEP 503: lower case, every run of {@code -}, {@code _} and {@code .} becomes one {@code -}. */
    public static String normalize(String name) {
        return SEPARATOR_RUNS.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("-");
    }

    /** As in wheel filenames and dist-info directories: lower case, every run of separators becomes one {@code _}. */
    public static String filenameEscape(String name) {
        return SEPARATOR_RUNS.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("_");
    }

    /** Whether the name is a valid core-metadata {@code Name}: ASCII letters, digits, {@code -_.}, alphanumeric at both ends. */
    public static boolean isValid(String name) {
        return VALID.matcher(name).matches();
    }

    /** Whether the name is valid and already in its PEP 503 normal form. */
    public static boolean isNormalized(String name) {
        return NORMALIZED.matcher(name).matches();
    }

    /**
     * Returns the name when valid.
     *
     * @throws IllegalArgumentException naming the input when it is not a valid project name
     */
    public static String requireValid(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("Invalid project name '" + name
                    + "': use ASCII letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
        }
        return name;
    }
}
