package org.neuronsimulator.wheel.builder.container;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerConfigFile;
import com.github.dockerjava.core.DockerContextMetaFile;
import com.github.dockerjava.core.LocalDirectorySSLConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where the Docker engine is and how that was decided, in the order the {@code docker} command
 * uses: an explicit host, {@code DOCKER_HOST}, the context named by {@code DOCKER_CONTEXT} or by
 * {@code currentContext} in the Docker config file, then the default socket. The config file and
 * contexts are read by docker-java ({@code DockerConfigFile}, {@code DefaultDockerClientConfig}).
 *
 * @param host      engine address, e.g. {@code unix:///var/run/docker.sock} or {@code tcp://10.0.0.5:2376}
 * @param origin    what chose it, for messages (e.g. {@code "DOCKER_HOST"}, {@code "Docker context 'ci'"})
 * @param tlsVerify whether TLS with client certificates is used
 * @param certPath  folder with {@code ca.pem}, {@code cert.pem}, {@code key.pem}; null without TLS
 * @param configDirectory the Docker config folder ({@code DOCKER_CONFIG} or {@code ~/.docker}), whose
 *                  {@code config.json} holds registry credentials
 */
public record DockerEndpoint(String host, String origin, boolean tlsVerify, Path certPath, Path configDirectory) {

    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    public DockerEndpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(configDirectory, "configDirectory");
    }

    /** True when the engine runs on this machine behind a local socket, so host folders can be bind-mounted. */
    public boolean isLocalSocket() {
        return host.startsWith("unix://") || host.startsWith("npipe://");
    }

    /**
     * @param explicitHost    a host given by the user (wins over everything), or null/blank
     * @param environment     the process environment ({@code DOCKER_HOST}, {@code DOCKER_CONTEXT},
     *                        {@code DOCKER_CONFIG}, {@code DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH}, {@code HOME})
     * @throws IOException when a named context cannot be read
     */
    public static DockerEndpoint resolve(String explicitHost, Map<String, String> environment) throws IOException {
        boolean envTls = isTrue(environment.get("DOCKER_TLS_VERIFY"));
        Path configDir = configDirectory(environment);
        Path envCerts = environment.containsKey("DOCKER_CERT_PATH")
                ? Path.of(environment.get("DOCKER_CERT_PATH")) : configDir;
        if (explicitHost != null && !explicitHost.isBlank()) {
            return new DockerEndpoint(usable(explicitHost.trim(), "neuron.docker.host"), "neuron.docker.host", envTls,
                    envTls ? envCerts : null, configDir);
        }
        String envHost = environment.get("DOCKER_HOST");
        if (envHost != null && !envHost.isBlank()) {
            return new DockerEndpoint(usable(envHost.trim(), "DOCKER_HOST"), "DOCKER_HOST", envTls, envTls ? envCerts : null,
                    configDir);
        }
        String context = environment.get("DOCKER_CONTEXT");
        String contextOrigin = "DOCKER_CONTEXT";
        if (context == null || context.isBlank()) {
            context = currentContext(configDir.resolve("config.json"));
            contextOrigin = configDir.resolve("config.json") + " currentContext";
        }
        if (context != null && !context.isBlank() && !context.equals("default")) {
            return fromContext(configDir, context.trim(), contextOrigin);
        }
        return new DockerEndpoint(DEFAULT_HOST, "the default socket", false, null, configDir);
    }

    static Path configDirectory(Map<String, String> environment) {
        String configured = environment.get("DOCKER_CONFIG");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".docker");
    }

    private static String currentContext(Path configFile) throws IOException {
        if (!Files.isRegularFile(configFile)) {
            return null;
        }
        try {
            return DockerConfigFile.loadConfig(DockerClientConfig.getDefaultObjectMapper(), configFile.getParent().toString())
                    .getCurrentContext();
        } catch (IOException | RuntimeException e) {
            throw new IOException(configFile + " is not a readable Docker config file: " + e.getMessage(), e);
        }
    }

    /**
     * A context's engine as docker-java resolves it (host, and TLS when the context keeps certificates).
     * docker-java falls back to the default socket for a context it cannot find, so that is checked first.
     */
    private static DockerEndpoint fromContext(Path configDir, String context, String origin) throws IOException {
        Optional<DockerContextMetaFile> meta;
        try {
            meta = DockerContextMetaFile.resolveContextMetaFile(DockerClientConfig.getDefaultObjectMapper(),
                    configDir.toFile(), context);
        } catch (RuntimeException e) {
            meta = Optional.empty();
        }
        if (meta.isEmpty()) {
            throw new IOException("Docker context '" + context + "' (from " + origin + ") has no readable description under "
                    + configDir.resolve("contexts").resolve("meta") + "; list contexts with 'docker context ls'");
        }
        DockerClientConfig config;
        try {
            config = new DefaultDockerClientConfig.Builder().withDockerConfig(configDir.toString())
                    .withDockerContext(context).build();
        } catch (RuntimeException e) {
            throw new IOException("Docker context '" + context + "' (from " + origin + ") is not usable: " + e.getMessage(), e);
        }
        String host = config.getDockerHost() == null ? "" : config.getDockerHost().toString();
        if (host.isEmpty()) {
            throw new IOException("Docker context '" + context + "' (from " + origin + ") names no docker endpoint Host");
        }
        Path certs = config.getSSLConfig() instanceof LocalDirectorySSLConfig local ? Path.of(local.getDockerCertPath()) : null;
        return new DockerEndpoint(normalise(host), "Docker context '" + context + "'", certs != null, certs, configDir);
    }

    /** The address in the form docker-java takes, or an error naming where it came from and what is wrong. */
    private static String usable(String host, String origin) throws IOException {
        String address = normalise(host);
        int colon = address.indexOf("://");
        String scheme = colon < 0 ? "" : address.substring(0, colon);
        if (!Set.of("unix", "tcp", "npipe").contains(scheme) || address.length() == colon + 3) {
            throw new IOException("Docker engine address '" + host + "' (from " + origin + ") is not usable: expected"
                    + " unix:///path/to/docker.sock, tcp://host:port or npipe:////./pipe/name");
        }
        return address;
    }

    private static String normalise(String host) {
        if (host.startsWith("/")) {
            return "unix://" + host;
        }
        return host;
    }

    private static boolean isTrue(String value) {
        return value != null && !value.isBlank() && !value.equals("0") && !value.equalsIgnoreCase("false");
    }

    @Override
    public String toString() {
        return host + " (from " + origin + ")";
    }
}
