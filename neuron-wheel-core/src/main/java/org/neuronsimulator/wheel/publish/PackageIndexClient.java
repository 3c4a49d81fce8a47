package org.neuronsimulator.wheel.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.model.ProjectNames;

/**
 * Talks to one PyPI-compatible repository: the legacy upload (multipart POST, streamed from disk)
 * and the simple index (PEP 691 JSON, PEP 503 HTML) to check what landed. Redirects are never
 * followed; 5xx answers and connection faults are retried with backoff; every message it produces
 * goes through the credentials' redactor.
 */
public final class PackageIndexClient implements AutoCloseable {

    static final String SIMPLE_JSON = "application/vnd.pypi.simple.v1+json";
    private static final String ACCEPT_SIMPLE = SIMPLE_JSON
            + ", application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1";
    private static final long MAX_ANSWER = 1 << 20;
    private static final long SMALL_FILE = 8L << 20;
    private static final Pattern ANCHOR = Pattern.compile(
            "<a\\s[^>]*?href\\s*=\\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a\\s*>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final PackageRepository repository;
    private final Credentials credentials;
    private final Redactor redactor;
    private final Reporter reporter;
    private final RetryPolicy retry;
    private final OkHttpClient http;
    /** Index pages may redirect (e.g. to a canonical name); OkHttp drops Authorization on a host change. */
    private final OkHttpClient pages;
    private final String userAgent;
    private final ObjectMapper json = new ObjectMapper();
    private final UploadTimeouts timeouts;
    /** {@link System#nanoTime()} when the publication's total deadline passes. */
    private final long deadline;

    /**
     * @param credentials may be null: anonymous upload (local test indexes allow it)
     */
    public PackageIndexClient(PackageRepository repository, Credentials credentials, RetryPolicy retry,
            Duration readTimeout, Reporter reporter) {
        this(repository, credentials, retry, UploadTimeouts.withRead(readTimeout), reporter);
    }

    /** The total deadline counts from here: one client serves one publication. */
    public PackageIndexClient(PackageRepository repository, Credentials credentials, RetryPolicy retry,
            UploadTimeouts timeouts, Reporter reporter) {
        Duration readTimeout = timeouts.read();
        this.timeouts = timeouts;
        this.deadline = System.nanoTime() + timeouts.total().toNanos();
        this.repository = repository;
        this.credentials = credentials;
        this.redactor = credentials == null ? Redactor.NONE : credentials.redactor();
        this.reporter = redactor.wrap(reporter);
        this.retry = retry;
        this.http = new OkHttpClient.Builder()
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .connectTimeout(30, TimeUnit.SECONDS)
                .writeTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(timeouts.perTry().toMillis(), TimeUnit.MILLISECONDS)
                .build();
        // a GET on a connection the server closed meanwhile is safe to send again at once
        this.pages = http.newBuilder().followRedirects(true).followSslRedirects(false).retryOnConnectionFailure(true).build();
        String version = PackageIndexClient.class.getPackage().getImplementationVersion();
        this.userAgent = "neuron-wheel/" + (version == null ? "dev" : version) + " okhttp/4 Java/"
                + System.getProperty("java.version");
    }

    public PackageRepository repository() {
        return repository;
    }

    /**
     * Sends one file. Retries 5xx answers and connection faults per the retry policy; an identical
     * re-upload is harmless, so a retry after a fault that struck mid-way is safe.
     *
     * @param skipExisting accept an "already exists" answer as success
     */
    public UploadResult upload(UploadForm form, FileDigests digests, boolean skipExisting) throws UploadException {
        String file = form.filename();
        String where = repository.uploadUrl().toString();
        String lastFault = null;
        for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
            if (attempt > 1) {
                Duration wait = retry.delayAfter(attempt - 1);
                if (remaining().compareTo(wait) <= 0) {
                    throw pastDeadline(file, lastFault);
                }
                reporter.warn("retrying " + file + " in " + wait.toMillis() + " ms (try " + attempt + " of "
                        + retry.attempts() + ") after: " + lastFault);
                sleep(wait, file);
            }
            Duration left = remaining();
            if (left.isZero()) {
                throw pastDeadline(file, lastFault);
            }
            Progress progress = new Progress(file, digests.size());
            MultipartBody body = UploadBody.of(form, digests.size(), progress::sent);
            Request.Builder request = new Request.Builder()
                    .url(HttpUrl.get(repository.uploadUrl().toString()))
                    .header("User-Agent", userAgent)
                    // one connection per upload: servers in the style of pypiserver's wsgiref answer HTTP/1.0
                    // and close without saying so, and a POST on that closed connection fails with a broken pipe
                    .header("Connection", "close")
                    .post(body);
            if (credentials != null) {
                request.header("Authorization", credentials.basicAuthorization());
            }
            reporter.debug("POST " + where + " (" + contentLength(body) + " bytes, "
                    + form.fields().size() + " form fields + content)");
            long start = System.nanoTime();
            int status;
            String reason;
            String text;
            String location;
            Call call = http.newCall(request.build());
            call.timeout().timeout(Math.min(left.toMillis(), timeouts.perTry().toMillis()), TimeUnit.MILLISECONDS);
            try (Response response = call.execute()) {
                status = response.code();
                reason = response.message();
                location = response.header("Location");
                text = readLimited(response.body());
            } catch (InterruptedIOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new UploadException(UploadException.Kind.UNAVAILABLE, "upload of " + file + " interrupted", e);
                }
                lastFault = redactor.redact("timeout: " + e.getMessage() + " (read timeout " + timeouts.read().toSeconds()
                        + " s, per-try deadline " + timeouts.perTry().toSeconds() + " s)");
                continue;
            } catch (IOException e) {
                lastFault = redactor.redact("connection fault: " + e);
                continue;
            }
            long nanos = System.nanoTime() - start;
            reporter.debug("answer " + status + " " + reason + " to " + file);
            if (status >= 200 && status < 300) {
                UploadResult result = new UploadResult(file, UploadResult.Status.UPLOADED, attempt, digests.size(), nanos);
                reporter.info(String.format(Locale.ROOT, "uploaded %s (%.1f MB in %.1f s, %.1f MB/s)", file,
                        digests.size() / 1e6, nanos / 1e9, result.bytesPerSecond() / 1e6));
                return result;
            }
            String answer = redactor.redact(status + " " + reason
                    + (RepositoryAnswers.excerpt(text).isEmpty() ? "" : ": " + RepositoryAnswers.excerpt(text)));
            if (status >= 300 && status < 400) {
                throw new UploadException(UploadException.Kind.REDIRECT, redactor.redact("upload of " + file + " to " + where
                        + " was answered with a redirect (" + status + " to " + (location == null ? "nowhere" : location)
                        + "); uploads are not redirected. The repository URL is probably wrong"
                        + (where.endsWith("/") ? "" : ", most often it lacks its trailing slash: " + where + "/")));
            }
            if (RepositoryAnswers.isAlreadyExists(status, reason, text)) {
                if (attempt > 1 && sameFileListed(form.filename(), digests.sha256())) {
                    // An earlier try reached the index before its connection failed: this is our file.
                    reporter.info("uploaded " + file + " (an earlier try had landed; the index lists the same sha256)");
                    return new UploadResult(file, UploadResult.Status.UPLOADED, attempt, digests.size(), nanos);
                }
                if (skipExisting) {
                    reporter.info("skipped " + file + ": already in " + repository.name() + " (" + answer + ")");
                    return new UploadResult(file, UploadResult.Status.ALREADY_EXISTS, attempt, 0, nanos);
                }
                throw new UploadException(UploadException.Kind.ALREADY_EXISTS, file + " already exists in " + repository
                        + " (" + answer + "); a published file cannot be replaced. Enable skip-existing to accept this.");
            }
            if (status == 401 || status == 403) {
                throw new UploadException(UploadException.Kind.AUTHENTICATION, "authentication failed uploading " + file
                        + " to " + repository + ": " + answer + (answer.endsWith(".") ? " " : ". ")
                        + (credentials == null ? "No credentials were configured"
                                : "Check the password or API token of " + credentials
                                        + (credentials.isToken() ? "" : "; PyPI accepts only API tokens (user __token__)")));
            }
            if (RepositoryAnswers.isRetryable(status)) {
                lastFault = answer;
                continue;
            }
            throw new UploadException(UploadException.Kind.REJECTED, repository.name() + " refused " + file + ": " + answer);
        }
        throw new UploadException(UploadException.Kind.UNAVAILABLE, "upload of " + file + " to " + repository + " failed after "
                + retry.attempts() + " tries; last: " + lastFault);
    }

    private Duration remaining() {
        long nanos = deadline - System.nanoTime();
        return nanos <= 0 ? Duration.ZERO : Duration.ofNanos(nanos);
    }

    private UploadException pastDeadline(String file, String lastFault) {
        return new UploadException(UploadException.Kind.UNAVAILABLE, "upload of " + file + " to " + repository
                + " stopped at the publication's deadline of " + timeouts.total().toSeconds() + " s"
                + (lastFault == null ? "" : "; last: " + lastFault));
    }

    private boolean sameFileListed(String filename, String sha256) {
        String normalized = ProjectNames.normalize(filename.substring(0, filename.indexOf('-')));
        try {
            return lookup(normalized, filename).map(sha256::equals).orElse(false);
        } catch (IOException e) {
            reporter.debug("could not look " + filename + " up: " + redactor.redact(e.getMessage()));
            return false;
        }
    }

    /**
     * Whether two URLs share scheme, host and port (default ports filled in): credentials given for the
     * upload URL go to nothing else, not to another port of the same host, never from https to http.
     */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /**
     * Looks a file up on the project's simple page.
     *
     * @return its SHA-256 as the index lists it ("" when listed without one), empty when not listed
     */
    public Optional<String> lookup(String normalizedName, String filename) throws IOException {
        URI page = repository.projectPage(normalizedName);
        Request.Builder request = new Request.Builder().url(HttpUrl.get(page.toString()))
                .header("Accept", ACCEPT_SIMPLE)
                .header("User-Agent", userAgent)
                .header("Cache-Control", "max-age=0");
        if (credentials != null && sameOrigin(page, repository.uploadUrl())) {
            request.header("Authorization", credentials.basicAuthorization());
        }
        try (Response response = pages.newCall(request.build()).execute()) {
            if (response.code() == 404) {
                return Optional.empty();
            }
            String text = readLimited(response.body());
            if (!response.isSuccessful()) {
                throw new IOException(redactor.redact("index page " + page + " answered " + response.code() + " "
                        + response.message()));
            }
            String type = response.header("Content-Type", "");
            if (type.toLowerCase(Locale.ROOT).contains("json")) {
                return fromJson(text, filename, page);
            }
            return fromHtml(text, filename);
        }
    }

    private Optional<String> fromJson(String text, String filename, URI page) throws IOException {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (IOException e) {
            throw new IOException("index page " + page + " is not valid JSON: " + e.getMessage(), e);
        }
        for (JsonNode f : root.path("files")) {
            if (filename.equals(f.path("filename").asText())) {
                return Optional.of(f.path("hashes").path("sha256").asText("").toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }

    static Optional<String> fromHtml(String text, String filename) {
        Matcher m = ANCHOR.matcher(text);
        while (m.find()) {
            String href = m.group(1).replace("&amp;", "&");
            String label = m.group(2).replaceAll("<[^>]+>", "").strip();
            int hash = href.indexOf('#');
            String path = hash < 0 ? href : href.substring(0, hash);
            int query = path.indexOf('?');
            if (query >= 0) {
                path = path.substring(0, query);
            }
            String last = java.net.URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
            if (filename.equals(last) || filename.equals(label)) {
                String fragment = hash < 0 ? "" : href.substring(hash + 1);
                return Optional.of(fragment.startsWith("sha256=") ? fragment.substring(7).toLowerCase(Locale.ROOT) : "");
            }
        }
        return Optional.empty();
    }

    /**
     * Polls the index until the file is listed, with backoff, for at most {@code timeout}, then
     * compares its SHA-256.
     */
    public void verify(String normalizedName, String filename, String sha256, Duration timeout) throws UploadException {
        verify(normalizedName, filename, sha256, timeout, true);
    }

    /**
     * @param strict a different SHA-256 fails; otherwise it is only reported (for files that were
     *               already in the index before this run)
     */
    public void verify(String normalizedName, String filename, String sha256, Duration timeout, boolean strict)
            throws UploadException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration wait = Duration.ofMillis(Math.min(1000, Math.max(50, timeout.toMillis() / 20)));
        String lastProblem = "not listed";
        while (true) {
            try {
                Optional<String> listed = lookup(normalizedName, filename);
                if (listed.isPresent()) {
                    String found = listed.get();
                    if (found.isEmpty()) {
                        reporter.warn(filename + " is listed by " + repository.indexUrl() + " without a sha256 digest; its content could not be compared");
                        return;
                    }
                    if (!found.equals(sha256)) {
                        String message = filename + " is listed by " + repository.projectPage(normalizedName)
                                + " with sha256 " + found + ", but the local file has " + sha256;
                        if (strict) {
                            throw new UploadException(UploadException.Kind.VERIFICATION, message);
                        }
                        reporter.warn(message + " (it was there before this upload and was kept)");
                        return;
                    }
                    reporter.info("verified " + filename + " in " + repository.projectPage(normalizedName) + " (sha256 " + sha256 + ")");
                    return;
                }
                lastProblem = "not listed yet";
            } catch (IOException e) {
                lastProblem = redactor.redact(e.getMessage());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new UploadException(UploadException.Kind.VERIFICATION, filename + " did not show up in "
                        + repository.projectPage(normalizedName) + " within " + timeout.toSeconds() + " s (" + lastProblem + ")");
            }
            reporter.debug(filename + ": " + lastProblem + " in the index, looking again in " + wait.toMillis() + " ms");
            sleep(Duration.ofNanos(Math.min(wait.toNanos(), left)), filename);
            wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : wait.multipliedBy(2);
        }
    }

    private static String contentLength(MultipartBody body) {
        try {
            return String.valueOf(body.contentLength());
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String readLimited(ResponseBody body) throws IOException {
        if (body == null) {
            return "";
        }
        BufferedSource source = body.source();
        source.request(MAX_ANSWER);
        Buffer buffer = source.getBuffer();
        long n = Math.min(buffer.size(), MAX_ANSWER);
        return buffer.clone().readString(n, StandardCharsets.UTF_8);
    }

    private static void sleep(Duration wait, String file) throws UploadException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UploadException(UploadException.Kind.UNAVAILABLE, "interrupted while waiting on " + file, e);
        }
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** Reports progress at each tenth of the file. */
    private final class Progress {
        private final String file;
        private final long total;
        private final long start = System.nanoTime();
        private int reportedTenths;

        Progress(String file, long total) {
            this.file = file;
            this.total = total;
        }

        void sent(long bytes) {
            int tenths = total == 0 ? 10 : (int) (bytes * 10 / total);
            if (tenths > reportedTenths) {
                reportedTenths = tenths;
                double seconds = (System.nanoTime() - start) / 1e9;
                // Small files go by too fast for progress to matter.
                String line = String.format(Locale.ROOT, "  %s: %d%% (%.1f of %.1f MB, %.1f MB/s)", file, tenths * 10,
                        bytes / 1e6, total / 1e6, seconds > 0 ? bytes / 1e6 / seconds : 0);
                if (total < SMALL_FILE) {
                    reporter.debug(line);
                } else {
                    reporter.info(line);
                }
            }
        }
    }
}
