package org.neuronsimulator.wheel.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.FileTrees;
import org.neuronsimulator.wheel.IoProblems;
import org.neuronsimulator.wheel.Reasons;
import org.neuronsimulator.wheel.audit.AuditOptions;
import org.neuronsimulator.wheel.audit.AuditReport;
import org.neuronsimulator.wheel.audit.LibraryResolver;
import org.neuronsimulator.wheel.builder.container.ImageLibraryResolver;
import org.neuronsimulator.wheel.audit.PolicyTable;
import org.neuronsimulator.wheel.audit.WheelAudit;
import org.neuronsimulator.wheel.audit.WheelAuditException;
import org.neuronsimulator.wheel.audit.WheelAuditor;
import org.neuronsimulator.wheel.macos.DyldSearch;
import org.neuronsimulator.wheel.macos.MacosAuditReport;
import org.neuronsimulator.wheel.macos.MacosWheelAudit;
import org.neuronsimulator.wheel.macos.MacosWheelAuditor;
import org.neuronsimulator.wheel.model.InvalidWheelFileNameException;
import org.neuronsimulator.wheel.model.WheelFileName;

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
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skipped("no audit")) {
            return;
        }
        if (wheel == null || !wheel.exists()) {
            throw new MojoFailureException("neuron.wheel names no existing file or folder: " + wheel);
        }
        List<Path> wheels;
        if (wheel.isDirectory()) {
            try {
                wheels = FileTrees.wheelsIn(wheel.toPath());
            } catch (IOException e) {
                throw new MojoExecutionException("cannot list " + wheel + ": " + IoProblems.describe(e), e);
            }
            if (wheels.isEmpty()) {
                throw new MojoFailureException("no .whl file in " + wheel);
            }
        } else {
            wheels = List.of(wheel.toPath());
        }
        AuditOptions defaults = AuditOptions.defaults();
        LibraryResolver resolver;
        try {
            resolver = ImageLibraryResolver.orHost(imageLibraryDirectory == null ? null : imageLibraryDirectory.toPath(),
                    reporter());
        } catch (IOException e) {
            throw new MojoFailureException(IoProblems.describe(e), e);
        }
        WheelAuditor auditor = new WheelAuditor(resolver,
                new AuditOptions(excludes == null ? List.of() : excludes, skipIsaCheck, defaults.threads()),
                PolicyTable.builtIn(), reporter());
        MacosWheelAuditor macosAuditor = new MacosWheelAuditor(DyldSearch.fromEnvironment(System.getenv(),
                System.getProperty("os.name"), DyldSearch.folders(macosLibraryPath)),
                excludes == null ? List.of() : excludes, reporter());
        List<Map<String, Object>> audits = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Path file : wheels) {
            try {
                long start = System.nanoTime();
                String text;
                if (isMacosWheel(file)) {
                    MacosWheelAudit audit = macosAuditor.audit(file);
                    audits.add(MacosAuditReport.toJsonObject(audit));
                    text = MacosAuditReport.toText(audit);
                } else {
                    WheelAudit audit = auditor.audit(file);
                    audits.add(AuditReport.toJsonObject(audit));
                    text = AuditReport.toText(audit);
                }
                getLog().debug("audited " + file + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
                for (String line : text.split("\n")) {
                    getLog().info(line);
                }
            } catch (WheelAuditException | IOException e) {
                // one bad wheel of a folder does not hide the others: each gets its verdict or its error
                String message = e instanceof IOException io ? "cannot read " + file + ": " + IoProblems.describe(io)
                        : e.getMessage();
                getLog().error(message);
                failures.add(message);
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("wheel", file.getFileName().toString());
                failed.put("error", message);
                audits.add(failed);
            }
        }
        if (json != null) {
            try {
                MacosAuditReport.writeJson(audits, json.toPath());
                getLog().info("JSON report: " + json);
            } catch (IOException e) {
                throw new MojoExecutionException("cannot write " + json + ": " + IoProblems.describe(e), e);
            }
        }
        if (!failures.isEmpty()) {
            throw new MojoFailureException(failures.size() + " of " + wheels.size() + " wheel(s) could not be audited: "
                    + Reasons.summary(failures) + (failures.size() <= Reasons.SHOWN ? ""
                    : json != null ? " (each wheel's result is in " + json + ")" : " (-Dneuron.audit.json=FILE lists them all)"));
        }
    }

    private static boolean isMacosWheel(Path file) {
        try {
            return MacosWheelAuditor.isMacosWheel(WheelFileName.parse(file.getFileName().toString()));
        } catch (InvalidWheelFileNameException e) {
            return false; // the Linux audit reports the name
        }
    }
}
