package org.neuronsimulator.wheel.builder.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Image names, and the registry client against a registry that wants bearer tokens, as Docker Hub,
 * GHCR and Quay do. No token service can run on this machine (Debian packages only the registry), so
 * a small loopback server plays registry and token realm here, over plain HTTP as loopback registries
 * may; the Basic-password path runs against the real registry in MultiPlatformImageIT.
 */
class RegistryClientTest {

    @Test
    void imageNamesSplitAsRegistriesSeeThem() {
        assertEquals(new ImageName("docker.io", "neuronsimulator/neuron_wheel", "latest-aarch64"),
                ImageName.parse("neuronsimulator/neuron_wheel:latest-aarch64"));
        assertEquals(new ImageName("docker.io", "library/debian", "latest"), ImageName.parse("debian"));
        assertEquals("registry-1.docker.io", ImageName.parse("debian:12").apiHost());
        assertEquals(new ImageName("quay.io", "pypa/manylinux2014_aarch64", "2024.01.01-1"),
                ImageName.parse("quay.io/pypa/manylinux2014_aarch64:2024.01.01-1"));
        ImageName local = ImageName.parse("127.0.0.1:5000/neuron/neuron_wheel@sha256:0123");
        assertEquals("sha256:0123", local.reference());
        assertTrue(local.isDigest() && local.isLoopback());
        assertTrue(ImageName.parse("localhost:5000/x").isLoopback());
        assertFalse(ImageName.parse("quay.io/x").isLoopback());
        assertThrows(IllegalArgumentException.class, () -> ImageName.parse("Neuron/Wheel:1"));
        assertThrows(IllegalArgumentException.class, () -> ImageName.parse("a b"));
    }

