package org.neuronsimulator.wheel.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;
import org.neuronsimulator.wheel.config.PomSettings;
import org.neuronsimulator.wheel.config.ProjectConfigurationException;
import org.neuronsimulator.wheel.model.WheelFileName;
import org.neuronsimulator.wheel.pipeline.FinalWheels;
import org.neuronsimulator.wheel.repair.WheelRepairException;

/**
 * Verifies the raw wheels, renames them when asked, writes the final wheels deterministically into
 * the wheelhouse and attaches them to the project (type {@code whl}) so install and deploy carry them.
 */
@Mojo(name = "wheel", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class WheelMojo extends RepairMojo {

    /** Where the build goal left raw wheels (searched recursively). */
    @Parameter(property = "neuron.rawWheelDirectory", defaultValue = "${project.build.directory}/raw-wheels")
    File rawWheelDirectory;

    /** Where the final wheels are written. */
    @Parameter(property = "neuron.wheelhouse", defaultValue = "${project.build.directory}/wheelhouse")
    File wheelhouse;

    /** Publish the wheels under this distribution name instead of the built one (e.g. {@code neuron-nightly}). */
    @Parameter(property = "neuron.distributionName")
    String distributionName;

    /** Publish the wheels under this PEP 440 version instead of the built one. */
    @Parameter(property = "neuron.distributionVersion")
    String distributionVersion;

    /** Attach the final wheels to the project. */
    @Parameter(property = "neuron.attach", defaultValue = "true")
    boolean attach;

    /** Maven's reproducible-build timestamp; used when {@code SOURCE_DATE_EPOCH} is not set. */
    @Parameter(defaultValue = "${project.build.outputTimestamp}", readonly = true)
    String outputTimestamp;

    /**
     * The deflate implementation: {@code auto} (libdeflate where the system has it, else zlib),
     * {@code libdeflate} (fail where it cannot load) or {@code zlib}. Byte-identical rebuilds need the
     * same engine and version.
     */
    @Parameter(property = "neuron.deflate", defaultValue = "auto")
    String deflate;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    private final MavenProjectHelper projectHelper;

    @Inject
    public WheelMojo(MavenProjectHelper projectHelper) {
        this.projectHelper = projectHelper;
    }

    @Override
    void run() throws IOException, ProjectConfigurationException, WheelRepairException {
        List<Path> written = new FinalWheels(settings(), System.getenv(), reporter()).write();
        if (attach) {
            for (Path wheel : written) {
                projectHelper.attachArtifact(project, "whl", classifier(wheel), wheel.toFile());
            }
        }
    }

    @Override
    String skippedWork() {
        return "no wheels written";
    }

    /** The parameters as core's settings for writing the wheelhouse. */
    FinalWheels.Settings settings() {
        return new FinalWheels.Settings(rawWheelDirectory.toPath(), wheelhouse.toPath(), sourceDirectory.toPath(),
                new PomSettings().image(image).excludes(excludes).platform(platform).repairSkip(repairSkip)
                        .repairCommand(repairCommand))
                .dockerPlatform(dockerPlatform).rename(distributionName, distributionVersion)
                .repair(repairOptions(), imageLibraryDirectory.toPath(), repairedWheelDirectory.toPath())
                .macos(macosLibraryPath, macosDeploymentTarget, macosArchs, macosInstallNameTool)
                .writing(deflate, outputTimestamp);
    }

    /** The tag triple of the filename, so that wheels for several Pythons attach side by side. */
    static String classifier(Path wheel) {
        WheelFileName name = WheelFileName.parse(wheel.getFileName().toString());
        return String.join(".", name.pythonTags()) + "-" + String.join(".", name.abiTags()) + "-"
                + String.join(".", name.platformTags());
    }
}
