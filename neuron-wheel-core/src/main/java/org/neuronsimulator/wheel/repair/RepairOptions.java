package org.neuronsimulator.wheel.repair;

import java.util.List;
import java.util.OptionalLong;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * How to repair a wheel.
 *
 * @param excludes         glob patterns of sonames or library paths never bundled (NEURON:
 *                         {@code libgomp.so.1}, {@code libnrniv.so})
 * @param platform         the tag the wheel must reach ({@code manylinux2014},
 *                         {@code manylinux_2_28_x86_64}); null for the best one it can reach
 * @param skipIsaCheck     ignore x86-64 instruction set levels above the baseline
 * @param sourceDateEpoch  the timestamp of every entry, when set
 * @param patchelf         the patchelf command
 * @param libSubdirectory  appended to the distribution name to name the folder of bundled libraries
 *                         ({@code .libs} gives {@code demo.libs/}; {@code /.libs} gives {@code demo/.libs/})
 * @param strip            strip the symbol tables of bundled libraries and the wheel's ELF objects
 * @param onlyPlatform     tag only the requested platform, not also a more compatible one it satisfies
 * @param updateTags       retag the file name and {@code WHEEL}; false keeps the tags as built
 * @param compressionLevel deflate level 0-9 of the written wheel
 */
public record RepairOptions(List<String> excludes, String platform, boolean skipIsaCheck, OptionalLong sourceDateEpoch,
                            String patchelf, String libSubdirectory, boolean strip, boolean onlyPlatform,
                            boolean updateTags, int compressionLevel) {

    public static final String DEFAULT_LIB_SUBDIRECTORY = ".libs";

    public RepairOptions {
        excludes = List.copyOf(excludes);
        if (compressionLevel < 0 || compressionLevel > 9) {
            throw new InvalidSettingException("neuron.compressionLevel", "compression level must be 0-9, not " + compressionLevel);
        }
        checkLibSubdirectory(libSubdirectory);
    }

    public static RepairOptions defaults() {
        return new RepairOptions(List.of(), null, false, OptionalLong.empty(), "patchelf", DEFAULT_LIB_SUBDIRECTORY,
                false, false, true, 6);
    }

    /** Rejects a library folder suffix that would leave the wheel or name no folder. */
    static void checkLibSubdirectory(String suffix) {
        if (suffix == null || suffix.isEmpty()) {
            throw new InvalidSettingException("neuron.libSubdirectory", "the library subdirectory must not be empty");
        }
        if (suffix.contains("\\") || suffix.endsWith("/") || suffix.contains("//")
                || List.of(suffix.split("/")).stream().anyMatch(part -> part.equals("..") || part.equals("."))) {
            throw new InvalidSettingException("neuron.libSubdirectory", "library subdirectory '" + suffix + "' must name a folder inside the"
                    + " wheel: no '..', '.', '\\', empty or trailing path parts");
        }
    }

    public RepairOptions withExcludes(List<String> patterns) {
        return new RepairOptions(patterns, platform, skipIsaCheck, sourceDateEpoch, patchelf, libSubdirectory, strip,
                onlyPlatform, updateTags, compressionLevel);
    }

    public RepairOptions withPlatform(String target) {
        return new RepairOptions(excludes, target, skipIsaCheck, sourceDateEpoch, patchelf, libSubdirectory, strip,
                onlyPlatform, updateTags, compressionLevel);
    }

    public RepairOptions withSourceDateEpoch(OptionalLong epoch) {
        return new RepairOptions(excludes, platform, skipIsaCheck, epoch, patchelf, libSubdirectory, strip,
                onlyPlatform, updateTags, compressionLevel);
    }

    public RepairOptions withLibSubdirectory(String suffix) {
        return new RepairOptions(excludes, platform, skipIsaCheck, sourceDateEpoch, patchelf, suffix, strip,
                onlyPlatform, updateTags, compressionLevel);
    }

    public RepairOptions withStrip(boolean value) {
        return new RepairOptions(excludes, platform, skipIsaCheck, sourceDateEpoch, patchelf, libSubdirectory, value,
                onlyPlatform, updateTags, compressionLevel);
    }

    public RepairOptions withOnlyPlatform(boolean value) {
        return new RepairOptions(excludes, platform, skipIsaCheck, sourceDateEpoch, patchelf, libSubdirectory, strip,
                value, updateTags, compressionLevel);
    }

    public RepairOptions withUpdateTags(boolean value) {
        return new RepairOptions(excludes, platform, skipIsaCheck, sourceDateEpoch, patchelf, libSubdirectory, strip,
                onlyPlatform, value, compressionLevel);
    }

    public RepairOptions withCompressionLevel(int level) {
        return new RepairOptions(excludes, platform, skipIsaCheck, sourceDateEpoch, patchelf, libSubdirectory, strip,
                onlyPlatform, updateTags, level);
    }

    public RepairOptions withSkipIsaCheck(boolean value) {
        return new RepairOptions(excludes, platform, value, sourceDateEpoch, patchelf, libSubdirectory, strip,
                onlyPlatform, updateTags, compressionLevel);
    }
}