    @Test
    void aListIsPushedWithBearerTokensFetchedFromTheChallengesRealm() throws Exception {
        try (TokenRegistry registry = new TokenRegistry("builder", "hub-token")) {
            String repository = registry.address() + "/neuron/neuron_wheel";
            registry.image("neuron/neuron_wheel", "latest-x86_64", "amd64", "");
            registry.image("neuron/neuron_wheel", "latest-aarch64", "arm64", "v8");
            try (RegistryClient client = new RegistryClient(name -> new RegistryCredentials("builder", "hub-token", null))) {
                RegistryClient.Entry x86 = client.describe(ImageName.parse(repository + ":latest-x86_64"));
                RegistryClient.Entry arm = client.describe(ImageName.parse(repository + ":latest-aarch64"));
                assertEquals(ImagePlatform.parse("linux/amd64"), x86.platform());
                assertEquals(new ImagePlatform("linux", "arm64", "v8"), arm.platform());
                assertEquals(RegistryClient.DOCKER_MANIFEST, x86.mediaType());

                String digest = client.pushList(ImageName.parse(repository + ":latest"), List.of(x86, arm));

                byte[] pushed = registry.manifests.get("neuron/neuron_wheel:latest");
                assertEquals(RegistryClient.sha256(pushed), digest);
                JsonNode list = new ObjectMapper().readTree(pushed);
                assertEquals(RegistryClient.DOCKER_LIST, list.path("mediaType").asText());
                assertEquals(x86.digest(), list.path("manifests").get(0).path("digest").asText());
                assertEquals(x86.size(), list.path("manifests").get(0).path("size").asLong());
                assertEquals("v8", list.path("manifests").get(1).path("platform").path("variant").asText());
                // a pull-only token did not do for the push: a second one was asked for with push rights
                assertTrue(registry.scopes.contains("repository:neuron/neuron_wheel:pull"), registry.scopes::toString);
                assertTrue(registry.scopes.contains("repository:neuron/neuron_wheel:pull,push"), registry.scopes::toString);

                IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                        () -> client.pushList(ImageName.parse(repository + ":latest"), List.of(x86, x86)));
                assertTrue(twice.getMessage().contains("two images of the list"), twice::getMessage);
                IllegalArgumentException already = assertThrows(IllegalArgumentException.class,
                        () -> client.describe(ImageName.parse(repository + ":latest")));
                assertTrue(already.getMessage().contains("is already a multi-platform manifest list"), already::getMessage);
            }
            try (RegistryClient stranger = new RegistryClient(name -> new RegistryCredentials("builder", "wrong", null))) {
                IOException refused = assertThrows(IOException.class,
                        () -> stranger.describe(ImageName.parse(repository + ":latest-x86_64")));
                assertTrue(refused.getMessage().contains("getting a token from 127.0.0.1 failed: HTTP 401"), refused::getMessage);
                assertFalse(refused.getMessage().contains("wrong"), refused::getMessage);
            }
        }
    }

    /** Registry API and token realm in one loopback server: tokens name their scope, pushes need a push scope. */
    private static final class TokenRegistry implements AutoCloseable {
        private final HttpServer server;
        private final String login;
        final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
        private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
        final List<String> scopes = new java.util.concurrent.CopyOnWriteArrayList<>();

        TokenRegistry(String user, String password) throws IOException {
            login = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/token", this::token);
            server.createContext("/v2/", this::api);
            server.start();
        }

        String address() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        void image(String repository, String tag, String architecture, String variant) throws IOException {
            byte[] config = ("{\"architecture\":\"" + architecture + "\",\"os\":\"linux\""
                    + (variant.isEmpty() ? "" : ",\"variant\":\"" + variant + "\"") + ",\"rootfs\":{}}")
                    .getBytes(StandardCharsets.UTF_8);
            String configDigest = RegistryClient.sha256(config);
            blobs.put(configDigest, config);
            manifests.put(repository + ":" + tag, ("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.DOCKER_MANIFEST
                    + "\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":"
                    + config.length + ",\"digest\":\"" + configDigest + "\"},\"layers\":[]}").getBytes(StandardCharsets.UTF_8));
        }

        private void token(HttpExchange exchange) throws IOException {
            try (exchange) {
                if (!login.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    send(exchange, 401, "application/json", "{\"details\":\"incorrect username or password\"}");
                    return;
                }
                String query = java.net.URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
                String scope = query.replaceAll(".*scope=([^&]*).*", "$1");
                scopes.add(scope);
                send(exchange, 200, "application/json", "{\"token\":\"t:" + scope + "\"}");
            }
        }

        private void api(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String method = exchange.getRequestMethod();
                byte[] body = exchange.getRequestBody().readAllBytes();
                String repository = path.replaceAll("^/v2/(.*)/(manifests|blobs)/.*$", "$1");
                String needed = "repository:" + repository + (method.equals("PUT") ? ":pull,push" : ":pull");
                String given = exchange.getRequestHeaders().getFirst("Authorization");
                if (path.equals("/v2/") || given == null || !given.equals("Bearer t:" + needed)
                        && !(given.equals("Bearer t:repository:" + repository + ":pull,push") && method.equals("GET"))) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://" + address()
                            + "/token\",service=\"loopback\",scope=\"" + needed + "\"");
                    send(exchange, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
                    return;
                }
                String reference = path.substring(path.lastIndexOf('/') + 1);
                if (path.contains("/manifests/") && method.equals("PUT")) {
                    manifests.put(repository + ":" + reference, body);
                    exchange.getResponseHeaders().set("Docker-Content-Digest", RegistryClient.sha256(body));
                    exchange.sendResponseHeaders(201, -1);
                } else if (path.contains("/manifests/") && manifests.containsKey(repository + ":" + reference)) {
                    byte[] manifest = manifests.get(repository + ":" + reference);
                    String type = new ObjectMapper().readTree(manifest).path("mediaType").asText();
                    exchange.getResponseHeaders().set("Docker-Content-Digest", RegistryClient.sha256(manifest));
                    send(exchange, 200, type, new String(manifest, StandardCharsets.UTF_8));
                } else if (path.contains("/blobs/") && blobs.containsKey(reference)) {
                    send(exchange, 200, "application/octet-stream", new String(blobs.get(reference), StandardCharsets.UTF_8));
                } else {
                    send(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"unknown\"}]}");
                }
            }
        }

        private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
