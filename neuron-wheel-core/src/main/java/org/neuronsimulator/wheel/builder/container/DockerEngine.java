package org.neuronsimulator.wheel.builder.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.IoProblems;
import org.neuronsimulator.wheel.Reporter;

/**
 * A connection to a Docker engine through docker-java. The HTTP client has no response timeout,
 * because waiting for a build's output or an image pull can take as long as the build; callers
 * bound their waits themselves.
 */
public final class DockerEngine implements AutoCloseable {

    private final DockerEndpoint endpoint;
    private final DockerClientConfig config;
    private final DockerHttpClient http;
    private final DockerClient client;
    private final DockerClient control;
    private final String serverVersion;

    private DockerEngine(DockerEndpoint endpoint, DockerClientConfig config, DockerHttpClient http,
                         DockerClient client, DockerClient control, String serverVersion) {
        this.endpoint = endpoint;
        this.config = config;
        this.http = http;
        this.client = client;
        this.control = control;
        this.serverVersion = serverVersion;
    }

    /**
     * Connects to the engine the environment names (see {@link DockerEndpoint#resolve}).
     *
     * @throws InvalidSettingException the address or the Docker context cannot be read
     */
    public static DockerEngine connect(String explicitHost, Map<String, String> environment) throws DockerUnavailableException {
        DockerEndpoint endpoint;
        try {
            endpoint = DockerEndpoint.resolve(explicitHost, environment);
        } catch (IOException e) {
            throw new InvalidSettingException("neuron.docker.host", "cannot tell which Docker engine to use: "
                    + IoProblems.describe(e), e);
        }
        return connect(endpoint);
    }

    /**
     * @throws DockerUnavailableException when nothing answers there, saying how to start an engine or
     *                                    build without one
     */
    public static DockerEngine connect(DockerEndpoint endpoint) throws DockerUnavailableException {
        return connect(endpoint, CHECK_TIMEOUT);
    }

    /** How long the engine check waits for an answer: an endpoint that accepts and stays silent is not an engine. */
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How long a call that answers at once (inspect, create, start, kill, remove, list) may wait for the
     * engine; streams (pull, build, push, exec output, copies) have none, as a build may rightly stay silent.
     */
    public static final Duration CONTROL_TIMEOUT = Duration.ofMinutes(2);

