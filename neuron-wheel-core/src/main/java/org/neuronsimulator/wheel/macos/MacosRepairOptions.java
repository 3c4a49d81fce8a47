package org.neuronsimulator.wheel.macos;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.macho.MacosVersion;

/**
 * How macOS wheels are repaired (excludes and timestamps are shared with the Linux repair).
 *
 * @param search                where libraries outside the wheel are found
 * @param deploymentTarget      the oldest macOS the wheel must support; binaries needing a newer one
 *                              fail the repair; empty to tag by what the binaries need
 * @param requiredArchitectures single architectures every binary must have ({@code universal2} gives
 *                              {@code x86_64} and {@code arm64}); empty for those of the tag
 * @param installNameTool       the command that rewrites load commands; empty to find
 *                              {@code install_name_tool} on macOS or {@code llvm-install-name-tool} elsewhere
 * @param codesign              the command that signs ad hoc ({@code codesign} on macOS); empty to find it
 * @param libraryDirectory      the folder, inside the package, that receives the libraries
 */
public record MacosRepairOptions(DyldSearch search, Optional<MacosVersion> deploymentTarget,
                                 List<String> requiredArchitectures, Optional<String> installNameTool,
                                 Optional<String> codesign, String libraryDirectory) {

    public MacosRepairOptions {
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(deploymentTarget, "deploymentTarget");
        requiredArchitectures = List.copyOf(requiredArchitectures);
        Objects.requireNonNull(installNameTool, "installNameTool");
        Objects.requireNonNull(codesign, "codesign");
        if (libraryDirectory.isBlank() || libraryDirectory.contains("/")) {
            throw new InvalidSettingException("neuron.libSubdirectory", "the library folder must be one folder name, not '" + libraryDirectory + "'");
        }
    }

    /** Libraries from this environment's dyld search paths, no target, the tools found where they usually are. */
    public static MacosRepairOptions defaults() {
        return new MacosRepairOptions(DyldSearch.fromEnvironment(System.getenv(), System.getProperty("os.name"), List.of()),
                Optional.empty(), List.of(), Optional.empty(), Optional.empty(), ".dylibs");
    }

    /**
     * Options from a build's settings, each blank when unset: folders to search first (beside
     * {@code DYLD_LIBRARY_PATH}), a {@code macosx_*} platform or a deployment target (else
     * {@code MACOSX_DEPLOYMENT_TARGET}), the architectures every binary needs and the install-name tool.
     *
     * @throws IllegalArgumentException naming a value that is no version or architecture
     */
    public static MacosRepairOptions of(List<String> libraryPath, String platform, String deploymentTarget,
                                        String architectures, String installNameTool, Map<String, String> environment,
                                        String osName) {
        return new MacosRepairOptions(DyldSearch.fromEnvironment(environment, osName, DyldSearch.folders(libraryPath)),
                target(platform, deploymentTarget, environment), architectures(architectures),
                installNameTool == null || installNameTool.isBlank() ? Optional.empty() : Optional.of(installNameTool.trim()),
                Optional.empty(), ".dylibs");
    }

    public MacosRepairOptions withSearch(DyldSearch newSearch) {
        return new MacosRepairOptions(newSearch, deploymentTarget, requiredArchitectures, installNameTool, codesign,
                libraryDirectory);
    }

    public MacosRepairOptions withDeploymentTarget(Optional<MacosVersion> target) {
        return new MacosRepairOptions(search, target, requiredArchitectures, installNameTool, codesign, libraryDirectory);
    }

    public MacosRepairOptions withRequiredArchitectures(List<String> architectures) {
        return new MacosRepairOptions(search, deploymentTarget, architectures, installNameTool, codesign, libraryDirectory);
    }

    public MacosRepairOptions withInstallNameTool(Optional<String> command) {
        return new MacosRepairOptions(search, deploymentTarget, requiredArchitectures, command, codesign, libraryDirectory);
    }

    /**
     * The target of a repair: a macOS {@code platform} ({@code macosx_11_0_arm64}, {@code macosx_10_9})
     * first, then the configured deployment target, then {@code MACOSX_DEPLOYMENT_TARGET}. A platform
     * naming another system (a manylinux tag) does not count here.
     */
    public static Optional<MacosVersion> target(String platform, String deploymentTarget, Map<String, String> environment) {
        if (platform != null && MacosPlatformTag.isMacos(platform.trim())) {
            return MacosPlatformTag.targetVersion(platform);
        }
        if (deploymentTarget != null && !deploymentTarget.isBlank()) {
            return Optional.of(deploymentTarget(deploymentTarget));
        }
        return MacosPlatformTag.targetVersion(environment.get("MACOSX_DEPLOYMENT_TARGET"));
    }

    /** The {@code neuron.macos.deploymentTarget} setting as a version. */
    static MacosVersion deploymentTarget(String text) {
        try {
            return MacosVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("neuron.macos.deploymentTarget", "neuron.macos.deploymentTarget: " + e.getMessage(), e);
        }
    }

    /** {@code universal2}, {@code x86_64,arm64}, {@code intel} → the single architectures. */
    public static List<String> architectures(String value) {
        LinkedHashSet<String> archs = new LinkedHashSet<>();
        if (value != null) {
            for (String part : value.split("[,\\s]+")) {
                if (!part.isBlank()) {
                    archs.addAll(new MacosPlatformTag(new MacosVersion(11, 0, 0), part.trim()).architectures());
                }
            }
        }
        return List.copyOf(archs);
    }
}
