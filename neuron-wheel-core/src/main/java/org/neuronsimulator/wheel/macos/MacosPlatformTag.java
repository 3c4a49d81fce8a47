package org.neuronsimulator.wheel.macos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.macho.MacosVersion;

/**
 * A macOS platform tag ({@code macosx_10_9_x86_64}, {@code macosx_11_0_arm64},
 * {@code macosx_10_9_universal2}): the oldest macOS release and the architectures it covers. Tags of
 * macOS 11 and later carry the major release only ({@code macosx_12_0}), since pip accepts no other
 * minor number there.
 */
public record MacosPlatformTag(MacosVersion version, String architecture) {

    private static final Pattern TAG = Pattern.compile("macosx_(\\d+)_(\\d+)_([a-z0-9_]+)");

    /** Multi-architecture names and the architectures they stand for. */
    private static final Map<String, List<String>> GROUPS = Map.of(
            "universal2", List.of("x86_64", "arm64"),
            "intel", List.of("i386", "x86_64"),
            "fat", List.of("i386", "ppc"),
            "fat64", List.of("ppc64", "x86_64"),
            "universal", List.of("i386", "ppc", "ppc64", "x86_64"));
    private static final List<String> SINGLE = List.of("x86_64", "arm64", "i386", "ppc", "ppc64", "x86_64h", "arm64e");

    public MacosPlatformTag {
        if (!GROUPS.containsKey(architecture) && !SINGLE.contains(architecture)) {
            throw new InvalidSettingException("neuron.platform", "unknown macOS wheel architecture '" + architecture + "'");
        }
    }

    public static boolean isMacos(String platformTag) {
        return platformTag.startsWith("macosx_");
    }

    /** Parses a tag; fails naming it when it is no macOS tag this project knows. */
    public static MacosPlatformTag parse(String tag) {
        Matcher m = TAG.matcher(tag);
        if (!m.matches()) {
            throw new InvalidSettingException("neuron.platform", "'" + tag + "' is not a macOS platform tag like macosx_10_9_x86_64");
        }
        return new MacosPlatformTag(new MacosVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 0),
                m.group(3));
    }

    /** The version named by a target such as {@code macosx_11_0_arm64}, {@code macosx_10_9} or {@code 10.9}. */
    public static Optional<MacosVersion> targetVersion(String target) {
        if (target == null || target.isBlank()) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile("macosx_(\\d+)_(\\d+)(?:_[a-z0-9_]+)?").matcher(target.trim());
        if (m.matches()) {
            return Optional.of(new MacosVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 0));
        }
        try {
            return Optional.of(MacosVersion.parse(target));
        } catch (IllegalArgumentException e) { // a platform or MACOSX_DEPLOYMENT_TARGET the user set
            throw new InvalidSettingException("neuron.platform", e.getMessage(), e);
        }
    }

    /** The single architectures the tag covers: {@code universal2} is {@code x86_64} and {@code arm64}. */
    public List<String> architectures() {
        return GROUPS.getOrDefault(architecture, List.of(architecture));
    }

    /** The oldest macOS the tag promises for one of its architectures: arm64 never before 11.0. */
    public MacosVersion minimumFor(String singleArchitecture) {
        return singleArchitecture.startsWith("arm64") ? MacosVersion.max(version, MacosVersion.ARM64_FIRST) : version;
    }

    @Override
    public String toString() {
        return format(version, architecture);
    }

    /** {@code macosx_10_9_x86_64}; from macOS 11 on the minor number is 0. */
    public static String format(MacosVersion version, String architecture) {
        int minor = version.major() >= 11 ? 0 : version.minor();
        return "macosx_" + version.major() + "_" + minor + "_" + architecture;
    }

    /**
     * The tags for per-architecture minimum versions, joining x86_64 and arm64 into {@code universal2}
     * (and i386 with x86_64 into {@code intel}) where one version serves both.
     */
    public static List<String> tagsFor(Map<String, MacosVersion> versions) {
        Map<String, MacosVersion> left = new LinkedHashMap<>(versions);
        List<String> tags = new ArrayList<>();
        MacosVersion x86 = left.get("x86_64");
        MacosVersion arm = left.get("arm64");
        if (x86 != null && arm != null && arm.equals(MacosVersion.max(x86, MacosVersion.ARM64_FIRST))) {
            tags.add(format(x86, "universal2"));
            left.remove("x86_64");
            left.remove("arm64");
        }
        MacosVersion i386 = left.get("i386");
        x86 = left.get("x86_64");
        if (i386 != null && i386.equals(x86)) {
            tags.add(format(x86, "intel"));
            left.remove("i386");
            left.remove("x86_64");
        }
        left.forEach((arch, version) -> tags.add(format(arch.startsWith("arm64")
                ? MacosVersion.max(version, MacosVersion.ARM64_FIRST) : version, arch)));
        return tags;
    }
}
