package org.neuronsimulator.wheel.audit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The system package a library came from, as {@code dpkg -S}, {@code rpm -qf} or {@code apk info
 * --who-owns} name it.
 *
 * @param type    the package URL type: {@code deb}, {@code rpm} or {@code apk}
 * @param distro  the distribution's {@code ID} from {@code os-release} ({@code debian}, {@code almalinux}), or null
 * @param name    the package name
 * @param version the package version (for rpm {@code VERSION-RELEASE})
 */
public record ProvidingPackage(String type, String distro, String name, String version) {

    /** The package URL, e.g. {@code pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1}. */
    public String purl() {
        StringBuilder out = new StringBuilder("pkg:").append(type.toLowerCase(java.util.Locale.ROOT)).append('/');
        if (distro != null && !distro.isEmpty()) {
            out.append(quote(distro)).append('/');
        }
        return out.append(quote(name)).append('@').append(quote(version)).toString();
    }

    /** Percent-encodes everything but unreserved characters, as package URLs require. */
    public static String quote(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }
}
