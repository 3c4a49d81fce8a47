package org.neuronsimulator.wheel.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/** Loads a JNI binding that the build put into the jar for this platform. */
final class NativeBinding {

    private NativeBinding() {
    }

    /** Where the jar holds the binding {@code lib<name>.so} for this platform. */
    static String resourceName(String name) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).replace(' ', '_');
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return "META-INF/native/" + os + "-" + arch + "/lib" + name + ".so";
    }

    /** Loads the binding into the class loader of {@code owner}; null when it loaded, else why not. */
    static String load(Class<?> owner, String name) {
        String resource = resourceName(name);
        try (InputStream in = owner.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return "no native binding for this platform (" + resource + ")";
            }
            // a private copy per class loader: a JVM maps one library file into one class loader only
            Path copy = Files.createTempFile("neuron-wheel-" + name, ".so");
            try {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                System.load(copy.toAbsolutePath().toString());
            } finally {
                // the mapping outlives the file
                Files.deleteIfExists(copy);
            }
            return null;
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            return "native binding did not load: " + e.getMessage();
        }
    }
}
