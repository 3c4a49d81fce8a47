package org.neuronsimulator.wheel.builder.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine resolution, the no-engine message and archive safety; none of these needs a running engine. */
class DockerEngineTest {

    @TempDir
    Path home;

    @Test
    void explicitHostWinsOverDockerHostWhichWinsOverTheContext() throws IOException {
        Map<String, String> env = Map.of("HOME", home.toString(), "DOCKER_HOST", "tcp://10.1.1.1:2375");
        assertEquals("tcp://10.1.1.1:2375", DockerEndpoint.resolve(null, env).host());
        DockerEndpoint explicit = DockerEndpoint.resolve("tcp://127.0.0.1:2375", env);
        assertEquals("tcp://127.0.0.1:2375", explicit.host());
        assertEquals("neuron.docker.host", explicit.origin());
        assertFalse(explicit.isLocalSocket());
    }

    @Test
    void theCurrentContextOfTheDockerConfigNamesTheHost() throws IOException {
        Path docker = Files.createDirectories(home.resolve(".docker"));
        Files.writeString(docker.resolve("config.json"), "{\"auths\": {}, \"currentContext\": \"builder\"}");
        Path meta = Files.createDirectories(docker.resolve("contexts/meta").resolve(sha256Hex("builder")));
        Files.writeString(meta.resolve("meta.json"), "{\"Name\":\"builder\",\"Metadata\":{},"
                + "\"Endpoints\":{\"docker\":{\"Host\":\"unix:///run/user/1000/docker.sock\",\"SkipTLSVerify\":false}}}");
        DockerEndpoint endpoint = DockerEndpoint.resolve("", Map.of("HOME", home.toString()));
        assertEquals("unix:///run/user/1000/docker.sock", endpoint.host());
        assertEquals("Docker context 'builder'", endpoint.origin());
        assertTrue(endpoint.isLocalSocket());

        IOException missing = assertThrows(IOException.class, () -> DockerEndpoint.resolve(null,
                Map.of("HOME", home.toString(), "DOCKER_CONTEXT", "gone")));
        assertTrue(missing.getMessage().contains("Docker context 'gone'"), missing::getMessage);
        assertEquals(DockerEndpoint.DEFAULT_HOST, DockerEndpoint.resolve(null,
                Map.of("HOME", home.toString(), "DOCKER_CONTEXT", "default")).host());
    }

    @Test
    void aContextKeepingCertificatesGivesATlsEndpoint() throws IOException {
        Path docker = Files.createDirectories(home.resolve(".docker"));
        Path meta = Files.createDirectories(docker.resolve("contexts/meta").resolve(sha256Hex("remote")));
        Files.writeString(meta.resolve("meta.json"), "{\"Name\":\"remote\",\"Metadata\":{},"
                + "\"Endpoints\":{\"docker\":{\"Host\":\"tcp://10.0.0.5:2376\",\"SkipTLSVerify\":false}}}");
        Path tls = Files.createDirectories(docker.resolve("contexts/tls").resolve(sha256Hex("remote")).resolve("docker"));
        for (String pem : List.of("ca.pem", "cert.pem", "key.pem")) {
            Files.writeString(tls.resolve(pem), "");
        }
        DockerEndpoint endpoint = DockerEndpoint.resolve(null, Map.of("HOME", home.toString(), "DOCKER_CONTEXT", "remote"));
        assertEquals("tcp://10.0.0.5:2376", endpoint.host());
        assertTrue(endpoint.tlsVerify());
        assertEquals(tls, endpoint.certPath());
        assertFalse(endpoint.isLocalSocket());
    }

    /** Docker names a context's folders by the SHA-256 of its name. */
    private static String sha256Hex(String text) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    @Test
    void withoutConfigTheDefaultSocketIsUsed() throws IOException {
        assertEquals(DockerEndpoint.DEFAULT_HOST, DockerEndpoint.resolve(null, Map.of("HOME", home.toString())).host());
    }

