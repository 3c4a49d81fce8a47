package org.neuronsimulator.wheel.builder.container;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal image registry (Docker Registry HTTP API v2, push side only, HTTP Basic auth) on
 * 127.0.0.1, over TLS with a throw-away self-signed certificate. It stands in for a real registry
 * because none can run on this machine without network access to fetch one; the Docker engine
 * treats loopback registries as insecure ones (TLS without verification).
 */
public final class LoopbackRegistry implements AutoCloseable {

    private final HttpsServer server;
    private final String authorization;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, byte[]> uploads = new ConcurrentHashMap<>();
    /** {@code name:tag} → manifest bytes, for every manifest pushed with valid credentials. */
    public final Map<String, byte[]> manifests = new ConcurrentHashMap<>();

    public LoopbackRegistry(String user, String password, Path workDirectory) throws IOException {
        authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(selfSigned(workDirectory)));
        server = https;
        server.createContext("/v2/", this::handle);
        server.start();
    }

    private static SSLContext selfSigned(Path dir) throws IOException {
        Path store = dir.resolve("registry.p12");
        Files.deleteIfExists(store);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        ProcessResult made = ProcessRunner.of(keytool, "-genkeypair", "-alias", "registry", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "registry", "-keypass", "registry")
                .run();
        if (!made.succeeded()) {
            throw new IOException("keytool failed: " + made.tailText());
        }
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, "registry".toCharArray());
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, "registry".toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the registry's certificate", e);
        }
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Docker-Distribution-Api-Version", "registry/2.0");
            String given = exchange.getRequestHeaders().getFirst("Authorization");
            if (!authorization.equals(given)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"loopback\"");
                send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            String query = exchange.getRequestURI().getQuery();
            byte[] body = readAll(exchange.getRequestBody());
            if (path.equals("/v2/")) {
                send(exchange, 200, "{}");
            } else if (path.contains("/blobs/uploads/")) {
                upload(exchange, method, path, query, body);
            } else if (path.contains("/blobs/")) {
                String digest = path.substring(path.lastIndexOf('/') + 1);
                byte[] blob = blobs.get(digest);
                if (blob == null) {
                    send(exchange, 404, "");
                } else {
                    exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
                    exchange.getResponseHeaders().set("Content-Length", String.valueOf(blob.length));
                    exchange.sendResponseHeaders(200, -1);
                }
            } else if (path.contains("/manifests/") && method.equals("PUT")) {
                int at = path.indexOf("/manifests/");
                String name = path.substring("/v2/".length(), at);
                String tag = path.substring(at + "/manifests/".length());
                manifests.put(name + ":" + tag, body);
                String digest = digest(body);
                exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
                exchange.getResponseHeaders().set("Location", "/v2/" + name + "/manifests/" + digest);
                exchange.sendResponseHeaders(201, -1);
            } else {
                send(exchange, 404, "");
            }
        }
    }

    private void upload(HttpExchange exchange, String method, String path, String query, byte[] body) throws IOException {
        String base = path.substring(0, path.indexOf("/blobs/uploads/") + "/blobs/uploads/".length());
        String id = path.substring(base.length());
        if (method.equals("POST")) {
            id = UUID.randomUUID().toString();
            uploads.put(id, body);
            location(exchange, base + id, 0);
            exchange.sendResponseHeaders(202, -1);
        } else if (method.equals("PATCH")) {
            byte[] sofar = uploads.getOrDefault(id, new byte[0]);
            byte[] joined = new byte[sofar.length + body.length];
            System.arraycopy(sofar, 0, joined, 0, sofar.length);
            System.arraycopy(body, 0, joined, sofar.length, body.length);
            uploads.put(id, joined);
            location(exchange, base + id, joined.length);
            exchange.sendResponseHeaders(202, -1);
        } else if (method.equals("PUT")) {
            byte[] sofar = uploads.getOrDefault(id, new byte[0]);
            byte[] joined = new byte[sofar.length + body.length];
            System.arraycopy(sofar, 0, joined, 0, sofar.length);
            System.arraycopy(body, 0, joined, sofar.length, body.length);
            String digest = query == null ? "" : query.replaceAll(".*digest=([^&]*).*", "$1").replace("%3A", ":");
            if (!digest.equals(digest(joined))) {
                send(exchange, 400, "{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":\"digest mismatch\"}]}");
                return;
            }
            blobs.put(digest, joined);
            uploads.remove(id);
            exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
            exchange.getResponseHeaders().set("Location", base.replace("/uploads/", "/") + digest);
            exchange.sendResponseHeaders(201, -1);
        } else {
            send(exchange, 405, "");
        }
    }

    private static void location(HttpExchange exchange, String location, int length) {
        exchange.getResponseHeaders().set("Location", location);
        exchange.getResponseHeaders().set("Docker-Upload-UUID", location.substring(location.lastIndexOf('/') + 1));
        exchange.getResponseHeaders().set("Range", "0-" + Math.max(0, length - 1));
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    static String digest(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
