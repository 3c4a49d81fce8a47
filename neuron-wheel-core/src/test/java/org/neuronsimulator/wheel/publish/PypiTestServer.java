package org.neuronsimulator.wheel.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.MediaType;
import okhttp3.MultipartReader;
import okio.Okio;

/**
 * A PyPI-compatible index on 127.0.0.1 for tests and benchmarks: the legacy upload (multipart
 * streamed to disk), HTTP Basic auth, the "already exists" answers of several index products,
 * injected 5xx answers, the simple index as PEP 691 JSON and PEP 503 HTML, and file downloads.
 * It stands in for PyPI, which cannot be reached from here; twine and pip talk to it as to PyPI.
 */
public final class PypiTestServer implements AutoCloseable {

    /** Which product's answer to a duplicate upload to give. */
    public enum Flavour { PYPI, PYPISERVER, NEXUS, ARTIFACTORY, GITLAB, OVERWRITE }

    /** One upload as received: its form fields in order (the file part by its filename). */
    public record RecordedUpload(List<UploadForm.Field> fields, String userAgent, String contentFilename, long contentLength,
            String sha256, int status) {

        public Map<String, List<String>> byName() {
            Map<String, List<String>> map = new LinkedHashMap<>();
            for (UploadForm.Field f : fields) {
                map.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(f.value());
            }
            return map;
        }
    }

    private record StoredFile(String filename, String sha256, Path path) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Path storage;
    private final Map<String, String> users = new LinkedHashMap<>();
    private final Deque<Integer> injected = new ArrayDeque<>();
    private final Deque<Integer> injectedAfterStore = new ArrayDeque<>();
    private final List<RecordedUpload> uploads = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Map<String, StoredFile>> projects = new TreeMap<>();
    private final ObjectMapper json = new ObjectMapper();
    private volatile Flavour flavour = Flavour.PYPI;
    private volatile boolean jsonIndex = true;
    private volatile boolean anonymousAnswers401;
    private volatile int hiddenLookups;

