package org.neuronsimulator.wheel.macho;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * The Mach-O binaries built on macOS that the tests use (test resources, BSD-licensed data of the
 * delocate project, licence beside them), and the LLVM tools that check them.
 */
public final class MachoTestFiles {

    public static final String RESOURCES = "/org/neuronsimulator/wheel/macho/";

    /** Every binary of the resource folder. */
    public static final List<String> ALL = List.of("a.o", "liba.a", "liba.dylib", "liba_12.dylib", "liba_12_1.dylib",
            "liba_both.dylib", "libam1-arch.dylib", "libam1.dylib", "libam1_12.dylib", "libb.dylib", "libc.dylib",
            "libc_12.dylib", "libextfunc.dylib", "libextfunc2_rpath.dylib", "libextfunc_rpath.dylib",
            "np-1.24.1_arm_random__sfc64.cpython-311-darwin.so", "np-1.24.1_x86_64_random__sfc64.cpython-311-darwin.so",
            "np-1.6.0_intel_lib__compiled_base.so", "test-lib");

    public static final String OTOOL = "llvm-otool-14";
    public static final String INSTALL_NAME_TOOL = "llvm-install-name-tool-14";

    private MachoTestFiles() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = MachoTestFiles.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test binary " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a test binary to {@code target} (created writable) and returns it. */
    public static Path copy(String name, Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        try (InputStream in = MachoTestFiles.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test binary " + name);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static Boolean llvmTools;

    /** Whether Debian's llvm-14 tools are installed ({@code .ci/setup.d/10-debian-packages.sh} installs them). */
    public static synchronized boolean llvmToolsAvailable() {
        if (llvmTools == null) {
            llvmTools = probeLlvmTools();
        }
        return llvmTools;
    }

    private static boolean probeLlvmTools() {
        for (String tool : List.of(OTOOL, INSTALL_NAME_TOOL)) {
            try {
                if (!ProcessRunner.of(tool, "--version").timeout(Duration.ofSeconds(30)).run().succeeded()) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** Runs {@code llvm-otool-14} with the arguments and returns its output; fails when it fails. */
    public static String otool(String... arguments) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(OTOOL));
        command.addAll(List.of(arguments));
        StringBuilder out = new StringBuilder();
        ProcessResult result = ProcessRunner.of(command).onOutput(line -> out.append(line).append('\n'))
                .timeout(Duration.ofMinutes(1)).tailLines(10).run();
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", command) + " failed: " + result.tailText());
        }
        return out.toString();
    }
}