    /**
     * As {@link #connect(DockerEndpoint)}, with the deadline for the engine check's answers. Later calls
     * have no response deadline, since a build's output stream may rightly stay silent for long.
     */
    public static DockerEngine connect(DockerEndpoint endpoint, Duration checkTimeout) throws DockerUnavailableException {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(endpoint.host())
                .withDockerTlsVerify(endpoint.tlsVerify())
                .withDockerConfig(endpoint.configDirectory().toString());
        if (endpoint.certPath() != null) {
            builder.withDockerCertPath(endpoint.certPath().toString());
        }
        DockerClientConfig config;
        try {
            config = builder.build();
        } catch (RuntimeException e) {
            throw new DockerUnavailableException("Docker engine address " + endpoint + " is not usable: "
                    + e.getMessage(), e);
        }
        DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(15))
                .build();
        DockerClient client = DockerClientImpl.getInstance(config, http);
        DockerClient check = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(checkTimeout)
                .responseTimeout(checkTimeout)
                .build());
        try (check) {
            check.pingCmd().exec();
            String version = check.versionCmd().exec().getVersion();
            DockerClient control = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost())
                    .sslConfig(config.getSSLConfig())
                    .maxConnections(16)
                    .connectionTimeout(checkTimeout)
                    .responseTimeout(CONTROL_TIMEOUT)
                    .build());
            return new DockerEngine(endpoint, config, http, client, control, version);
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
            throw new DockerUnavailableException("No Docker engine answers at " + endpoint + ": " + rootMessage(e)
                    + ". Start one (e.g. 'sudo systemctl start docker', or 'sudo dockerd &'), point DOCKER_HOST or"
                    + " neuron.docker.host at a running engine, or build on the host by leaving neuron.image unset.", e);
        }
    }

    /** The client for streams: pull, build, push, exec output, copies (no response deadline). */
    public DockerClient client() {
        return client;
    }

    /** The client for calls that answer at once, with the {@link #CONTROL_TIMEOUT} deadline. */
    public DockerClient control() {
        return control;
    }

    public DockerEndpoint endpoint() {
        return endpoint;
    }

    DockerClientConfig config() {
        return config;
    }

    public String serverVersion() {
        return serverVersion;
    }

    /** True when the image is known to the engine. */
    public boolean hasImage(String image) {
        try {
            control.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * Checks that a named network exists before any container is made for it.
     *
     * @throws IllegalArgumentException naming the network, the engine and the networks it has
     */
    public void checkNetwork(ContainerNetwork network) {
        if (!network.isNamed()) {
            return;
        }
        try {
            control.inspectNetworkCmd().withNetworkId(network.name()).exec();
        } catch (NotFoundException e) {
            java.util.List<String> known = new java.util.ArrayList<>(java.util.List.of("default"));
            try {
                control.listNetworksCmd().exec().forEach(n -> known.add(n.getName()));
            } catch (RuntimeException listing) {
                // the names are a hint only
            }
            throw new InvalidSettingException("neuron.network", "neuron.network=" + network.name() + ": the Docker engine at " + endpoint
                    + " has no network of that name (it has: " + String.join(", ", known) + "); use default, none, host,"
                    + " or create it first with 'docker network create " + network.name() + "'", e);
        }
    }

    /**
     * Makes the image available according to the policy, pulling it for the platform when asked.
     *
     * @throws IOException when the image is missing under {@link PullPolicy#NEVER} or the pull fails
     */
    public void ensureImage(String image, PullPolicy policy, String platform, Reporter reporter) throws IOException {
        boolean present = hasImage(image);
        if (policy == PullPolicy.NEVER && !present) {
            throw new IOException("image " + image + " is not present on the Docker engine at " + endpoint.host()
                    + " and neuron.pull=never forbids pulling it; build it with the image goal or 'docker pull' it");
        }
        if (policy == PullPolicy.ALWAYS || !present) {
            pull(image, platform, reporter);
        }
    }

    private void pull(String image, String platform, Reporter reporter) throws IOException {
        String reference = ImageReference.withDefaultTag(image);
        reporter.info("pulling " + reference + (platform == null ? "" : " for " + platform));
        long start = System.nanoTime();
        AtomicReference<String> error = new AtomicReference<>();
        var command = client.pullImageCmd(reference);
        if (platform != null && !platform.isBlank()) {
            command.withPlatform(platform);
        }
        var auth = config.effectiveAuthConfig(reference);
        if (auth != null) {
            command.withAuthConfig(auth);
        }
        try (StreamCallback<PullResponseItem> callback = command.exec(new StreamCallback<>() {
            @Override
            public void onNext(PullResponseItem item) {
                if (item.isErrorIndicated()) {
                    error.set(DockerEngine.errorOf(item));
                } else if (item.getStatus() != null && item.getProgressDetail() == null) {
                    reporter.debug("pull: " + (item.getId() == null ? "" : item.getId() + " ") + item.getStatus());
                }
            }
        })) {
            callback.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pulling " + reference, e);
        } catch (DockerException | DockerClientException e) {
            throw new IOException("pulling " + reference + " failed: " + rootMessage(e), e);
        }
        if (error.get() != null) {
            throw new IOException("pulling " + reference + " failed: " + error.get());
        }
        reporter.info(String.format("pulled %s in %.1f s", reference, (System.nanoTime() - start) / 1e9));
    }

    /** The message of an error item of a pull, build or push stream. */
    static String errorOf(com.github.dockerjava.api.model.ResponseItem item) {
        if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
            return item.getErrorDetail().getMessage();
        }
        return "the engine reported an error: " + item;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? e.getClass().getSimpleName() : message.strip();
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            // nothing was opened that needs reporting
        }
    }

    @Override
    public void close() throws IOException {
        try (client) {
            control.close();
        }
    }
}
