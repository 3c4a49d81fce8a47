package org.neuronsimulator.wheel.publish;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * Where wheels go: the legacy upload URL and the simple index that shows what landed.
 *
 * @param name      alias or a name for messages and for {@code .pypirc} look-up
 * @param uploadUrl the legacy upload endpoint (the trailing slash matters)
 * @param indexUrl  the simple index root, ending in {@code /}
 */
public record PackageRepository(String name, URI uploadUrl, URI indexUrl) {

    public static final PackageRepository PYPI = new PackageRepository("pypi",
            URI.create("https://upload.pypi.org/legacy/"), URI.create("https://pypi.org/simple/"));
    public static final PackageRepository TESTPYPI = new PackageRepository("testpypi",
            URI.create("https://test.pypi.org/legacy/"), URI.create("https://test.pypi.org/simple/"));

    public PackageRepository {
        Objects.requireNonNull(name, "name");
        checkHttp(uploadUrl, "upload URL");
        checkHttp(indexUrl, "index URL");
        if (!indexUrl.getPath().endsWith("/")) {
            indexUrl = URI.create(indexUrl + "/");
        }
    }

    /**
     * Picks the repository from an alias ({@code pypi}, {@code testpypi}, or a name that only
     * labels {@code url}), an explicit upload URL and an optional index URL. An explicit URL wins
     * over the alias's URL; the index of a URL ending in {@code /legacy/} is the sibling
     * {@code /simple/}, otherwise {@code simple/} below the URL.
     */
    public static PackageRepository resolve(String alias, String url, String indexUrl) {
        String name = blank(alias) ? null : alias.trim();
        PackageRepository known = name == null ? null : switch (name.toLowerCase(Locale.ROOT)) {
            case "pypi" -> PYPI;
            case "testpypi" -> TESTPYPI;
            default -> null;
        };
        if (blank(url)) {
            if (known == null) {
                if (name == null) {
                    known = PYPI;
                } else {
                    throw new InvalidSettingException("neuron.repository", "unknown repository '" + name
                            + "': use pypi, testpypi, or give its upload URL (neuron.repositoryUrl)");
                }
            }
            return blank(indexUrl) ? known : new PackageRepository(known.name, known.uploadUrl, parse(indexUrl, "index URL"));
        }
        URI upload = parse(url.trim(), "repository URL");
        URI index;
        if (!blank(indexUrl)) {
            index = parse(indexUrl.trim(), "index URL");
        } else if (known != null && known.uploadUrl.equals(upload)) {
            index = known.indexUrl;
        } else {
            index = defaultIndexFor(upload);
        }
        // A public alias left at its default while another URL is given must not label that URL.
        boolean aliasOfOtherUrl = known != null && !known.uploadUrl.equals(upload);
        return new PackageRepository(name == null || aliasOfOtherUrl ? upload.getAuthority() : name, upload, index);
    }

    private static URI defaultIndexFor(URI upload) {
        String path = upload.getPath() == null || upload.getPath().isEmpty() ? "/" : upload.getPath();
        if (path.endsWith("/legacy/") || path.endsWith("/legacy")) {
            path = path.substring(0, path.lastIndexOf("/legacy")) + "/simple/";
        } else {
            path = (path.endsWith("/") ? path : path + "/") + "simple/";
        }
        try {
            return new URI(upload.getScheme(), null, upload.getHost(), upload.getPort(), path, null, null);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException("neuron.repository", "cannot derive the index URL from " + upload + ": " + e.getMessage(), e);
        }
    }

    /** The simple page of one project (PEP 503 normalised name). */
    public URI projectPage(String normalizedName) {
        return indexUrl.resolve(normalizedName + "/");
    }

    private static URI parse(String text, String what) {
        try {
            URI uri = new URI(text);
            checkHttp(uri, what);
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(what, "invalid " + what + " '" + text + "': " + e.getMessage(), e);
        }
    }

    private static void checkHttp(URI uri, String what) {
        Objects.requireNonNull(uri, what);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new InvalidSettingException(what, "invalid " + what + " '" + uri + "': an http(s) URL with a host is needed");
        }
        if (uri.getUserInfo() != null) {
            throw new InvalidSettingException(what, "invalid " + what
                    + ": credentials in the URL are not accepted, give them through settings.xml, TWINE_USERNAME/TWINE_PASSWORD or .pypirc");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        return name + " (" + uploadUrl + ")";
    }
}
