package org.neuronsimulator.wheel.macos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where libraries outside a wheel are looked for, the way dyld looks for them on a Mac.
 *
 * @param libraryPath         folders searched by a library's file name before anything else
 *                            ({@code DYLD_LIBRARY_PATH}, or what the build names)
 * @param fallbackPath        folders searched by file name when nothing else found the library
 *                            ({@code DYLD_FALLBACK_LIBRARY_PATH})
 * @param executableDirectory what {@code @executable_path} means for libraries loaded by Python
 *                            (the interpreter's folder); empty when unknown
 * @param hostLookups         false to look only inside the wheel (system libraries aside)
 */
public record DyldSearch(List<Path> libraryPath, List<Path> fallbackPath, Optional<Path> executableDirectory,
                         boolean hostLookups) {

    public DyldSearch {
        libraryPath = List.copyOf(libraryPath);
        fallbackPath = List.copyOf(fallbackPath);
        Objects.requireNonNull(executableDirectory, "executableDirectory");
    }

    /** Only the wheel's own files and system libraries: what a repaired wheel must get by with. */
    public static DyldSearch wheelOnly() {
        return new DyldSearch(List.of(), List.of(), Optional.empty(), false);
    }

    /**
     * The search dyld would make in this environment: {@code DYLD_LIBRARY_PATH} and
     * {@code DYLD_FALLBACK_LIBRARY_PATH}; without the latter, dyld's default fallback ({@code ~/lib},
     * {@code /usr/local/lib}) on a Mac and none elsewhere, where such folders hold no Mach-O files.
     */
    public static DyldSearch fromEnvironment(Map<String, String> environment, String osName, List<Path> extraLibraryPath) {
        List<Path> library = new ArrayList<>(extraLibraryPath);
        library.addAll(split(environment.get("DYLD_LIBRARY_PATH")));
        List<Path> fallback = split(environment.get("DYLD_FALLBACK_LIBRARY_PATH"));
        boolean mac = osName != null && osName.toLowerCase(java.util.Locale.ROOT).contains("mac");
        if (fallback.isEmpty() && mac) {
            String home = environment.get("HOME");
            if (home != null && !home.isBlank()) {
                fallback.add(Path.of(home, "lib"));
            }
            fallback.add(Path.of("/usr/local/lib"));
        }
        return new DyldSearch(library, fallback, Optional.empty(), true);
    }

    /** Folders from settings: list items, each also split at commas and colons. */
    public static List<Path> folders(List<String> values) {
        List<Path> folders = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                if (value != null) {
                    for (String part : value.split("[,:]")) {
                        if (!part.isBlank()) {
                            folders.add(Path.of(part.trim()));
                        }
                    }
                }
            }
        }
        return folders;
    }

    public DyldSearch withExecutableDirectory(Path directory) {
        return new DyldSearch(libraryPath, fallbackPath, Optional.ofNullable(directory), hostLookups);
    }

    private static List<Path> split(String value) {
        List<Path> paths = new ArrayList<>();
        if (value != null) {
            for (String part : value.split(":")) {
                if (!part.isBlank()) {
                    paths.add(Path.of(part));
                }
            }
        }
        return paths;
    }
}
