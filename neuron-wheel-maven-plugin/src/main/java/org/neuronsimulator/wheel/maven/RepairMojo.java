package org.neuronsimulator.wheel.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.repair.RepairOptions;

/**
 * The parameters of the repair that writing final wheels includes: which libraries stay outside, the tag to reach,
 * where libraries come from (the build image's exported root, macOS library folders), and how grafted libraries and
 * rewritten wheels are laid out.
 */
public abstract class RepairMojo extends ProjectMojo {

    /**
     * Glob patterns of sonames or library paths never bundled into the wheel (NEURON:
     * {@code libgomp.so.1}, {@code libnrniv.so}); comma-separated on the command line. Unset: the {@code --exclude}s
     * of pyproject.toml's {@code repair-wheel-command}.
     */
    @Parameter(property = "neuron.exclude")
    List<String> excludes = List.of();

    /**
     * The platform tag Linux wheels must reach, e.g. {@code manylinux2014} or
     * {@code manylinux_2_28_x86_64}; empty for the most compatible one they can reach (or the {@code --plat} of
     * pyproject.toml's {@code repair-wheel-command}). For macOS wheels a {@code macosx_10_9_x86_64} (or
     * {@code macosx_10_9}) tag sets the deployment target.
     */
    @Parameter(property = "neuron.platform")
    String platform;

    /**
     * The image root a container build exported (the image's loader configuration and the libraries
     * the wheels load): when it exists, repair resolves and grafts libraries from the build image
     * instead of this host.
     */
    @Parameter(property = "neuron.imageLibraryDirectory", defaultValue = "${project.build.directory}/image-root")
    File imageLibraryDirectory;

    /**
     * Folders holding the libraries macOS wheels load from outside (e.g. {@code /opt/homebrew/opt/libomp/lib}),
     * searched by file name before an install name's own path, like {@code DYLD_LIBRARY_PATH} (which is
     * searched too); comma-separated on the command line.
     */
    @Parameter(property = "neuron.macos.libraryPath")
    List<String> macosLibraryPath = List.of();

    /**
     * The oldest macOS the macOS wheels must support (e.g. {@code 10.9}); a binary needing a newer one
     * fails the goal. Unset: {@code MACOSX_DEPLOYMENT_TARGET}, else tagged by what the binaries need.
     * A {@code macosx_*} {@code neuron.platform} takes precedence.
     */
    @Parameter(property = "neuron.macos.deploymentTarget")
    String macosDeploymentTarget;

    /** Architectures every binary of a macOS wheel must have: {@code x86_64}, {@code arm64} or {@code universal2}. */
    @Parameter(property = "neuron.macos.archs")
    String macosArchs;

    /**
     * The command that rewrites Mach-O load commands; default {@code install_name_tool} on macOS, the
     * newest {@code llvm-install-name-tool[-N]} on the {@code PATH} elsewhere.
     */
    @Parameter(property = "neuron.macos.installNameTool")
    String macosInstallNameTool;

    /**
     * Leaves Linux and macOS wheels as built: no audit, no bundling of external libraries, no retagging. Unset: false, or true
     * when the build ran a repair command ({@code neuron.repairCommand}, pyproject.toml's {@code repair-wheel-command})
     * or pyproject.toml's {@code repair-wheel-command} is empty.
     */
    @Parameter(property = "neuron.repair.skip")
    Boolean repairSkip;

    /** The build goal's repair command: when set, the build repaired the wheels and this goal does not repair them again. */
    @Parameter(property = "neuron.repairCommand")
    String repairCommand;

    /**
     * Appended to the distribution name to name the folder of bundled libraries: {@code .libs} gives
     * {@code <name>.libs/}, {@code /.libs} a {@code .libs/} folder inside the package.
     */
    @Parameter(property = "neuron.libSubdirectory", defaultValue = ".libs")
    String libSubdirectory;

    /** Strip the symbol tables of bundled libraries and of the wheel's ELF objects ({@code strip -s}). */
    @Parameter(property = "neuron.strip", defaultValue = "false")
    boolean strip;

    /**
     * With {@code neuron.platform}: tag only that platform, not also the more compatible one the wheel
     * satisfies (whose libraries are then the ones bundled).
     */
    @Parameter(property = "neuron.onlyPlatform", defaultValue = "false")
    boolean onlyPlatform;

    /** Retag repaired wheels (file name and {@code WHEEL}); false keeps the tags as built. */
    @Parameter(property = "neuron.updateTags", defaultValue = "true")
    boolean updateTags;

    /** Deflate level 0-9 of the written wheels (repaired and final). */
    @Parameter(property = "neuron.compressionLevel", defaultValue = "6")
    int compressionLevel;

    /** Where repaired Linux wheels are kept before they go to the wheelhouse. */
    @Parameter(defaultValue = "${project.build.directory}/repaired-wheels", readonly = true)
    File repairedWheelDirectory;

    /** The repair parameters as core options (pyproject.toml's excludes and platform are merged in by core). */
    RepairOptions repairOptions() {
        return RepairOptions.defaults().withExcludes(excludes == null ? List.of() : excludes)
                .withPlatform(platform == null || platform.isBlank() ? null : platform.trim())
                .withLibSubdirectory(libSubdirectory).withStrip(strip).withOnlyPlatform(onlyPlatform)
                .withUpdateTags(updateTags).withCompressionLevel(compressionLevel);
    }
}
