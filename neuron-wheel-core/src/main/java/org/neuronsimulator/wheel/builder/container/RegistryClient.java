package org.neuronsimulator.wheel.builder.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.Challenge;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * The part of the registry API (Docker Registry HTTP API v2, the OCI distribution spec) that a
 * multi-platform image needs beyond what the engine does: reading the manifest and platform of
 * single-platform images already pushed, and pushing a manifest list that names them, so that a pull
 * of the list's tag gets each machine its own architecture. (The engine API has no call for manifest
 * lists; {@code docker manifest} does this on the client side too.)
 *
 * <p>Authentication answers the registry's challenge: HTTP Basic, or a bearer token fetched from the
 * realm the challenge names (Docker Hub, GHCR, Quay). Like the Docker engine, registries on this
 * machine's loopback are treated as insecure: TLS without certificate checks, falling back to plain
 * HTTP; every other registry gets verified HTTPS only.
 */
public final class RegistryClient implements AutoCloseable {

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    /** The distribution spec's limit for a manifest; configs of builder images are far smaller. */
    private static final long MAX_DOCUMENT = 4L << 20;

    /** One platform's image as a manifest list names it. */
    public record Entry(ImageName image, String mediaType, String digest, long size, ImagePlatform platform) {
    }

    private final Function<ImageName, RegistryCredentials> credentials;
    private final OkHttpClient verified;
    private final OkHttpClient loopback;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> baseUrls = new HashMap<>();
    private final Map<String, String> authorizations = new HashMap<>();

    /**
     * @param credentials the user and password for a registry, or null for anonymous access
     */
    public RegistryClient(Function<ImageName, RegistryCredentials> credentials) {
        this.credentials = credentials;
        this.verified = new OkHttpClient.Builder()
                .connectTimeout(30, TimeUnit.SECONDS)
                .readTimeout(120, TimeUnit.SECONDS)
                .writeTimeout(120, TimeUnit.SECONDS)
                .retryOnConnectionFailure(true)
                .build();
        this.loopback = insecure(verified);
    }

