package org.neuronsimulator.wheel.repair;

import java.util.List;
import java.util.OptionalLong;

/**
 * How to repair a wheel.
 *
 * @param excludes        glob patterns of sonames or library paths never bundled (NEURON:
 *                        {@code libgomp.so.1}, {@code libnrniv.so})
 * @param platform        the tag the wheel must reach ({@code manylinux2014},
 *                        {@code manylinux_2_28_x86_64}); null for the best one it can reach
 * @param skipIsaCheck    ignore x86-64 instruction set levels above the baseline
 * @param sourceDateEpoch the timestamp of every entry, when set
 * @param patchelf        the patchelf command
 */
public record RepairOptions(List<String> excludes, String platform, boolean skipIsaCheck, OptionalLong sourceDateEpoch,
                            String patchelf) {

    public RepairOptions {
        excludes = List.copyOf(excludes);
    }

    public static RepairOptions defaults() {
        return new RepairOptions(List.of(), null, false, OptionalLong.empty(), "patchelf");
    }

    public RepairOptions withExcludes(List<String> patterns) {
        return new RepairOptions(patterns, platform, skipIsaCheck, sourceDateEpoch, patchelf);
    }

    public RepairOptions withPlatform(String target) {
        return new RepairOptions(excludes, target, skipIsaCheck, sourceDateEpoch, patchelf);
    }

    public RepairOptions withSourceDateEpoch(OptionalLong epoch) {
        return new RepairOptions(excludes, platform, skipIsaCheck, epoch, patchelf);
    }
}
