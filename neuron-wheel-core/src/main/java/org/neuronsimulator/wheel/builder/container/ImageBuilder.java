package org.neuronsimulator.wheel.builder.container;

import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.Reporter;

/**
 * Builds a builder image from a Dockerfile and context folder (for another platform too, e.g. the
 * arm64 variant under emulation), pushes its tags, and pushes multi-platform manifest lists that name
 * the single-platform images (e.g. {@code latest} for {@code latest-x86_64} and {@code latest-aarch64}).
 */
public final class ImageBuilder {

    private static final int TAIL_LINES = 40;

    /**
     * @param contextDirectory the build context sent to the engine
     * @param dockerfile       the Dockerfile (inside the context folder)
     * @param buildArguments   {@code --build-arg} values, e.g. {@code MANYLINUX_IMAGE=manylinux2014_aarch64}
     * @param tags             full image names with tags, e.g. {@code neuronsimulator/neuron_wheel:latest-aarch64}
     * @param platform         target platform, or null for the engine's
     * @param pull             always pull a newer base image
     * @param noCache          build without the layer cache
     * @param networkMode      network for RUN steps (e.g. {@code none}, {@code host}); null for the engine's default
     */
    public record Request(Path contextDirectory, Path dockerfile, Map<String, String> buildArguments, List<String> tags,
                          String platform, boolean pull, boolean noCache, String networkMode) {

        public Request {
            Objects.requireNonNull(contextDirectory, "contextDirectory");
            Objects.requireNonNull(dockerfile, "dockerfile");
            buildArguments = Map.copyOf(new LinkedHashMap<>(buildArguments));
            tags = List.copyOf(tags);
        }
    }

    private final DockerEngine engine;
    private final Reporter reporter;

    public ImageBuilder(DockerEngine engine, Reporter reporter) {
        this.engine = engine;
        this.reporter = reporter;
    }

    /**
     * Builds the image, streaming the engine's progress to the reporter.
     *
     * @return the image id ({@code sha256:...})
     * @throws IllegalArgumentException when the context, Dockerfile or tags are unusable
     * @throws IOException              when the build fails (with the last lines of its output)
     */
    public String build(Request request) throws IOException {
        Path context = request.contextDirectory().toAbsolutePath().normalize();
        Path dockerfile = request.dockerfile().toAbsolutePath().normalize();
        if (!Files.isDirectory(context)) {
            throw new InvalidSettingException("neuron.image.context", "image context folder " + context + " does not exist");
        }
        if (!Files.isRegularFile(dockerfile)) {
            throw new InvalidSettingException("neuron.image.dockerfile", "Dockerfile " + dockerfile + " does not exist");
        }
        if (!dockerfile.startsWith(context)) {
            throw new InvalidSettingException("neuron.image.dockerfile", "Dockerfile " + dockerfile + " must lie inside the context folder " + context);
        }
        if (request.tags().isEmpty()) {
            throw new InvalidSettingException("neuron.image.tags", "no image tag given (e.g. neuronsimulator/neuron_wheel:latest-x86_64)");
        }
        for (String tag : request.tags()) {
            if (tag.isBlank() || tag.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidSettingException("neuron.image.tags", "image tag '" + tag + "' is not a valid image name");
            }
        }
        ImagePlatform platform = request.platform() == null || request.platform().isBlank() ? null
                : ImagePlatform.parse(request.platform());
        if (platform != null) {
            ImagePlatform.requireRunnable(engine, platform, "the image is built for " + platform, reporter);
        }
        reporter.info("building image " + String.join(", ", request.tags()) + " from " + dockerfile
                + (request.buildArguments().isEmpty() ? "" : " with " + String.join(" ", request.buildArguments().keySet())));
        BuildImageCmd command = engine.client().buildImageCmd()
                .withBaseDirectory(context.toFile())
                .withDockerfile(dockerfile.toFile())
                .withTags(new LinkedHashSet<>(request.tags()))
                .withPull(request.pull())
                .withNoCache(request.noCache())
                .withRemove(true)
                .withForcerm(true);
        request.buildArguments().forEach(command::withBuildArg);
        if (request.platform() != null && !request.platform().isBlank()) {
            command.withPlatform(request.platform());
        }
        if (request.networkMode() != null && !request.networkMode().isBlank()) {
            command.withNetworkMode(request.networkMode());
        }
        long start = System.nanoTime();
        Deque<String> tail = new ArrayDeque<>();
        AtomicReference<String> error = new AtomicReference<>();
        AtomicReference<String> imageId = new AtomicReference<>();
        try (StreamCallback<BuildResponseItem> callback = command.exec(new StreamCallback<>() {
            @Override
            public void onNext(BuildResponseItem item) {
                if (item.isBuildSuccessIndicated()) {
                    imageId.set(item.getImageId());
                }
                if (item.isErrorIndicated()) {
                    error.set(DockerEngine.errorOf(item));
                }
                String stream = item.getStream();
                if (stream != null) {
                    for (String line : stream.split("\\R")) {
                        if (!line.isBlank()) {
                            synchronized (tail) {
                                if (tail.size() == TAIL_LINES) {
                                    tail.removeFirst();
                                }
                                tail.addLast(line);
                            }
                            reporter.info("[image] " + line);
                        }
                    }
                } else if (item.getStatus() != null && item.getProgressDetail() == null) {
                    reporter.info("[image] " + item.getStatus());
                }
            }
        })) {
            callback.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building image " + request.tags().get(0), e);
        } catch (DockerException | DockerClientException e) {
            throw new IOException("image build failed: " + DockerEngine.rootMessage(e) + lastLines(tail), e);
        }
        if (error.get() != null || imageId.get() == null) {
            throw new IOException("image build failed: " + (error.get() == null ? "the engine reported no image" : error.get())
                    + lastLines(tail));
        }
        // the stream carries a short id; the engine knows the full one
        String id = engine.control().inspectImageCmd(request.tags().get(0)).exec().getId();
        ImagePlatform built = ImagePlatform.of(engine, request.tags().get(0));
        if (platform != null && !platform.matches(built)) {
            throw new IOException("the image " + request.tags().get(0) + " was built as " + built + ", not as the requested "
                    + platform + " (does the Dockerfile's FROM image exist for " + platform + "?)");
        }
        reporter.info(String.format("built image %s (%s, %s) in %.1f s", String.join(", ", request.tags()), id, built,
                (System.nanoTime() - start) / 1e9));
        return id;
    }

