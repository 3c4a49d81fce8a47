package org.neuronsimulator.wheel.builder;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A CPython (or other) interpreter found on the host or in an image, with the facts the build and
 * test goals need: its version, the tag it builds wheels for, and the tags it accepts.
 *
 * @param executable   path of the interpreter
 * @param major        major version, e.g. 3
 * @param minor        minor version, e.g. 11
 * @param implementation {@code cpython}, {@code pypy}, ...
 * @param freeThreaded true for a free-threaded (no GIL) build, whose ABI tag ends in {@code t}
 * @param supportedTags the interpreter's accepted tags, most preferred first, as
 *                     {@code interpreter-abi-platform} strings (empty when unknown)
 */
public record PythonInterpreter(Path executable, int major, int minor, String implementation,
                                boolean freeThreaded, List<String> supportedTags) {

    public PythonInterpreter {
        Objects.requireNonNull(executable, "executable");
        Objects.requireNonNull(implementation, "implementation");
        supportedTags = List.copyOf(supportedTags);
    }

    /** The CPython tag, e.g. {@code cp311} (or {@code cp313t} for a free-threaded build). */
    public String cpythonTag() {
        return "cp" + major + minor + (freeThreaded ? "t" : "");
    }

    /** {@code 3.11}. */
    public String versionString() {
        return major + "." + minor;
    }

    @Override
    public String toString() {
        return implementation + " " + versionString() + (freeThreaded ? "t" : "") + " (" + executable + ")";
    }
}
