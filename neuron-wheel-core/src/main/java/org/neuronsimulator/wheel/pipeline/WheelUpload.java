package org.neuronsimulator.wheel.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.IoProblems;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.publish.CredentialResolver;
import org.neuronsimulator.wheel.publish.Credentials;
import org.neuronsimulator.wheel.publish.PackageRepository;
import org.neuronsimulator.wheel.publish.PublishNaming;
import org.neuronsimulator.wheel.publish.PublishRequest;
import org.neuronsimulator.wheel.publish.Redactor;
import org.neuronsimulator.wheel.publish.RetryPolicy;
import org.neuronsimulator.wheel.publish.Secret;
import org.neuronsimulator.wheel.publish.UploadException;
import org.neuronsimulator.wheel.publish.UploadResult;
import org.neuronsimulator.wheel.publish.UploadTimeouts;
import org.neuronsimulator.wheel.publish.WheelPublisher;

/**
 * Publishes a wheelhouse to a package index under the chosen naming, with credentials given explicitly (e.g. from a
 * settings file), else from TWINE_USERNAME/TWINE_PASSWORD or {@code .pypirc}. Every message it reports or throws has the
 * credentials' values redacted, and thrown exceptions carry no cause that could hold them.
 */
public final class WheelUpload {

    /** What an upload needs. */
    public static final class Settings {
        final Path wheelhouse;
        final Path stagingDirectory;
        final PublishNaming naming;
        String repository = "pypi";
        String repositoryUrl;
        String indexUrl;
        String username;
        Secret password;
        String credentialSource;
        boolean skipExisting;
        boolean dryRun;
        boolean offline;
        Duration verifyTimeout = Duration.ofSeconds(300);
        long maxFileSize = PublishRequest.PYPI_MAX_FILE_SIZE;
        int attempts = 5;
        UploadTimeouts timeouts = UploadTimeouts.withRead(Duration.ofSeconds(600));

        /** The wheels' folder, where renamed copies are written, and the naming (release or nightly). */
        public Settings(Path wheelhouse, Path stagingDirectory, PublishNaming naming) {
            this.wheelhouse = wheelhouse;
            this.stagingDirectory = stagingDirectory;
            this.naming = naming;
        }

        /** An alias ({@code pypi}, {@code testpypi}) or a name, with an upload URL and index URL that win when given. */
        public Settings repository(String name, String uploadUrl, String index) {
            repository = name;
            repositoryUrl = uploadUrl;
            indexUrl = index;
            return this;
        }

        /** Credentials given explicitly, and where they came from (for messages); null: the environment's or .pypirc's. */
        public Settings credentials(String user, Secret secret, String source) {
            username = user;
            password = secret;
            credentialSource = source;
            return this;
        }

        public Settings skipExisting(boolean value) {
            skipExisting = value;
            return this;
        }

        public Settings dryRun(boolean value) {
            dryRun = value;
            return this;
        }

        /** Whether the run is offline: then only a dry run can go on. */
        public Settings offline(boolean value) {
            offline = value;
            return this;
        }

        /** How long to wait for the index to list the uploads (zero: no check), and the largest wheel it takes. */
        public Settings index(Duration verify, long maxFileSizeBytes) {
            verifyTimeout = verify;
            maxFileSize = maxFileSizeBytes;
            return this;
        }

        /** Tries per file (at least one), and the per-request, per-try and whole-upload time limits. */
        public Settings limits(int tries, UploadTimeouts value) {
            attempts = Math.max(1, tries);
            timeouts = value;
            return this;
        }
    }

    private final Settings settings;
    private final CredentialResolver credentialResolver;
    private final Reporter reporter;

    public WheelUpload(Settings settings, CredentialResolver credentialResolver, Reporter reporter) {
        this.settings = settings;
        this.credentialResolver = credentialResolver;
        this.reporter = reporter;
    }

    /**
     * Uploads (or, in a dry run, checks) every wheel.
     *
     * @throws InvalidSettingException a setting cannot be used
     * @throws UploadException the index refused, or did not answer ({@link UploadException#isUserError()})
     * @throws IOException the upload could not run
     */
    public List<UploadResult> run() throws UploadException, IOException {
        if (settings.offline && !settings.dryRun) {
            throw new InvalidSettingException("neuron.upload.dryRun", "the run is offline (-o): uploading needs the network."
                    + " Drop -o, or set neuron.upload.dryRun=true to only check and rename the wheels");
        }
        PackageRepository target = PackageRepository.resolve(settings.repository, settings.repositoryUrl, settings.indexUrl);
        Redactor redactor = Redactor.NONE;
        try {
            Credentials credentials = credentialResolver.resolve(target, settings.username, settings.password,
                    settings.credentialSource).orElse(null);
            if (credentials != null) {
                redactor = credentials.redactor();
                reporter.info("uploading to " + target + " as " + credentials);
            } else if (!settings.dryRun) {
                reporter.warn("no credentials for " + target + " (neuron.serverId, TWINE_USERNAME/TWINE_PASSWORD, ~/.pypirc):"
                        + " uploading anonymously");
            }
            PublishRequest request = new PublishRequest(settings.wheelhouse, settings.stagingDirectory, target, credentials,
                    settings.naming, settings.skipExisting, settings.dryRun, settings.verifyTimeout, settings.maxFileSize,
                    new RetryPolicy(settings.attempts, Duration.ofSeconds(2), Duration.ofSeconds(60)), settings.timeouts);
            List<UploadResult> results = new WheelPublisher(redactor.wrap(reporter)).publish(request);
            long uploaded = results.stream().filter(r -> r.status() == UploadResult.Status.UPLOADED).count();
            long existing = results.stream().filter(r -> r.status() == UploadResult.Status.ALREADY_EXISTS).count();
            reporter.info(settings.dryRun ? results.size() + " wheel(s) checked, nothing uploaded (dry run)"
                    : uploaded + " wheel(s) uploaded, " + existing + " already present in " + target.name());
            return results;
        } catch (UploadException e) {
            throw new UploadException(e.kind(), redactor.redact(e.getMessage()));
        } catch (InvalidSettingException e) {
            throw new InvalidSettingException(e.setting(), redactor.redact(e.getMessage()));
        } catch (IOException e) {
            throw new IOException(redactor.redact(IoProblems.describe(e)));
        }
    }
}
