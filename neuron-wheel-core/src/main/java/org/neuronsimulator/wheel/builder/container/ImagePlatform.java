package org.neuronsimulator.wheel.builder.container;

import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.Reporter;

/**
 * An OCI platform ({@code linux/arm64}, {@code linux/arm/v7}) in the engine's spelling, and the check
 * that an image was built for the platform a build or test asks for. Docker 20.10 creates a container
 * of an image whose config names another architecture only to fail with "No such image", or starts it
 * and every program dies with "exec format error"; the check turns both into one clear message before
 * any container is made.
 *
 * @param variant {@code v7}, {@code v8} or empty
 */
public record ImagePlatform(String os, String architecture, String variant) {

    /** Where the kernel lists the registered binary formats (QEMU's user emulators among them). */
    static final Path BINFMT_MISC = Path.of("/proc/sys/fs/binfmt_misc");

    public ImagePlatform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
        variant = variant == null ? "" : variant;
    }

    /**
     * Parses {@code os/arch[/variant]}; architecture names as {@code uname -m} and wheel tags write them
     * ({@code x86_64}, {@code aarch64}) are taken in the engine's spelling ({@code amd64}, {@code arm64}).
     *
     * @throws IllegalArgumentException when the text is not such a platform
     */
    public static ImagePlatform parse(String text) {
        String[] parts = text.strip().toLowerCase(Locale.ROOT).split("/");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new InvalidSettingException("neuron.docker.platform", "neuron.docker.platform=" + text + " is not a platform like linux/amd64,"
                    + " linux/arm64 or linux/arm/v7");
        }
        String architecture = switch (parts[1]) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            case "i386", "i686" -> "386";
            case "armv7l", "armhf" -> "arm";
            default -> parts[1];
        };
        String variant = parts.length == 3 ? parts[2] : parts[1].equals("armv7l") || parts[1].equals("armhf") ? "v7" : "";
        return new ImagePlatform(parts[0], architecture, variant);
    }

    /** The platform an image on the engine was built for, as its config records it. */
    public static ImagePlatform of(DockerEngine engine, String image) throws IOException {
        InspectImageResponse inspected;
        try {
            inspected = engine.control().inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            throw new IOException("image " + image + " is not present on the Docker engine at " + engine.endpoint(), e);
        }
        // docker-java's response has no field for the variant; the platform check treats a missing one as "any"
        return new ImagePlatform(Objects.requireNonNullElse(inspected.getOs(), "linux"),
                Objects.requireNonNullElse(inspected.getArch(), ""), "");
    }

    /** The engine's own platform ({@code linux/amd64} on an x86-64 host). */
    public static ImagePlatform ofEngine(DockerEngine engine) {
        var version = engine.control().versionCmd().exec();
        return new ImagePlatform(Objects.requireNonNullElse(version.getOperatingSystem(), "linux"),
                Objects.requireNonNullElse(version.getArch(), ""), "");
    }

    /**
     * Checks, before any container of the image is made, that the image was built for the requested
     * platform, and that the engine can run its programs: a foreign architecture needs QEMU user
     * emulation registered with the kernel of a local engine. Without a requested platform an image of
     * another architecture is only reported, as it runs under emulation where that is registered.
     *
     * @param requested e.g. {@code linux/arm64}; null or blank for the engine's own
     * @throws PlatformMismatchException when the image's platform is not the requested one, or the local
     *                                   engine cannot run it
     */
    public static void check(DockerEngine engine, String image, String requested, Reporter reporter)
            throws IOException {
        ImagePlatform actual = of(engine, image);
        ImagePlatform engineOwn = ofEngine(engine);
        if (requested != null && !requested.isBlank()) {
            ImagePlatform wanted = parse(requested);
            if (!wanted.matches(actual)) {
                throw new PlatformMismatchException("image " + image + " is " + actual + ", but neuron.docker.platform="
                        + requested.strip() + " asks for " + wanted + ": name an image built for " + wanted
                        + " (e.g. its " + wanted.wheelArchitecture() + " variant), or pull that platform's variant of a"
                        + " multi-platform image with neuron.pull=always");
            }
        }
        requireRunnable(engine, engineOwn, actual, "image " + image + " is " + actual, reporter);
    }

    /**
     * Checks that a local engine can run programs of the platform (natively, or through QEMU user
     * emulation registered with this machine's kernel); an engine elsewhere is trusted to know.
     *
     * @throws PlatformMismatchException when the platform is foreign and its emulator is not registered
     */
    public static void requireRunnable(DockerEngine engine, ImagePlatform platform, String what, Reporter reporter)
            throws IOException {
        requireRunnable(engine, ofEngine(engine), platform, what, reporter);
    }

    private static void requireRunnable(DockerEngine engine, ImagePlatform engineOwn, ImagePlatform platform, String what,
                                        Reporter reporter) throws IOException {
        if (platform.architecture().isEmpty() || engineOwn.architecture().isEmpty() || engineOwn.runsNatively(platform)) {
            return;
        }
        String emulator = platform.qemuName();
        if (engine.endpoint().isLocalSocket() && emulator != null && Files.isDirectory(BINFMT_MISC)
                && !emulationRegistered(BINFMT_MISC, emulator)) {
            throw new PlatformMismatchException(what + " and the Docker engine runs on " + engineOwn + ", but QEMU's "
                    + emulator + " emulator is not registered with this machine's kernel (no enabled "
                    + BINFMT_MISC.resolve("qemu-" + emulator) + "), so its programs cannot run; install it (Debian:"
                    + " apt-get install qemu-user-static binfmt-support) or use an " + engineOwn + " image");
        }
        reporter.info(what + " and the engine " + engineOwn + ": its programs run under emulation (slower)");
    }

    /** Whether QEMU's user emulator for that architecture is registered and enabled (e.g. {@code qemu-aarch64}). */
    static boolean emulationRegistered(Path binfmtMisc, String emulator) throws IOException {
        Path entry = binfmtMisc.resolve("qemu-" + emulator);
        return Files.isRegularFile(entry) && Files.readAllLines(entry).stream().anyMatch(l -> l.strip().equals("enabled"));
    }

    /** Same OS and architecture; variants must agree only when both name one ({@code arm64} is {@code arm64/v8}). */
    public boolean matches(ImagePlatform other) {
        return os.equals(other.os) && architecture.equals(other.architecture)
                && (variant.isEmpty() || other.variant.isEmpty() || variant.equals(other.variant));
    }

    /** Whether an engine on this platform runs the other's programs without emulation. */
    boolean runsNatively(ImagePlatform image) {
        return architecture.equals(image.architecture)
                || architecture.equals("amd64") && image.architecture.equals("386")
                || architecture.equals("arm64") && image.architecture.equals("arm");
    }

    /** The architecture as wheel platform tags name it: {@code x86_64}, {@code aarch64}, {@code i686}, {@code armv7l}. */
    public String wheelArchitecture() {
        return switch (architecture) {
            case "amd64" -> "x86_64";
            case "arm64" -> "aarch64";
            case "386" -> "i686";
            case "arm" -> "armv7l";
            default -> architecture;
        };
    }

    /** The name of QEMU's user emulator for this architecture, or null where there is none. */
    String qemuName() {
        return switch (architecture) {
            case "amd64" -> "x86_64";
            case "arm64" -> "aarch64";
            case "386" -> "i386";
            case "arm" -> "arm";
            case "loong64" -> "loongarch64";
            case "ppc64le", "s390x", "riscv64", "mips64le" -> architecture;
            default -> null;
        };
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
