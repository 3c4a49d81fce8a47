package org.neuronsimulator.wheel.maven;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.pipeline.WheelUpload;
import org.neuronsimulator.wheel.publish.CredentialResolver;
import org.neuronsimulator.wheel.publish.PublishNaming;
import org.neuronsimulator.wheel.publish.Secret;
import org.neuronsimulator.wheel.publish.UploadException;
import org.neuronsimulator.wheel.publish.UploadTimeouts;

/**
 * Uploads the wheelhouse to PyPI, TestPyPI or any PyPI-compatible index, then checks that each file
 * is listed there with the same SHA-256. By default the wheels are published as nightlies
 * ({@code <name>-nightly}, a development version); {@code -Dneuron.release=true} publishes the plain
 * name and the release version. Works without a pom: {@code -Dneuron.wheelhouse=DIR}.
 */
@Mojo(name = "upload", defaultPhase = LifecyclePhase.DEPLOY, requiresProject = false, threadSafe = true)
public class UploadMojo extends NeuronMojo {

    /** The folder whose {@code *.whl} files are uploaded. */
    @Parameter(property = "neuron.wheelhouse", defaultValue = "${project.build.directory}/wheelhouse")
    File wheelhouse;

    /** {@code pypi}, {@code testpypi}, or a name for the index at {@code repositoryUrl}. */
    @Parameter(property = "neuron.repository", defaultValue = "pypi")
    String repository;

    /** The legacy upload URL of another index (keep the trailing slash); wins over the alias's URL. */
    @Parameter(property = "neuron.repositoryUrl")
    String repositoryUrl;

    /** The simple index that lists the uploads; derived from the upload URL when not given. */
    @Parameter(property = "neuron.indexUrl")
    String indexUrl;

    /** The settings.xml {@code <server>} holding the user (or {@code __token__}) and password; may be encrypted. */
    @Parameter(property = "neuron.serverId")
    String serverId;

    /** Publishes the plain name and the release version instead of a nightly. */
    @Parameter(property = "neuron.release", defaultValue = "false")
    boolean release;

    /** GPU build: the name gets {@code gpuSuffix} ({@code neuron-gpu}, {@code neuron-gpu-nightly}). */
    @Parameter(property = "neuron.gpu", defaultValue = "false")
    boolean gpu;

    /** Appended to the name of nightly wheels. */
    @Parameter(property = "neuron.nightlySuffix", defaultValue = "-nightly")
    String nightlySuffix;

    /** Appended to the name of GPU wheels, before the nightly suffix. */
    @Parameter(property = "neuron.gpuSuffix", defaultValue = "-gpu")
    String gpuSuffix;

    /** The full version of nightly wheels (PEP 440), instead of one derived from the wheel's version. */
    @Parameter(property = "neuron.nightlyVersion")
    String nightlyVersion;

    /** The development number of nightly versions (e.g. a CI build number); default: today's date, yyyyMMdd UTC. */
    @Parameter(property = "neuron.buildNumber")
    String buildNumber;

    /** Accepts "already exists" answers instead of failing. */
    @Parameter(property = "neuron.skipExisting", defaultValue = "false")
    boolean skipExisting;

    /** Renames and checks everything, uploads nothing. */
    @Parameter(property = "neuron.upload.dryRun", defaultValue = "false")
    boolean dryRun;

    /** Seconds to wait for the uploaded files to appear in the index; 0 skips the check. */
    @Parameter(property = "neuron.upload.verifyTimeout", defaultValue = "300")
    int verifyTimeout;

    /** The largest wheel the index accepts, in MiB (PyPI: 100 unless raised for the project). */
    @Parameter(property = "neuron.upload.maxFileSizeMiB", defaultValue = "100")
    long maxFileSizeMiB;

    /** Tries per file when the index answers 5xx or the connection fails. */
    @Parameter(property = "neuron.upload.attempts", defaultValue = "5")
    int attempts;

    /** Seconds one request may wait for the index (large uploads are checked by the index before it answers). */
    @Parameter(property = "neuron.upload.readTimeout", defaultValue = "600")
    int readTimeout;

    /** Seconds one upload try may take in all, answer included (a server trickling its answer is cut off). */
    @Parameter(property = "neuron.upload.tryTimeout", defaultValue = "1800")
    int tryTimeout;