    @Test
    void noEngineGivesAMessageSayingWhatToDo() {
        // port 9 (discard) on loopback: nothing listens there, so the connection is refused at once
        DockerUnavailableException e = assertThrows(DockerUnavailableException.class,
                () -> DockerEngine.connect("tcp://127.0.0.1:9", Map.of("HOME", home.toString())));
        assertTrue(e.getMessage().startsWith("No Docker engine answers at tcp://127.0.0.1:9 (from neuron.docker.host)"),
                e::getMessage);
        assertTrue(e.getMessage().contains("dockerd"), e::getMessage);
        assertTrue(e.getMessage().contains("leaving neuron.image unset"), e::getMessage);
    }

    @Test
    void anAddressWithAnUnknownSchemeIsRefusedNamingWhereItCameFrom() {
        IOException e = assertThrows(IOException.class,
                () -> DockerEndpoint.resolve(null, Map.of("HOME", home.toString(), "DOCKER_HOST", "garbage://x")));
        assertEquals("Docker engine address 'garbage://x' (from DOCKER_HOST) is not usable: expected"
                + " unix:///path/to/docker.sock, tcp://host:port or npipe:////./pipe/name", e.getMessage());
    }

    @Test
    void anEndpointThatAcceptsButNeverAnswersFailsWithinTheDeadline() throws IOException {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // read nothing, answer nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            DockerEndpoint endpoint = DockerEndpoint.resolve("tcp://127.0.0.1:" + silent.getLocalPort(),
                    Map.of("HOME", home.toString()));
            long start = System.nanoTime();
            DockerUnavailableException e = assertThrows(DockerUnavailableException.class,
                    () -> DockerEngine.connect(endpoint, java.time.Duration.ofSeconds(2)));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 20, "took " + seconds + " s");
            assertTrue(e.getMessage().startsWith("No Docker engine answers at tcp://127.0.0.1:" + silent.getLocalPort()),
                    e::getMessage);
            for (java.net.Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void archiveEntriesThatLeaveTheTargetAreRefused() throws IOException {
        for (String name : List.of("../evil.whl", "/etc/evil.whl", "out/../../evil.whl")) {
            IOException e = assertThrows(IOException.class, () -> ContainerArchives.extractFiles(
                    new ByteArrayInputStream(tarWith(name)), home.resolve("out"), ".whl"));
            assertTrue(e.getMessage().contains(name), e::getMessage);
        }
        assertFalse(Files.exists(home.resolve("evil.whl")));
        List<Path> ok = ContainerArchives.extractFiles(new ByteArrayInputStream(tarWith("cp311/good-1.0-py3-none-any.whl")),
                home.resolve("out"), ".whl");
        assertEquals(List.of(home.resolve("out/good-1.0-py3-none-any.whl")), ok);
        assertEquals("content", Files.readString(ok.get(0)));
    }

    private static byte[] tarWith(String name) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            byte[] content = "content".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void variantsPutTheirArgumentsInPlaceOrAtTheEnd() {
        BuildVariant gpu = new BuildVariant("coreneuron-gpu", List.of("coreneuron-gpu"), Map.of());
        assertEquals(List.of("bash", "build.bash", "linux", "coreneuron-gpu", "x"),
                gpu.apply(List.of("bash", "build.bash", "linux", "{variant}", "x")));
        assertEquals(List.of("bash", "build.bash", "coreneuron-gpu"), gpu.apply(List.of("bash", "build.bash")));
        assertEquals(List.of("a", "b"), BuildVariant.NONE.apply(List.of("a", "{variant}", "b")));
    }

    @Test
    void pullPoliciesParseAndRejectUnknownWords() {
        assertEquals(PullPolicy.ALWAYS, PullPolicy.parse("Always"));
        assertEquals(PullPolicy.MISSING, PullPolicy.parse(""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PullPolicy.parse("sometimes"));
        assertTrue(e.getMessage().contains("always, missing, never"), e::getMessage);
        assertEquals("quay.io:443/pypa/img:latest", ImageReference.withDefaultTag("quay.io:443/pypa/img"));
        assertEquals("img:2024", ImageReference.withDefaultTag("img:2024"));
    }
}