    private static String lastLines(Deque<String> tail) {
        synchronized (tail) {
            return tail.isEmpty() ? "" : System.lineSeparator() + "--- last lines of the image build ---"
                    + System.lineSeparator() + String.join(System.lineSeparator(), new ArrayList<>(tail));
        }
    }

    /**
     * Pushes one tag. Without explicit credentials those of the Docker config file
     * ({@code ~/.docker/config.json} {@code auths}) for the image's registry are used.
     */
    public void push(String image, RegistryCredentials credentials) throws IOException {
        String reference = ImageReference.withDefaultTag(image);
        int colon = reference.lastIndexOf(':');
        String name = reference.substring(0, colon);
        String tag = reference.substring(colon + 1);
        AuthConfig auth;
        if (credentials != null) {
            auth = new AuthConfig().withUsername(credentials.username()).withPassword(credentials.password());
            if (credentials.registry() != null) {
                auth.withRegistryAddress(credentials.registry());
            }
        } else {
            auth = engine.config().effectiveAuthConfig(reference);
        }
        reporter.info("pushing " + reference + (credentials == null ? "" : " as " + credentials.username()));
        AtomicReference<String> error = new AtomicReference<>();
        var command = engine.client().pushImageCmd(name).withTag(tag);
        if (auth != null) {
            command.withAuthConfig(auth);
        }
        long start = System.nanoTime();
        try (StreamCallback<PushResponseItem> callback = command.exec(new StreamCallback<>() {
            @Override
            public void onNext(PushResponseItem item) {
                if (item.isErrorIndicated()) {
                    error.set(DockerEngine.errorOf(item));
                } else if (item.getStatus() != null && item.getProgressDetail() == null) {
                    reporter.info("[push] " + (item.getId() == null ? "" : item.getId() + ": ") + item.getStatus());
                }
            }
        })) {
            callback.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pushing " + reference, e);
        } catch (DockerException | DockerClientException e) {
            throw new IOException("pushing " + reference + " failed: " + DockerEngine.rootMessage(e), e);
        }
        if (error.get() != null) {
            throw new IOException("pushing " + reference + " failed: " + error.get());
        }
        reporter.info(String.format("pushed %s in %.1f s", reference, (System.nanoTime() - start) / 1e9));
    }

    /**
     * Pushes a manifest list under {@code list} naming single-platform images already in the same
     * repository (each read back from the registry with its platform), so that pulling the list gets
     * every machine its own architecture.
     *
     * @param credentials for the registry; null: those of the Docker config file, else anonymous
     * @return the list's digest
     * @throws IllegalArgumentException when a name is malformed, an image lies in another repository, two
     *                                  images share a platform or one is a list itself
     * @throws IOException              when the registry refuses or does not know an image
     */
    public String pushManifestList(String list, List<String> images, RegistryCredentials credentials) throws IOException {
        ImageName listName = ImageName.parse(list);
        if (images.isEmpty()) {
            throw new InvalidSettingException("neuron.image.manifestImages", "the manifest list " + list + " names no images"
                    + " (neuron.image.manifestImages, e.g. " + listName.withReference("latest-x86_64") + ","
                    + listName.withReference("latest-aarch64") + ")");
        }
        long start = System.nanoTime();
        try (RegistryClient registry = new RegistryClient(name -> credentials != null ? credentials : configured(name))) {
            List<RegistryClient.Entry> entries = new ArrayList<>();
            for (String image : images) {
                RegistryClient.Entry entry = registry.describe(ImageName.parse(image));
                reporter.info("manifest list " + list + ": " + entry.platform() + " is " + image + " (" + entry.digest() + ")");
                entries.add(entry);
            }
            String digest = registry.pushList(listName, entries);
            reporter.info(String.format("pushed manifest list %s (%s) of %d platform(s) in %.1f s", list, digest,
                    entries.size(), (System.nanoTime() - start) / 1e9));
            return digest;
        }
    }

    /** The Docker config file's login for the image's registry, or null. */
    private RegistryCredentials configured(ImageName name) {
        AuthConfig auth = engine.config().effectiveAuthConfig(name.toString());
        if (auth == null) {
            return null;
        }
        String user = auth.getUsername();
        String password = auth.getPassword();
        if ((user == null || password == null) && auth.getAuth() != null) {
            String decoded = new String(java.util.Base64.getDecoder().decode(auth.getAuth().strip()),
                    java.nio.charset.StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                user = decoded.substring(0, colon);
                password = decoded.substring(colon + 1);
            }
        }
        return user == null || password == null ? null : new RegistryCredentials(user, password, name.registry());
    }
}
