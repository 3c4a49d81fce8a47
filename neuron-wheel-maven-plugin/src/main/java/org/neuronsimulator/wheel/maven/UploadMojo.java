package org.neuronsimulator.wheel.maven;

import java.io.File;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.neuronsimulator.wheel.pipeline.WheelUpload;
import org.neuronsimulator.wheel.publish.CredentialResolver;
import org.neuronsimulator.wheel.publish.PublishNaming;
import org.neuronsimulator.wheel.publish.Secret;
import org.neuronsimulator.wheel.publish.UploadException;

/**
 * Uploads the wheelhouse to PyPI, TestPyPI or any PyPI-compatible index, then checks that each file
 * is listed there with the same SHA-256. By default the wheels are published as nightlies
 * ({@code <name>-nightly}, a development version); {@code -Dneuron.release=true} publishes the plain
 * name and the release version. Works without a pom: {@code -Dneuron.wheelhouse=DIR}.
 */
@Mojo(name = "upload", defaultPhase = LifecyclePhase.DEPLOY, requiresProject = false, threadSafe = true)
public class UploadMojo extends PackageIndexMojo {

    /** The folder whose {@code *.whl} files are uploaded. */
    @Parameter(property = "neuron.wheelhouse", defaultValue = "${project.build.directory}/wheelhouse")
    File wheelhouse;

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
    void run() throws IOException, UploadException, MojoFailureException {
        new WheelUpload(uploadSettings(), credentialResolver, reporter()).run();
    }

    @Override
    String skipSwitch() {
        return skip ? "neuron.skip" : skipUpload ? "neuron.upload.skip" : null;
    }

    @Override
    String skippedWork() {
        return "nothing uploaded";
    }

    /** The parameters, and the settings.xml server's decrypted credentials, as core's upload settings. */
    WheelUpload.Settings uploadSettings() throws MojoFailureException {
        WheelUpload.Settings upload = index(new WheelUpload.Settings(wheelhouse.toPath(), stagingDirectory.toPath(), naming()))
                .skipExisting(skipExisting).dryRun(dryRun)
                .offline((session != null && session.isOffline()) || (settings != null && settings.isOffline()));
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
        return PublishNaming.nightly(gpu, nightlySuffix, gpuSuffix, buildNumber, nightlyVersion, today);
    }
}
