package org.neuronsimulator.wheel.macos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.macho.MacosVersion;

/**
 * The environment of a host build on macOS for a deployment target and architectures:
 * {@code MACOSX_DEPLOYMENT_TARGET} (compilers and Python's build tools read it), {@code ARCHFLAGS}
 * ({@code -arch x86_64 -arch arm64}, read by setuptools and scikit-build) and, with both set,
 * {@code _PYTHON_HOST_PLATFORM} ({@code macosx-10.9-universal2}), so that the raw wheel is tagged for
 * them. Elsewhere these variables mean nothing (and {@code _PYTHON_HOST_PLATFORM} would mistag a Linux
 * wheel), so nothing is set.
 */
public final class MacosBuildEnvironment {

    private MacosBuildEnvironment() {
    }

    /**
     * @param osName           the host's {@code os.name}
     * @param deploymentTarget {@code neuron.macos.deploymentTarget}, e.g. {@code 10.9}; blank for none
     * @param architectures    {@code neuron.macos.archs}: {@code x86_64}, {@code arm64}, {@code universal2}
     *                         or a list of the first two; blank for the interpreter's own
     * @throws IllegalArgumentException naming the value that is not a version or architecture
     */
    public static Map<String, String> variables(String osName, String deploymentTarget, String architectures) {
        MacosVersion target = deploymentTarget == null || deploymentTarget.isBlank() ? null
                : MacosRepairOptions.deploymentTarget(deploymentTarget);
        if (target != null && target.major() < 10) {
            throw new InvalidSettingException("neuron.macos.deploymentTarget", "neuron.macos.deploymentTarget " + deploymentTarget + " is older than macOS 10");
        }
        List<String> archs;
        try {
            archs = MacosRepairOptions.architectures(architectures);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("neuron.macos.archs", "neuron.macos.archs: " + e.getMessage(), e);
        }
        for (String arch : archs) {
            if (!arch.equals("x86_64") && !arch.equals("arm64")) {
                throw new InvalidSettingException("neuron.macos.archs", "neuron.macos.archs: " + arch + " cannot be built on current macOS"
                        + " (x86_64, arm64 or universal2)");
            }
        }
        Map<String, String> variables = new LinkedHashMap<>();
        if (osName == null || !osName.toLowerCase(Locale.ROOT).contains("mac")) {
            return variables;
        }
        if (target != null) {
            variables.put("MACOSX_DEPLOYMENT_TARGET", target.toString());
        }
        if (!archs.isEmpty()) {
            // arm64 first, as python.org's universal2 builds list them
            List<String> ordered = archs.stream().sorted((a, b) -> a.equals("arm64") ? -1 : b.equals("arm64") ? 1 : 0).toList();
            variables.put("ARCHFLAGS", String.join(" ", ordered.stream().map(a -> "-arch " + a).toList()));
            if (target != null) {
                String platformArch = archs.size() > 1 ? "universal2" : archs.get(0);
                variables.put("_PYTHON_HOST_PLATFORM", "macosx-" + target + "-" + platformArch);
            }
        }
        return variables;
    }

    /** The build's own variables with these added (the build's win where both set one). */
    public static Map<String, String> addTo(Map<String, String> environment, String osName, String deploymentTarget,
                                            String architectures) {
        Map<String, String> merged = new LinkedHashMap<>(variables(osName, deploymentTarget, architectures));
        if (environment != null) {
            merged.putAll(environment);
        }
        return merged;
    }
}