    /** Seconds the whole upload may take, every try and retry wait included. */
    @Parameter(property = "neuron.upload.deadline", defaultValue = "7200")
    int deadline;

    /** Where renamed copies of the wheels are written. */
    @Parameter(property = "neuron.upload.stagingDirectory", defaultValue = "${project.build.directory}/neuron-upload")
    File stagingDirectory;

    /** Skips this goal only. */
    @Parameter(property = "neuron.upload.skip", defaultValue = "false")
    boolean skipUpload;

    @Parameter(defaultValue = "${settings}", readonly = true)
    Settings settings;

    @Parameter(defaultValue = "${session}", readonly = true)
    MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true)
    MavenProject project;

    private final SettingsDecrypter decrypter;
    private CredentialResolver credentialResolver = CredentialResolver.ofSystem();
    private LocalDate today = LocalDate.now(ZoneOffset.UTC);

    @Inject
    public UploadMojo(SettingsDecrypter decrypter) {
        this.decrypter = decrypter;
    }

    /** For tests: a fixed environment and {@code .pypirc}, and a fixed date. */
    void useEnvironment(CredentialResolver resolver, LocalDate date) {
        this.credentialResolver = resolver;
        this.today = date;
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skipped("nothing uploaded")) {
            return;
        }
        if (skipUpload) {
            getLog().info("neuron.upload.skip is set: nothing uploaded");
            return;
        }
        boolean offline = (session != null && session.isOffline()) || (settings != null && settings.isOffline());
        if (offline && !dryRun) {
            throw new MojoFailureException("Maven runs offline (-o): uploading needs the network. Drop -o, or set "
                    + "neuron.upload.dryRun=true to only check and rename the wheels");
        }
        try {
            new WheelUpload(uploadSettings(), credentialResolver, reporter()).run();
        } catch (UploadException e) { // messages are redacted and carry no cause, which could hold a secret
            if (e.isUserError()) {
                throw new MojoFailureException(e.getMessage());
            }
            throw new MojoExecutionException(e.getMessage());
        } catch (InvalidSettingException e) {
            throw new MojoFailureException(e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("upload could not run: " + e.getMessage());
        }
    }

    /** The parameters, and the settings.xml server's decrypted credentials, as core's upload settings. */
    WheelUpload.Settings uploadSettings() throws MojoFailureException {
        WheelUpload.Settings upload = new WheelUpload.Settings(wheelhouse.toPath(), stagingDirectory.toPath(), naming())
                .repository(repository, repositoryUrl, indexUrl).skipExisting(skipExisting).dryRun(dryRun)
                .index(Duration.ofSeconds(verifyTimeout), maxFileSizeMiB * 1024 * 1024)
                .limits(attempts, new UploadTimeouts(Duration.ofSeconds(readTimeout), Duration.ofSeconds(tryTimeout),
                        Duration.ofSeconds(deadline)));
        if (serverId != null && !serverId.isBlank()) {
            String source = "settings.xml server '" + serverId + "'";
            Server clear = SettingsServers.decrypted(settings, decrypter, "neuron.serverId", serverId);
            if (clear.getPassword() == null || clear.getPassword().isEmpty()) {
                throw new MojoFailureException(source + " has no <password> (for an API token: <username>__token__</username>"
                        + " and the token as password)");
            }
            upload.credentials(clear.getUsername(), Secret.of(clear.getPassword()), source);
        }
        return upload;
    }

    private PublishNaming naming() throws MojoFailureException {
        if (release) {
            if (project != null && project.getFile() != null && project.getVersion() != null
                    && project.getVersion().endsWith("-SNAPSHOT")) {
                throw new MojoFailureException("neuron.release=true but the project version " + project.getVersion()
                        + " is a SNAPSHOT: release from a release version, or drop neuron.release for a nightly");
            }
            return PublishNaming.release(gpu, gpuSuffix);
        }
        String number = buildNumber == null || buildNumber.isBlank()
                ? PublishNaming.dateNumber(today) : buildNumber.trim();
        return PublishNaming.nightly(gpu, nightlySuffix, gpuSuffix, number, nightlyVersion);
    }
}
