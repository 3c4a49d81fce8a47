package org.neuronsimulator.wheel.maven;

import java.io.File;
import java.io.IOException;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.audit.WheelAuditException;
import org.neuronsimulator.wheel.pipeline.WheelAudits;

/**
 * Reports which manylinux/musllinux tag each wheel deserves, which symbol versions and external
 * libraries decide it, and what stands in the way of more compatible tags. Runs without a project.
 */
@Mojo(name = "audit", requiresProject = false, threadSafe = true)
public class AuditMojo extends NeuronMojo {

    /** A wheel file, or a folder whose {@code *.whl} files are audited. */
    @Parameter(property = "neuron.wheel", required = true)
    File wheel;

    /** Also write the reports as a JSON array to this file. */
    @Parameter(property = "neuron.audit.json")
    File json;

    /** Glob patterns of sonames or library paths to leave out of the audit, comma-separated on the command line. */
    @Parameter(property = "neuron.exclude")
    List<String> excludes = List.of();

    /** Do not lower the tag for x86-64 instruction set levels above the baseline. */
    @Parameter(property = "neuron.audit.skipIsaCheck", defaultValue = "false")
    boolean skipIsaCheck;

    /**
     * The image root a container build exported (its loader configuration and the libraries the
     * wheels need): when it exists, libraries resolve as in the build image instead of on this host.
     */
    @Parameter(property = "neuron.imageLibraryDirectory", defaultValue = "${project.build.directory}/image-root")
    File imageLibraryDirectory;

    /**
     * For macOS wheels: folders holding the libraries they load from outside, searched by file name
     * before an install name's own path (like {@code DYLD_LIBRARY_PATH}, which is searched too).
     */
    @Parameter(property = "neuron.macos.libraryPath")
    List<String> macosLibraryPath = List.of();

    @Override
    void run() throws IOException, WheelAuditException {
        new WheelAudits(new WheelAudits.Settings(wheel == null ? null : wheel.toPath(), json == null ? null : json.toPath(),
                excludes, skipIsaCheck, imageLibraryDirectory == null ? null : imageLibraryDirectory.toPath(),
                macosLibraryPath), System.getenv(), reporter()).run();
    }

    @Override
    String skippedWork() {
        return "no audit";
    }
}
