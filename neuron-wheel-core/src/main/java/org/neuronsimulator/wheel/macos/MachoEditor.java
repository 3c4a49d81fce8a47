package org.neuronsimulator.wheel.macos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;
import org.neuronsimulator.wheel.repair.WheelRepairException;

/**
 * Rewrites install names, ids and rpaths of Mach-O files with an {@code install_name_tool}, and signs
 * ad hoc with {@code codesign} where there is one.
 *
 * <p>The load commands are rewritten by Apple's {@code install_name_tool} on macOS and by LLVM's
 * {@code llvm-install-name-tool} (Debian package {@code llvm-14}) elsewhere, not by Java code: the
 * tool moves and resizes load commands within the header padding, updates every slice of a fat file,
 * shifts {@code __LINKEDIT}, and LLVM's (from release 14) signs its output ad hoc again where the
 * input was signed. A Java writer would have to redo all of that, code directory included, with this
 * same tool as its only reference. Every signature is verified afterwards in Java
 * ({@link org.neuronsimulator.wheel.macho.CodeSignatureVerifier}); where it no longer matches and
 * {@code codesign} exists (macOS), the file is signed ad hoc again.
 */
public final class MachoEditor {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final String installNameTool;
    private final Optional<String> codesign;
    private final Reporter reporter;

    public MachoEditor(String installNameTool, Optional<String> codesign, Reporter reporter) {
        this.installNameTool = installNameTool;
        this.codesign = codesign;
        this.reporter = reporter;
    }

    /**
     * The configured tools, or those found: on macOS {@code install_name_tool} and {@code codesign};
     * elsewhere the newest {@code llvm-install-name-tool[-N]} on the {@code PATH} (no codesign). Empty when
     * no install-name tool can be found.
     */
    public static Optional<MachoEditor> find(Optional<String> installNameTool, Optional<String> codesign, String osName,
                                             String path, Reporter reporter) {
        boolean mac = osName != null && osName.toLowerCase(Locale.ROOT).contains("mac");
        Optional<String> tool = installNameTool.isPresent() ? installNameTool
                : mac ? onPath("install_name_tool", path) : newestLlvmTool(path);
        Optional<String> signer = codesign.isPresent() ? codesign : mac ? onPath("codesign", path) : Optional.empty();
        return tool.map(t -> new MachoEditor(t, signer, reporter));
    }

    public String installNameTool() {
        return installNameTool;
    }

    public Optional<String> codesign() {
        return codesign;
    }

    /** Runs the install-name tool with these options on {@code file}. */
    public void edit(Path file, List<String> options, String what) throws IOException, WheelRepairException {
        List<String> command = new ArrayList<>(List.of(installNameTool));
        command.addAll(options);
        command.add(file.toString());
        run(command, what);
    }

    /** Replaces the file's signature by an ad hoc one; false when there is no codesign here. */
    public boolean signAdHoc(Path file, String what) throws IOException, WheelRepairException {
        if (codesign.isEmpty()) {
            return false;
        }
        run(List.of(codesign.get(), "--force", "--sign", "-", file.toString()), what);
        return true;
    }

    private void run(List<String> command, String what) throws IOException, WheelRepairException {
        List<String> output = new ArrayList<>();
        ProcessResult result;
        try {
            result = ProcessRunner.of(command).onOutput(output::add).timeout(TIMEOUT).run();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        reporter.debug(String.join(" ", command));
        if (!result.succeeded()) {
            throw new WheelRepairException(what + ": " + command.get(0) + " failed: " + String.join(" ", command) + "\n"
                    + result.tailText());
        }
    }

    private static Optional<String> onPath(String name, String path) {
        for (String folder : path == null ? new String[0] : path.split(java.io.File.pathSeparator)) {
            if (!folder.isBlank() && Files.isExecutable(Path.of(folder, name))) {
                return Optional.of(Path.of(folder, name).toString());
            }
        }
        return Optional.empty();
    }

    /** {@code llvm-install-name-tool}, else the highest numbered {@code llvm-install-name-tool-N}. */
    private static Optional<String> newestLlvmTool(String path) {
        Optional<String> plain = onPath("llvm-install-name-tool", path);
        if (plain.isPresent()) {
            return plain;
        }
        for (int version = 30; version >= 14; version--) {
            Optional<String> numbered = onPath("llvm-install-name-tool-" + version, path);
            if (numbered.isPresent()) {
                return numbered;
            }
        }
        return Optional.empty();
    }
}
