package org.neuronsimulator.wheel.builder;

import java.util.Locale;
import java.util.Objects;

/**
 * The name of one build as cibuildwheel spells it, {@code <python tag>-<platform>}: e.g.
 * {@code cp312-manylinux_x86_64}, {@code cp313t-manylinux_x86_64} (free-threaded),
 * {@code pp310-manylinux_x86_64} (PyPy), {@code gp311_242-manylinux_x86_64} (GraalPy 24.2) or
 * {@code cp312-musllinux_aarch64}. Build and skip selectors match these names.
 *
 * @param pythonTag the interpreter part, e.g. {@code cp312}
 * @param platform  the platform part, e.g. {@code manylinux_x86_64}
 */
public record BuildIdentifier(String pythonTag, String platform) {

    /** The kinds of interpreter an identifier names; all but plain CPython must be enabled to be built. */
    public enum Kind { CPYTHON, CPYTHON_FREE_THREADED, PYPY, GRAALPY, OTHER }

    public BuildIdentifier {
        Objects.requireNonNull(pythonTag, "pythonTag");
        Objects.requireNonNull(platform, "platform");
    }

    /**
     * The identifier of an interpreter.
     *
     * @param implementationVersion {@code sys.implementation.version} as {@code major.minor} (GraalPy's
     *                              identifiers carry it); may be empty for the others
     * @param platform              e.g. {@code manylinux_x86_64}
     */
    public static BuildIdentifier of(PythonInterpreter python, String implementationVersion, String platform) {
        return new BuildIdentifier(pythonTag(python.implementation(), python.major(), python.minor(),
                python.freeThreaded(), implementationVersion), platform);
    }

    /** {@code cp312}, {@code cp313t}, {@code pp310}, {@code gp311_242}; other implementations use their name. */
    public static String pythonTag(String implementation, int major, int minor, boolean freeThreaded,
                                   String implementationVersion) {
        String version = "" + major + minor;
        return switch (implementation.toLowerCase(Locale.ROOT)) {
            case "cpython" -> "cp" + version + (freeThreaded ? "t" : "");
            case "pypy" -> "pp" + version;
            case "graalpy" -> "gp" + version + "_" + implementationVersion.replace(".", "");
            default -> implementation.toLowerCase(Locale.ROOT) + version;
        };
    }

    /**
     * The platform part for a Linux interpreter: {@code manylinux_<arch>}, or {@code musllinux_<arch>}
     * on musl.
     *
     * @param sysconfigPlatform what {@code sysconfig.get_platform()} says, e.g. {@code linux-x86_64}
     */
    public static String linuxPlatform(String sysconfigPlatform, boolean musl) {
        String arch = sysconfigPlatform.contains("-") ? sysconfigPlatform.substring(sysconfigPlatform.indexOf('-') + 1)
                : sysconfigPlatform;
        return (musl ? "musllinux_" : "manylinux_") + arch.replace('-', '_').replace('.', '_');
    }

    /**
     * The platform part of host builds: {@code macosx_<arch>} on macOS, {@code manylinux_<arch>} on Linux
     * (the wheels are repaired to a manylinux tag), {@code <os>_<arch>} elsewhere.
     */
    public static String hostPlatform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "arm64", "aarch64" -> os.contains("mac") ? "arm64" : "aarch64";
            case "x86", "i386", "i686" -> "i686";
            default -> osArch.toLowerCase(Locale.ROOT);
        };
        if (os.contains("mac")) {
            return "macosx_" + arch;
        }
        if (os.contains("linux")) {
            return "manylinux_" + arch;
        }
        return os.replaceAll("[^a-z0-9]+", "_") + "_" + arch;
    }

    public Kind kind() {
        if (pythonTag.startsWith("cp")) {
            return pythonTag.endsWith("t") ? Kind.CPYTHON_FREE_THREADED : Kind.CPYTHON;
        }
        if (pythonTag.startsWith("pp")) {
            return Kind.PYPY;
        }
        if (pythonTag.startsWith("gp")) {
            return Kind.GRAALPY;
        }
        return Kind.OTHER;
    }

    @Override
    public String toString() {
        return pythonTag + "-" + platform;
    }
}