    public PypiTestServer(Path storage) throws IOException {
        this.storage = Files.createDirectories(storage);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        this.executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String uploadUrl() {
        return base() + "/legacy/";
    }

    public String indexUrl() {
        return base() + "/simple/";
    }

    public PypiTestServer user(String name, String password) {
        users.put(name, password);
        return this;
    }

    public PypiTestServer flavour(Flavour f) {
        this.flavour = f;
        return this;
    }

    /** Only HTML pages, as a PEP 503 index without PEP 691 support. */
    public PypiTestServer htmlOnly() {
        this.jsonIndex = false;
        return this;
    }

    /** pypiserver answers 401 to a request without credentials; PyPI answers 403. */
    public PypiTestServer anonymousAnswers401() {
        this.anonymousAnswers401 = true;
        return this;
    }

    /** The next uploads get these statuses (their bodies are read first), one each. */
    public synchronized PypiTestServer inject(int... statuses) {
        for (int s : statuses) {
            injected.add(s);
        }
        return this;
    }

    /** The next successful uploads are kept, but answered with these statuses (a gateway failing late). */
    public synchronized PypiTestServer injectAfterStore(int... statuses) {
        for (int s : statuses) {
            injectedAfterStore.add(s);
        }
        return this;
    }

    /** The next {@code n} project page requests act as if new files were not listed yet (index caching). */
    public PypiTestServer hideFromNextLookups(int n) {
        this.hiddenLookups = n;
        return this;
    }

    public List<RecordedUpload> uploads() {
        synchronized (uploads) {
            return List.copyOf(uploads);
        }
    }

    public synchronized Map<String, List<String>> listing() {
        Map<String, List<String>> out = new TreeMap<>();
        projects.forEach((k, v) -> out.put(k, List.copyOf(v.keySet())));
        return out;
    }

    public static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && (path.equals("/legacy/") || path.equals("/"))) {
                upload(exchange);
            } else if (path.equals("/legacy")) {
                drain(exchange.getRequestBody());
                exchange.getResponseHeaders().add("Location", base() + "/legacy/");
                answer(exchange, 301, "text/plain", "Moved Permanently");
            } else if (method.equals("GET") && path.startsWith("/simple/")) {
                simple(exchange, path.substring("/simple/".length()));
            } else if (method.equals("GET") && path.startsWith("/packages/")) {
                download(exchange, URLDecoder.decode(path.substring("/packages/".length()), StandardCharsets.UTF_8));
            } else {
                drain(exchange.getRequestBody());
                answer(exchange, 404, "text/plain", "Not Found");
            }
        } catch (RuntimeException | IOException e) {
            // A test that sees no answer would only time out; print why the server failed.
            e.printStackTrace();
            throw e;
        }
    }

    private void upload(HttpExchange exchange) throws IOException {
        String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
        Integer status;
        synchronized (this) {
            status = injected.poll();
        }
        if (status != null) {
            drain(exchange.getRequestBody());
            answer(exchange, status, "text/plain", status + " injected failure");
            return;
        }
        String auth = checkAuth(exchange.getRequestHeaders().getFirst("Authorization"));
        if (auth != null) {
            drain(exchange.getRequestBody());
            int code = auth.equals("anonymous") && anonymousAnswers401 ? 401 : 403;
            if (code == 401) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"pypi\"");
            }
            answer(exchange, code, "text/plain", code == 401 ? "Unauthorized" : "Invalid or non-existent authentication information.");
            return;
        }
        List<UploadForm.Field> fields = new ArrayList<>();
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        MediaType type = contentType == null ? null : MediaType.parse(contentType);
        String boundary = type == null ? null : type.parameter("boundary");
        if (boundary == null || !"multipart".equals(type.type())) {
            drain(exchange.getRequestBody());
            answer(exchange, 400, "text/plain", "400 Bad Request: not multipart/form-data: " + contentType);
            return;
        }
        Path received = Files.createTempFile(storage, "upload", ".part");
        String contentFilename = null;
        long contentLength = -1;
        String sha256 = null;
        try (MultipartReader multipart = new MultipartReader(Okio.buffer(Okio.source(exchange.getRequestBody())), boundary)) {
            MultipartReader.Part next;
            while ((next = multipart.nextPart()) != null) {
                try (MultipartReader.Part part = next) {
                    String disposition = part.headers().get("Content-Disposition");
                    String name = dispositionParameter(disposition, "name");
                    String filename = dispositionParameter(disposition, "filename");
                    if (filename != null) {
                        contentFilename = filename;
                        MessageDigest digest = sha256();
                        // buffered: the part body comes in 8 KiB segments
                        try (OutputStream out = new DigestOutputStream(
                                new BufferedOutputStream(Files.newOutputStream(received), 1 << 17), digest)) {
                            contentLength = part.body().readAll(Okio.sink(out));
                        }
                        sha256 = HexFormat.of().formatHex(digest.digest());
                        fields.add(new UploadForm.Field(name, "<file " + contentFilename + ">"));
                    } else {
                        fields.add(new UploadForm.Field(name, part.body().readUtf8()));
                    }
                }
            }
            drain(exchange.getRequestBody());
            Answer answer = store(fields, contentFilename, sha256, received);
            // recorded before the client hears the answer, so a test sees every upload its client finished
            uploads.add(new RecordedUpload(List.copyOf(fields), userAgent, contentFilename, contentLength, sha256,
                    answer.status()));
            answer(exchange, answer.status(), answer.contentType(), answer.text());
        } finally {
            Files.deleteIfExists(received);
        }
    }

    /** What the index answers an upload. */
    private record Answer(int status, String contentType, String text) {
    }

    /** A parameter of a part's Content-Disposition header ({@code form-data; name="x"; filename="y"}), unquoted. */
    private static String dispositionParameter(String disposition, String key) {
        if (disposition == null) {
            return null;
        }
        for (String piece : disposition.split(";")) {
            String p = piece.strip();
            if (p.startsWith(key + "=")) {
                String v = p.substring(key.length() + 1);
                return v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    private Answer store(List<UploadForm.Field> fields, String filename, String sha256, Path received)
            throws IOException {
        String name = null;
        String sentSha = null;
        for (UploadForm.Field f : fields) {
            if (f.name().equals("name") && name == null) {
                name = f.value();
            }
            if (f.name().equals("sha256_digest")) {
                sentSha = f.value();
            }
        }
        if (name == null || filename == null || filename.contains("/")) {
            return new Answer(400, "text/plain", "400 Bad Request: missing name or content");
        }
        if (sentSha != null && !sentSha.equals(sha256)) {
            return new Answer(400, "text/plain", "400 The digest supplied does not match a digest calculated from the uploaded file.");
        }
        String project = normalize(name);
        synchronized (this) {
            StoredFile existing = projects.getOrDefault(project, Map.of()).get(filename);
            if (existing != null && flavour != Flavour.OVERWRITE) {
                if (flavour == Flavour.PYPI && existing.sha256().equals(sha256)) {
                    return new Answer(200, "text/plain", "OK");
                }
                return duplicate(filename, project);
            }
            Path target = storage.resolve(filename);
            Files.move(received, target, StandardCopyOption.REPLACE_EXISTING);
            projects.computeIfAbsent(project, k -> new TreeMap<>()).put(filename, new StoredFile(filename, sha256, target));
        }
        Integer late;
        synchronized (this) {
            late = injectedAfterStore.poll();
        }
        if (late != null) {
            return new Answer(late, "text/plain", late + " injected failure after the file was stored");
        }
        return new Answer(200, "text/plain", "OK");
    }

    private Answer duplicate(String filename, String project) {
        switch (flavour) {
            case PYPI -> {
                return new Answer(400, "text/plain", "400 File already exists ('" + filename
                        + "', with blake2_256 hash 'x'). See https://pypi.org/help/#file-name-reuse for more information.");
            }
            case PYPISERVER -> {
                return new Answer(409, "text/html", "<html><body>Package '" + filename + "' already exists!</body></html>");
            }
            case NEXUS -> {
                return new Answer(400, "text/plain", "Repository does not allow updating assets: pypi-hosted");
            }
            case ARTIFACTORY -> {
                return new Answer(403, "application/json", "{\"errors\":[{\"status\":403,\"message\":\"Not enough permissions to overwrite artifact 'pypi-local:"
                        + project + "/" + filename + "' (user 'uploader' needs DELETE permission).\"}]}");
            }
            case GITLAB -> {
                return new Answer(400, "application/json", "{\"message\":\"400 Bad request - File name has already been taken\"}");
            }
            default -> throw new IllegalStateException(flavour.toString());
        }
    }

    /** Null when allowed; otherwise "anonymous" or "wrong". */
    private String checkAuth(String header) {
        if (users.isEmpty()) {
            return null;
        }
        if (header == null || !header.startsWith("Basic ")) {
            return "anonymous";
        }
        String pair = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        if (colon < 0) {
            return "wrong";
        }
        String expected = users.get(pair.substring(0, colon));
        return expected != null && expected.equals(pair.substring(colon + 1)) ? null : "wrong";
    }

    private void simple(HttpExchange exchange, String rest) throws IOException {
        String project = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        boolean wantsJson = jsonIndex && accept != null && accept.contains("application/vnd.pypi.simple.v1+json");
        List<StoredFile> files;
        synchronized (this) {
            Map<String, StoredFile> stored = projects.get(normalize(project));
            if (stored == null || hiddenLookups > 0) {
                if (hiddenLookups > 0) {
                    hiddenLookups--;
                }
                answer(exchange, 404, "text/plain", "Not Found");
                return;
            }
            files = List.copyOf(stored.values());
        }
        if (!normalize(project).equals(project)) {
            exchange.getResponseHeaders().add("Location", base() + "/simple/" + normalize(project) + "/");
            answer(exchange, 301, "text/plain", "Moved Permanently");
            return;
        }
        if (wantsJson) {
            ObjectNode root = json.createObjectNode();
            root.putObject("meta").put("api-version", "1.0");
            root.put("name", project);
            ArrayNode list = root.putArray("files");
            for (StoredFile f : files) {
                ObjectNode node = list.addObject();
                node.put("filename", f.filename());
                node.put("url", "../../packages/" + f.filename());
                node.putObject("hashes").put("sha256", f.sha256());
            }
            answer(exchange, 200, PackageIndexClient.SIMPLE_JSON, json.writeValueAsString(root));
        } else {
            StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><title>Links for ").append(project)
                    .append("</title></head><body><h1>Links for ").append(project).append("</h1>\n");
            for (StoredFile f : files) {
                html.append("<a href=\"../../packages/").append(f.filename()).append("#sha256=").append(f.sha256())
                        .append("\">").append(f.filename()).append("</a><br/>\n");
            }
            answer(exchange, 200, "text/html; charset=utf-8", html.append("</body></html>\n").toString());
        }
    }

    private void download(HttpExchange exchange, String filename) throws IOException {
        StoredFile file = null;
        synchronized (this) {
            for (Map<String, StoredFile> files : projects.values()) {
                file = file == null ? files.get(filename) : file;
            }
        }
        if (file == null) {
            answer(exchange, 404, "text/plain", "Not Found");
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, Files.size(file.path()));
        try (OutputStream out = exchange.getResponseBody()) {
            Files.copy(file.path(), out);
        }
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] skip = new byte[1 << 16];
        while (in.read(skip) >= 0) {
            // discard
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * Runs the index until killed, for benchmark scripts: {@code PypiTestServer STORAGE_DIR PORT_FILE}
     * writes the port to PORT_FILE; uploads may overwrite so two clients can send the same file.
     */
    public static void main(String[] args) throws Exception {
        PypiTestServer server = new PypiTestServer(Path.of(args[0])).flavour(Flavour.OVERWRITE);
        Files.writeString(Path.of(args[1]), Integer.toString(server.server.getAddress().getPort()));
        Thread.currentThread().join();
    }
}