    /** The engine does not verify loopback registries' certificates; neither do we, for those addresses only. */
    private static OkHttpClient insecure(OkHttpClient base) {
        X509TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return base.newBuilder().sslSocketFactory(context.getSocketFactory(), trustAll)
                    .hostnameVerifier((host, session) -> true).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is part of every JDK", e);
        }
    }

    /**
     * Reads a single-platform image's manifest (by tag or digest) and the platform its config records.
     *
     * @throws IllegalArgumentException when the name is already a manifest list or index
     * @throws IOException              when the registry cannot be reached or does not know the image
     */
    public Entry describe(ImageName image) throws IOException {
        Request.Builder get = new Request.Builder()
                .url(url(image, "manifests/" + image.reference()))
                .header("Accept", String.join(", ", DOCKER_MANIFEST, OCI_MANIFEST, DOCKER_LIST, OCI_INDEX));
        byte[] manifest;
        String mediaType;
        String digest;
        try (Response response = call(image, get)) {
            manifest = body(response, "reading the manifest of " + image);
            mediaType = contentType(response, manifest);
            digest = response.header("Docker-Content-Digest");
        }
        String computed = sha256(manifest);
        if (digest == null || image.isDigest()) {
            digest = computed;
        }
        if (!digest.equals(computed)) {
            throw new IOException("the registry's digest " + digest + " for " + image + " does not match its manifest ("
                    + computed + ")");
        }
        if (mediaType.equals(DOCKER_LIST) || mediaType.equals(OCI_INDEX)) {
            throw new InvalidSettingException("neuron.image.manifest", image + " is already a multi-platform manifest list; name the"
                    + " single-platform images it should list");
        }
        if (!mediaType.equals(DOCKER_MANIFEST) && !mediaType.equals(OCI_MANIFEST)) {
            throw new IOException(image + " has a manifest of type " + mediaType + ", not an image manifest ("
                    + DOCKER_MANIFEST + " or " + OCI_MANIFEST + ")");
        }
        JsonNode configDescriptor = json.readTree(manifest).path("config");
        String configDigest = configDescriptor.path("digest").asText("");
        if (configDigest.isEmpty()) {
            throw new IOException("the manifest of " + image + " names no config");
        }
        JsonNode config;
        try (Response response = call(image, new Request.Builder().url(url(image, "blobs/" + configDigest)))) {
            config = json.readTree(body(response, "reading the config of " + image));
        }
        ImagePlatform platform = new ImagePlatform(config.path("os").asText(""), config.path("architecture").asText(""),
                config.path("variant").asText(""));
        if (platform.os().isEmpty() || platform.architecture().isEmpty()) {
            throw new IOException("the config of " + image + " names no os and architecture");
        }
        return new Entry(image, mediaType, digest, manifest.length, platform);
    }

    /**
     * Pushes a manifest list (an OCI index when any entry is an OCI manifest) under the list's tag.
     *
     * @return the list's digest
     * @throws IllegalArgumentException when an entry lies in another repository than the list (a registry
     *                                  only resolves a list's entries in its own repository) or two entries
     *                                  share a platform
     */
    public String pushList(ImageName list, List<Entry> entries) throws IOException {
        if (entries.isEmpty()) {
            throw new InvalidSettingException("neuron.image.manifest", "a manifest list needs at least one image");
        }
        if (list.isDigest()) {
            throw new InvalidSettingException("neuron.image.manifest", "the manifest list " + list + " needs a tag, not a digest");
        }
        Set<String> platforms = new HashSet<>();
        boolean oci = false;
        for (Entry entry : entries) {
            if (!entry.image().registry().equals(list.registry()) || !entry.image().repository().equals(list.repository())) {
                throw new InvalidSettingException("neuron.image.manifest", "image " + entry.image() + " is not in the repository of the list "
                        + list + " (" + list.registry() + "/" + list.repository() + "): a registry resolves a list's"
                        + " entries in its own repository only; push the image there first");
            }
            if (!platforms.add(entry.platform().toString())) {
                throw new InvalidSettingException("neuron.image.manifest", "two images of the list " + list + " are " + entry.platform()
                        + "; each platform may appear once");
            }
            oci |= entry.mediaType().equals(OCI_MANIFEST);
        }
        String mediaType = oci ? OCI_INDEX : DOCKER_LIST;
        ObjectNode document = json.createObjectNode();
        document.put("schemaVersion", 2);
        document.put("mediaType", mediaType);
        ArrayNode manifests = document.putArray("manifests");
        for (Entry entry : entries) {
            ObjectNode item = manifests.addObject();
            item.put("mediaType", entry.mediaType());
            item.put("size", entry.size());
            item.put("digest", entry.digest());
            ObjectNode platform = item.putObject("platform");
            platform.put("architecture", entry.platform().architecture());
            platform.put("os", entry.platform().os());
            if (!entry.platform().variant().isEmpty()) {
                platform.put("variant", entry.platform().variant());
            }
        }
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        String digest = sha256(bytes);
        Request.Builder put = new Request.Builder()
                .url(url(list, "manifests/" + list.reference()))
                .put(RequestBody.create(bytes, MediaType.get(mediaType)));
        try (Response response = call(list, put)) {
            body(response, "pushing the manifest list " + list);
            String answered = response.header("Docker-Content-Digest");
            if (answered != null && !answered.equals(digest)) {
                throw new IOException("the registry stored the manifest list " + list + " as " + answered
                        + ", not as the pushed " + digest);
            }
        }
        return digest;
    }

    private HttpUrl url(ImageName image, String path) throws IOException {
        return HttpUrl.get(baseUrl(image) + "/v2/" + image.repository() + "/" + path);
    }

    /** {@code https://host}, or for a loopback registry that answers plain HTTP, {@code http://host}. */
    private String baseUrl(ImageName image) throws IOException {
        String base = baseUrls.get(image.registry());
        if (base != null) {
            return base;
        }
        base = "https://" + image.apiHost();
        if (image.isLoopback()) {
            // a plain-HTTP server answers a TLS greeting with an error, or not at all
            OkHttpClient probe = loopback.newBuilder().readTimeout(5, TimeUnit.SECONDS).build();
            try (Response ignored = probe.newCall(new Request.Builder().url(base + "/v2/").build()).execute()) {
                // any answer over TLS will do: authentication follows with the real requests
            } catch (SSLException | SocketTimeoutException e) {
                base = "http://" + image.apiHost();
            }
        }
        baseUrls.put(image.registry(), base);
        return base;
    }

    private Response call(ImageName image, Request.Builder builder) throws IOException {
        OkHttpClient client = image.isLoopback() ? loopback : verified;
        String known = authorizations.get(image.registry());
        if (known != null) {
            builder.header("Authorization", known);
        }
        Request request = builder.build();
        Response response = client.newCall(request).execute();
        if (response.code() != 401) {
            return response;
        }
        String authorization;
        try (response) {
            authorization = authorize(image, client, response);
        }
        if (authorization == null) {
            throw new IOException("the registry " + image.registry() + " asks for credentials and none are configured"
                    + " (neuron.image.serverId, or an auths entry of the Docker config file as 'docker login' writes it)");
        }
        authorizations.put(image.registry(), authorization);
        return client.newCall(request.newBuilder().header("Authorization", authorization).build()).execute();
    }

    /** The Authorization header that answers the challenge of a 401; null when nothing can answer it. */
    private String authorize(ImageName image, OkHttpClient client, Response unauthorized) throws IOException {
        RegistryCredentials login = credentials == null ? null : credentials.apply(image);
        for (Challenge challenge : unauthorized.challenges()) {
            String scheme = challenge.scheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("basic")) {
                return login == null ? null : Credentials.basic(login.username(), login.password(), StandardCharsets.UTF_8);
            }
            if (scheme.equals("bearer")) {
                return "Bearer " + token(image, client, challenge, login);
            }
        }
        return null;
    }

    private String token(ImageName image, OkHttpClient client, Challenge challenge, RegistryCredentials login)
            throws IOException {
        String realm = challenge.authParams().get("realm");
        HttpUrl realmUrl = realm == null ? null : HttpUrl.parse(realm);
        if (realmUrl == null) {
            throw new IOException("the registry " + image.registry() + " asks for a token but names no valid realm");
        }
        HttpUrl.Builder url = realmUrl.newBuilder();
        String service = challenge.authParams().get("service");
        if (service != null) {
            url.addQueryParameter("service", service);
        }
        String scope = challenge.authParams().get("scope");
        url.addQueryParameter("scope", scope != null ? scope : "repository:" + image.repository() + ":pull,push");
        Request.Builder request = new Request.Builder().url(url.build());
        if (login != null) {
            request.header("Authorization", Credentials.basic(login.username(), login.password(), StandardCharsets.UTF_8));
        }
        try (Response response = client.newCall(request.build()).execute()) {
            JsonNode answer = json.readTree(body(response, "getting a token from " + realmUrl.host()));
            String token = answer.path("token").asText(answer.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new IOException("the token service " + realmUrl.host() + " answered without a token");
            }
            return token;
        }
    }

    /** The body of a successful answer; otherwise an error with the registry's own error codes and messages. */
    private byte[] body(Response response, String what) throws IOException {
        ResponseBody body = response.body();
        if (body != null && body.contentLength() > MAX_DOCUMENT) {
            throw new IOException(what + ": the answer is " + body.contentLength() + " bytes, more than a manifest may be");
        }
        byte[] bytes = body == null ? new byte[0] : body.bytes();
        if (response.isSuccessful()) {
            return bytes;
        }
        StringBuilder message = new StringBuilder(what + " failed: HTTP " + response.code());
        try {
            for (JsonNode error : json.readTree(bytes).path("errors")) {
                message.append("; ").append(error.path("code").asText()).append(": ").append(error.path("message").asText());
            }
        } catch (IOException e) {
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            if (!text.isEmpty()) {
                message.append(": ").append(text, 0, Math.min(text.length(), 300));
            }
        }
        if (response.code() == 401 || response.code() == 403) {
            message.append(" (check the registry credentials: neuron.image.serverId or the Docker config file)");
        }
        throw new IOException(message.toString());
    }

    private String contentType(Response response, byte[] manifest) throws IOException {
        String header = response.header("Content-Type", "");
        String type = header.contains(";") ? header.substring(0, header.indexOf(';')).strip() : header.strip();
        if (type.isEmpty() || type.equals("application/json") || type.equals("application/octet-stream")) {
            type = json.readTree(manifest).path("mediaType").asText(OCI_MANIFEST);
        }
        return type;
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public void close() {
        verified.dispatcher().executorService().shutdown();
        verified.connectionPool().evictAll();
        loopback.connectionPool().evictAll();
    }
}
