package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * A real image registry (Debian's docker-registry, the CNCF distribution registry 2.8) on 127.0.0.1,
 * over TLS with a throw-away self-signed certificate and HTTP Basic logins from an htpasswd file.
 * The Docker engine treats loopback registries as insecure ones, so it pushes and pulls without
 * trusting the certificate; tests that read the registry themselves trust exactly that certificate.
 */
final class DistributionRegistry implements AutoCloseable {

    private final Path directory;
    private final int port;
    private final Process process;

    private DistributionRegistry(Path directory, int port, Process process) {
        this.directory = directory;
        this.port = port;
        this.process = process;
    }

    /** Starts a registry in a fresh folder; fails when docker-registry or htpasswd is missing (.ci/setup.d/55-registry.sh). */
    static DistributionRegistry start(Path directory, String user, String password) throws IOException {
        for (String tool : List.of("docker-registry", "htpasswd", "openssl")) {
            assertTrue(ProcessRunner.of("sh", "-c", "command -v " + tool).run().succeeded(),
                    tool + " is missing: run .ci/setup.d/55-registry.sh");
        }
        MavenInvocation.deleteTree(directory);
        Files.createDirectories(directory.resolve("storage"));
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", directory.resolve("key.pem").toString(),
                "-out", directory.resolve("cert.pem").toString());
        ProcessResult hash = ProcessRunner.of("htpasswd", "-Bbn", user, password).run();
        assertTrue(hash.succeeded(), hash::tailText);
        Files.writeString(directory.resolve("htpasswd"), hash.tailText().strip() + "\n");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.writeString(directory.resolve("config.yml"), String.join("\n",
                "version: 0.1",
                "log:",
                "  level: warn",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + directory.resolve("storage"),
                "http:",
                "  addr: 127.0.0.1:" + port,
                "  tls:",
                "    certificate: " + directory.resolve("cert.pem"),
                "    key: " + directory.resolve("key.pem"),
                "auth:",
                "  htpasswd:",
                "    realm: neuron-wheel-test",
                "    path: " + directory.resolve("htpasswd"),
                ""));
        Process process = new ProcessBuilder("docker-registry", "serve", directory.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("registry.log").toFile()).start();
        DistributionRegistry registry = new DistributionRegistry(directory, port, process);
        registry.awaitListening();
        return registry;
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry ended: " + Files.readString(directory.resolve("registry.log")));
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (ConnectException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", interrupted);
                }
            }
        }
        close();
        throw new IOException("docker-registry does not listen on 127.0.0.1:" + port);
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** TLS that trusts this registry's certificate only. */
    SSLContext trustingItsCertificate() throws IOException {
        try (InputStream pem = Files.newInputStream(directory.resolve("cert.pem"))) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("registry", CertificateFactory.getInstance("X.509").generateCertificate(pem));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust the registry's certificate", e);
        }
    }

    private static void run(String... command) throws IOException {
        ProcessResult result = ProcessRunner.of(command).timeout(Duration.ofMinutes(1)).run();
        assertTrue(result.succeeded(), () -> String.join(" ", command) + " failed: " + result.tailText());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
