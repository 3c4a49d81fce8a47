package org.neuronsimulator.wheel.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A read-only PEP 503 simple index on 127.0.0.1 serving the wheels of one folder, the stand-in for PyPI
 * (which these machines cannot reach): {@code /simple/}, {@code /simple/<project>/} with
 * {@code #sha256=} anchors, and the files, with PyPI's cache headers (files immutable, pages for ten
 * minutes, ETags, 304 to a matching If-None-Match). Every request is logged with the Python version pip
 * reports in its User-Agent, so a test can tell which interpreter downloaded what.
 */
final class LoopbackPackageIndex implements AutoCloseable {

    /** One request: what was asked, the answer, and the asking pip's Python version ("" when not pip). */
    record Request(Instant time, String method, String path, int status, long bytes, String python) {
        boolean isFile() {
            return path.startsWith("/files/");
        }

        @Override
        public String toString() {
            return time + " " + method + " " + path + " " + status + " " + bytes + " python=" + python;
        }
    }

    private static final Pattern PIP_PYTHON = Pattern.compile("\"implementation\":\\{\"name\":\"[^\"]*\",\"version\":\"([^\"]+)\"");

    private final Map<String, List<Path>> projects = new TreeMap<>();
    private final Map<String, String> sha256 = new TreeMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    LoopbackPackageIndex(Path wheels) throws IOException {
        try (Stream<Path> files = Files.list(wheels)) {
            for (Path wheel : files.filter(f -> f.toString().endsWith(".whl")).sorted().toList()) {
                String name = wheel.getFileName().toString();
                projects.computeIfAbsent(normalize(name.substring(0, name.indexOf('-'))), k -> new ArrayList<>()).add(wheel);
                sha256.put(name, digest(wheel));
            }
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The simple index's URL, for {@code PIP_INDEX_URL}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/simple/";
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    void clearRequests() {
        requests.clear();
    }

    /** The requests as lines, for assertion messages and a saved access log. */
    String accessLog() {
        return String.join("\n", requests().stream().map(Request::toString).toList());
    }

    /**
     * Wheels of requirements (with their own requirements) taken with {@code pip download} from this machine's
     * local package index (/opt/pypi) into a folder, once; returns the folder.
     */
    static Path requirementWheels(Path folder, String... requirements) throws IOException {
        Path done = folder.resolve(".complete");
        if (Files.exists(done) && Files.readString(done).equals(String.join(" ", requirements))) {
            return folder;
        }
        MavenInvocation.deleteTree(folder);
        Files.createDirectories(folder);
        List<String> command = new ArrayList<>(List.of("python3", "-m", "pip", "download", "--isolated", "-q",
                "--only-binary=:all:", "--index-url", "file:///opt/pypi/simple", "-d", folder.toString()));
        command.addAll(List.of(requirements));
        Venv.run(command);
        Files.writeString(done, String.join(" ", requirements));
        return folder;
    }

    static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String agent = exchange.getRequestHeaders().getFirst("User-Agent");
        Matcher python = PIP_PYTHON.matcher(agent == null ? "" : agent);
        int status;
        long bytes = 0;
        try (exchange) {
            if (path.equals("/simple/") || path.equals("/simple")) {
                StringBuilder page = new StringBuilder("<!DOCTYPE html><html><body>\n");
                projects.keySet().forEach(p -> page.append("<a href=\"/simple/").append(p).append("/\">").append(p)
                        .append("</a>\n"));
                status = sendPage(exchange, page.append("</body></html>\n").toString());
                bytes = status == 200 ? page.length() : 0;
            } else if (path.startsWith("/simple/")) {
                String project = normalize(path.substring("/simple/".length()).replaceAll("/+$", ""));
                List<Path> wheels = projects.get(project);
                if (wheels == null) {
                    bytes = send(exchange, 404, "no project " + project + "\n", "max-age=600, public");
                    status = 404;
                } else {
                    StringBuilder page = new StringBuilder("<!DOCTYPE html><html><body>\n");
                    for (Path wheel : wheels) {
                        String file = wheel.getFileName().toString();
                        page.append("<a href=\"/files/").append(file).append("#sha256=").append(sha256.get(file))
                                .append("\">").append(file).append("</a>\n");
                    }
                    status = sendPage(exchange, page.append("</body></html>\n").toString());
                    bytes = status == 200 ? page.length() : 0;
                }
            } else if (path.startsWith("/files/") && sha256.containsKey(path.substring("/files/".length()))) {
                String file = path.substring("/files/".length());
                Path wheel = projects.values().stream().flatMap(List::stream)
                        .filter(w -> w.getFileName().toString().equals(file)).findFirst().orElseThrow();
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                exchange.getResponseHeaders().set("Cache-Control", "max-age=365000000, immutable, public");
                exchange.getResponseHeaders().set("ETag", "\"" + sha256.get(file) + "\"");
                bytes = Files.size(wheel);
                exchange.sendResponseHeaders(200, bytes);
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(wheel, out);
                }
                status = 200;
            } else {
                bytes = send(exchange, 404, "not found\n", "no-cache");
                status = 404;
            }
        }
        requests.add(new Request(Instant.now(), exchange.getRequestMethod(), path, status, bytes,
                python.find() ? python.group(1) : ""));
    }

    /** A simple page with its ETag, or 304 without a body when the client already has this one. */
    private static int sendPage(HttpExchange exchange, String body) throws IOException {
        String tag = "\"" + HexFormat.of().formatHex(sha256Of(body.getBytes(StandardCharsets.UTF_8))) + "\"";
        exchange.getResponseHeaders().set("ETag", tag);
        exchange.getResponseHeaders().set("Cache-Control", "max-age=600, public");
        if (tag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
            exchange.sendResponseHeaders(304, -1);
            return 304;
        }
        send(exchange, 200, body, "max-age=600, public");
        return 200;
    }

    private static byte[] sha256Of(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static long send(HttpExchange exchange, int status, String body, String cacheControl) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", cacheControl);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        return bytes.length;
    }

    private static String digest(Path file) throws IOException {
        return HexFormat.of().formatHex(sha256Of(Files.readAllBytes(file)));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
