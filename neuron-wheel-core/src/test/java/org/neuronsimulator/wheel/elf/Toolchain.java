package org.neuronsimulator.wheel.elf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * The C compilers tests build objects with, one per C library and architecture (Debian packages
 * {@code gcc}, {@code musl-tools}, {@code gcc-arm-linux-gnueabihf}, {@code gcc-arm-linux-gnueabi},
 * {@code gcc-aarch64-linux-gnu}, {@code gcc-i686-linux-gnu}).
 */
public enum Toolchain {
    GLIBC_X86_64("gcc", "x86_64", "x86_64-linux-gnu"),
    /** musl through Debian's {@code musl-gcc}, linked the Alpine way (see {@link #muslSysroot}). */
    MUSL_X86_64("musl-gcc", "x86_64", "x86_64-linux-musl"),
    ARM_HARD_FLOAT("arm-linux-gnueabihf-gcc", "armv7l", "arm-linux-gnueabihf"),
    ARM_SOFT_FLOAT("arm-linux-gnueabi-gcc", "armv7l", "arm-linux-gnueabi"),
    AARCH64("aarch64-linux-gnu-gcc", "aarch64", "aarch64-linux-gnu"),
    I686("i686-linux-gnu-gcc", "i686", "i386-linux-gnu");

    private final String compiler;
    private final String architecture;
    private final String triplet;

    Toolchain(String compiler, String architecture, String triplet) {
        this.compiler = compiler;
        this.architecture = architecture;
        this.triplet = triplet;
    }

    /** The wheel architecture its objects are for. */
    public String architecture() {
        return architecture;
    }

    /** CPython's platform triplet, as extension file names carry it. */
    public String triplet() {
        return triplet;
    }

    public String compiler() {
        return compiler;
    }

    public boolean available() {
        try {
            return ProcessRunner.of(compiler, "--version").timeout(Duration.ofSeconds(30)).run().succeeded()
                    && (this != MUSL_X86_64 || Files.isRegularFile(Path.of(DEBIAN_MUSL_LIBC)));
        } catch (IOException e) {
            return false;
        }
    }

    static final String DEBIAN_MUSL_LIBC = "/usr/lib/x86_64-linux-musl/libc.so";

    /**
     * A folder with musl's C library under Alpine's soname {@code libc.musl-x86_64.so.1}, linked
     * first, so objects name it in {@code DT_NEEDED} as on Alpine (Debian's musl has no soname, which
     * leaves {@code libc.so} there).
     */
    public static Path muslSysroot(Path dir) throws IOException {
        Path sysroot = dir.resolve("musl-sysroot");
        Path libc = sysroot.resolve("libc.musl-x86_64.so.1");
        if (!Files.exists(libc)) {
            Files.createDirectories(sysroot);
            Files.copy(Path.of(DEBIAN_MUSL_LIBC), libc);
            NativeBuild.run("patchelf", "--set-soname", "libc.musl-x86_64.so.1", libc.toString());
            Files.createSymbolicLink(sysroot.resolve("libc.so"), libc.getFileName());
        }
        return sysroot;
    }

    /** Writes {@code source} to {@code <dir>/<name>.c} and compiles it; fails on errors. */
    public Path compile(Path dir, String name, String source, Path output, String... arguments) throws IOException {
        Path c = dir.resolve(name + ".c");
        Files.writeString(c, source);
        List<String> command = new ArrayList<>(List.of(compiler, "-o", output.toString(), c.toString()));
        if (this == MUSL_X86_64) {
            command.add("-L" + muslSysroot(dir));
        }
        command.addAll(List.of(arguments));
        ProcessResult result = ProcessRunner.of(command).directory(dir).timeout(Duration.ofMinutes(2)).run();
        if (!result.succeeded()) {
            throw new IOException(compiler + " failed for " + name + ":\n" + result.tailText());
        }
        return output;
    }
}
