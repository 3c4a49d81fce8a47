package org.neuronsimulator.wheel.publish;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.model.InvalidVersionException;
import org.neuronsimulator.wheel.model.ProjectNames;
import org.neuronsimulator.wheel.model.Version;

/**
 * The name and version a wheel is published under. A nightly is {@code <name>[-gpu]-nightly} with a
 * PEP 440 development release of the wheel's version ({@code 9.0.0} becomes
 * {@code 9.0.0.dev20261121}); a release keeps the version, which must not be a development or
 * local version, and adds only the GPU suffix.
 *
 * @param release        publish the release name and version
 * @param gpu            add {@code gpuSuffix} to the name
 * @param nightlySuffix  e.g. {@code -nightly}
 * @param gpuSuffix      e.g. {@code -gpu}
 * @param devNumber      the development number of nightly versions (a date or a build number)
 * @param nightlyVersion an explicit nightly version overriding the derived one, may be null
 */
public record PublishNaming(boolean release, boolean gpu, String nightlySuffix, String gpuSuffix, long devNumber,
        String nightlyVersion) {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);

    public PublishNaming {
        nightlySuffix = nightlySuffix == null ? "" : nightlySuffix;
        gpuSuffix = gpuSuffix == null ? "" : gpuSuffix;
        if (!release && nightlySuffix.isEmpty() && (nightlyVersion == null || nightlyVersion.isBlank()) && devNumber < 0) {
            throw new InvalidSettingException("neuron.buildNumber", "a nightly needs a development number or an explicit version");
        }
        if (nightlyVersion != null && nightlyVersion.isBlank()) {
            nightlyVersion = null;
        }
        if (nightlyVersion != null) {
            try {
                Version v = Version.parse(nightlyVersion.trim());
                if (v.hasLocal()) {
                    throw new InvalidSettingException("neuron.nightlyVersion", "nightly version " + nightlyVersion
                            + " has a local part (+...), which PyPI refuses");
                }
                nightlyVersion = v.toString();
            } catch (InvalidVersionException e) {
                throw new InvalidSettingException("neuron.nightlyVersion", "nightly version '" + nightlyVersion + "' is not a PEP 440 version: "
                        + e.getMessage(), e);
            }
        }
    }

    public static PublishNaming release(boolean gpu, String gpuSuffix) {
        return new PublishNaming(true, gpu, "", gpuSuffix, -1, null);
    }

    /** A nightly numbered by the build number, or by {@code today} ({@link #dateNumber(LocalDate)}) when it is null or blank. */
    public static PublishNaming nightly(boolean gpu, String nightlySuffix, String gpuSuffix, String buildNumber,
            String nightlyVersion, LocalDate today) {
        return nightly(gpu, nightlySuffix, gpuSuffix, buildNumber == null || buildNumber.isBlank() ? dateNumber(today)
                : buildNumber.trim(), nightlyVersion);
    }

    /**
     * @param devNumber digits: a build number or a date ({@link #dateNumber(LocalDate)})
     */
    public static PublishNaming nightly(boolean gpu, String nightlySuffix, String gpuSuffix, String devNumber,
            String nightlyVersion) {
        long number;
        try {
            number = Long.parseLong(devNumber.trim());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException("neuron.buildNumber", "the nightly build number must be digits (it becomes .devN), not '" + devNumber + "'");
        }
        if (number < 0) {
            throw new InvalidSettingException("neuron.buildNumber", "the nightly build number must not be negative: " + devNumber);
        }
        return new PublishNaming(false, gpu, nightlySuffix, gpuSuffix, number, nightlyVersion);
    }

    /** {@code 20261121} for 21 November 2026. */
    public static String dateNumber(LocalDate date) {
        return DATE.format(date);
    }

    /** The project name to publish under; suffixes already present are not added twice. */
    public String targetName(String name) {
        if (!release && !nightlySuffix.isEmpty() && endsWithNormalized(name, nightlySuffix)) {
            return name;
        }
        String result = name;
        if (gpu && !endsWithNormalized(result, gpuSuffix)) {
            result = result + gpuSuffix;
        }
        return release ? result : result + nightlySuffix;
    }

    /**
     * The version to publish.
     *
     * @throws IllegalArgumentException for a release of a development or local version
     */
    public Version targetVersion(Version version, String wheelName) {
        if (release) {
            if (version.isDevRelease() || version.hasLocal()) {
                throw new InvalidSettingException("neuron.release", (wheelName.isEmpty() ? "" : wheelName + ": ") + "version " + version + " is a "
                        + (version.isDevRelease() ? "development" : "local") + " version and cannot be released;"
                        + " publish it as a nightly or build it from a release version");
            }
            return version;
        }
        if (nightlyVersion != null) {
            return Version.parse(nightlyVersion);
        }
        return version.withoutLocal().withDevRelease(devNumber);
    }

    private static boolean endsWithNormalized(String name, String suffix) {
        if (suffix.isEmpty()) {
            return true;
        }
        return ProjectNames.normalize(name).endsWith(ProjectNames.normalize("x" + suffix).substring(1));
    }
}
