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

    /**
     * The thin files of a Mach-O file: itself when thin; for a fat file, each slice cut out into
     * {@code directory} at the offsets {@code llvm-otool-14 -f} reports (LLVM 14's otool prints only the
     * host's slice of a fat file), keyed by architecture as {@code otool -h} reports its cputype.
     */
    public static java.util.Map<String, Path> thinSlices(Path file, Path directory) throws IOException {
        java.util.Map<String, Path> slices = new java.util.LinkedHashMap<>();
        byte[] bytes = Files.readAllBytes(file);
        boolean fat = bytes.length >= 4 && (bytes[0] & 0xFF) == 0xca && (bytes[1] & 0xFF) == 0xfe
                && (bytes[2] & 0xFF) == 0xba && (bytes[3] & 0xFF) == 0xbe;
        if (!fat) {
            slices.put(architecture(file), file);
            return slices;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "architecture \\d+\\n(?:\\s+\\S.*\\n)*?\\s+offset (\\d+)\\n\\s+size (\\d+)").matcher(otool("-f", file.toString()));
        Files.createDirectories(directory);
        int index = 0;
        while (m.find()) {
            int offset = Integer.parseInt(m.group(1));
            int size = Integer.parseInt(m.group(2));
            Path slice = directory.resolve(file.getFileName() + ".slice" + index++);
            Files.write(slice, java.util.Arrays.copyOfRange(bytes, offset, offset + size));
            slices.put(architecture(slice), slice);
        }
        return slices;
    }

    private static String architecture(Path thin) throws IOException {
        String[] header = otool("-h", thin.toString()).split("\n");
        String[] fields = header[header.length - 1].trim().split("\\s+");
        return MachoReader.architectureName(Integer.parseInt(fields[1]), Integer.parseInt(fields[2]));
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
