package org.neuronsimulator.wheel.macos;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.neuronsimulator.wheel.FileTrees;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.archive.EntrySource;
import org.neuronsimulator.wheel.archive.WheelArchive;
import org.neuronsimulator.wheel.archive.WheelContents;
import org.neuronsimulator.wheel.archive.WheelWriter;
import org.neuronsimulator.wheel.audit.WheelAuditException;
import org.neuronsimulator.wheel.audit.WheelPaths;
import org.neuronsimulator.wheel.elf.FileByteSource;
import org.neuronsimulator.wheel.macho.CodeSignatureVerifier;
import org.neuronsimulator.wheel.macho.LoadCommand;
import org.neuronsimulator.wheel.macho.MachoFile;
import org.neuronsimulator.wheel.macho.MachoReader;
import org.neuronsimulator.wheel.macho.MachoSlice;
import org.neuronsimulator.wheel.macho.MacosVersion;
import org.neuronsimulator.wheel.model.WheelFileName;
import org.neuronsimulator.wheel.model.WheelInfo;
import org.neuronsimulator.wheel.repair.RepairOptions;
import org.neuronsimulator.wheel.repair.WheelRepairException;

/**
 * Makes a macOS wheel self-contained, as {@code delocate-wheel} does: copies the libraries it loads
 * from outside into {@code <package>/.dylibs}, points every install name at them with
 * {@code @loader_path}, gives each copy a unique id, drops rpaths to folders outside the wheel, signs
 * ad hoc again where a binary was signed, and retags the wheel with the macOS version its binaries
 * need (or fails when a deployment target is lower, naming the binaries in the way). The written
 * wheel is audited again with nothing but itself to search.
 */
public final class MacosWheelRepairer {

    /** Prefix of the ids of bundled copies: unique per package, as delocate names them. */
    static final String ID_PREFIX = "/DLC/";

    private final Reporter reporter;

    public MacosWheelRepairer(Reporter reporter) {
        this.reporter = reporter;
    }

    /** Repairs {@code rawWheel} and writes the result into {@code outputDirectory}. */
    public MacosRepairResult repair(Path rawWheel, RepairOptions common, MacosRepairOptions options, Path outputDirectory)
            throws IOException, WheelRepairException {
        String name = rawWheel.getFileName().toString();
        Files.createDirectories(outputDirectory);
        Path work = Files.createTempDirectory(outputDirectory, ".repair-macos-");
        try (WheelArchive archive = WheelArchive.open(rawWheel)) {
            MacosWheelAudit audit;
            try {
                audit = new MacosWheelAuditor(options.search(), common.excludes(), reporter).audit(archive);
            } catch (WheelAuditException e) {
                throw new WheelRepairException(e.getMessage(), e);
            }
            checkResolved(audit, options.search(), name);
            checkArchitectures(audit, options.requiredArchitectures(), name);
            List<String> platforms = platformTags(audit, options.deploymentTarget(), name);
            WheelContents contents = archive.contents();
            Map<String, String> bundled = new LinkedHashMap<>();
            List<Edit> edits = plan(archive, audit, options.libraryDirectory(), bundled, name);
            if (!edits.isEmpty()) {
                MachoEditor editor = MachoEditor.find(options.installNameTool(), options.codesign(),
                        System.getProperty("os.name"), System.getenv("PATH"), reporter).orElseThrow(() ->
                        new WheelRepairException(name + ": rewriting install names needs install_name_tool (macOS) or "
                                + "llvm-install-name-tool (Debian/Ubuntu package llvm-14 or later); none is on the PATH"));
                int index = 0;
                for (Edit edit : edits) {
                    Path file = materialize(archive, edit, work.resolve(Integer.toString(index++)));
                    apply(editor, edit, file);
                    contents.put(edit.wheelPath, EntrySource.of(file), edit.mode);
                }
            }
            WheelFileName renamed = archive.fileName().withPlatformTags(platforms);
            List<String> tags = new ArrayList<>();
            for (String python : renamed.pythonTags()) {
                for (String abi : renamed.abiTags()) {
                    for (String platform : platforms) {
                        tags.add(python + "-" + abi + "-" + platform);
                    }
                }
            }
            WheelInfo info = archive.wheelInfo().withTags(tags);
            contents.put(archive.distInfoDirectory() + "/WHEEL", info.serialize().getBytes(StandardCharsets.UTF_8));
            WheelWriter.Options writerOptions = WheelWriter.Options.defaults();
            if (common.sourceDateEpoch().isPresent()) {
                writerOptions = writerOptions.sourceDateEpoch(common.sourceDateEpoch().getAsLong());
            }
            Path written = new WheelWriter(writerOptions).write(contents, outputDirectory.resolve(renamed.toString()));
            selfCheck(written, common.excludes());
            reporter.info(name + " -> " + written.getFileName() + (bundled.isEmpty() ? ""
                    : " (bundled " + String.join(", ", bundled.values()) + ")"));
            return new MacosRepairResult(written, audit, platforms, bundled);
        } finally {
            FileTrees.delete(work);
        }
    }

    /** A binary to rewrite: one of the wheel, or a library outside it on its way in. */
    private record Edit(String wheelPath, String hostPath, MachoFile before, Map<String, String> changes,
                        Optional<String> id, List<String> deletedRpaths, int mode) {
    }

    private static void checkResolved(MacosWheelAudit audit, DyldSearch search, String name) throws WheelRepairException {
        List<String> missing = audit.missing().stream().map(m -> m.installName() + " (needed by " + m.neededBy() + ")")
                .toList();
        if (!missing.isEmpty()) {
            List<String> folders = new ArrayList<>();
            search.libraryPath().forEach(p -> folders.add(p.toString()));
            search.fallbackPath().forEach(p -> folders.add(p.toString()));
            throw new WheelRepairException(name + ": libraries not found: " + String.join(", ", missing) + "; searched "
                    + (folders.isEmpty() ? "the wheel and the names' own paths" : "the wheel, the names' own paths and "
                    + String.join(":", folders)) + " (add the folders that hold them to neuron.macos.libraryPath)");
        }
    }

    private static void checkArchitectures(MacosWheelAudit audit, List<String> required, String name)
            throws WheelRepairException {
        Set<String> wanted = new LinkedHashSet<>(audit.tagVersions().keySet());
        wanted.addAll(required);
        List<String> reasons = new ArrayList<>();
        Map<String, MacosBinary> byLocation = new LinkedHashMap<>();
        Stream.concat(audit.binaries().stream(), audit.externalLibraries().stream())
                .forEach(b -> byLocation.put(b.location(), b));
        for (MacosBinary binary : byLocation.values()) {
            List<String> lacking = wanted.stream().filter(a -> !binary.architectures().contains(a)).toList();
            if (!lacking.isEmpty()) {
                reasons.add(binary.location() + " lacks " + String.join(", ", lacking) + " (has "
                        + String.join(", ", binary.architectures()) + ")");
            }
            for (MacosBinary.Dependency d : binary.dependencies()) {
                MacosBinary target = d.location() == null ? null : byLocation.get(d.location());
                if (target == null) {
                    continue;
                }
                // the architectures every binary needs are reported above; here the others a binary has
                List<String> absent = d.architectures().stream()
                        .filter(a -> !target.architectures().contains(a) && !wanted.contains(a)).toList();
                if (!absent.isEmpty()) {
                    reasons.add(binary.location() + " (" + String.join(", ", absent) + ") loads " + target.location()
                            + ", which lacks " + String.join(", ", absent));
                }
            }
        }
        if (!reasons.isEmpty()) {
            throw new WheelRepairException(name + ": missing architectures (every binary needs "
                    + String.join(", ", wanted) + "): " + String.join("; ", reasons));
        }
    }

    /**
     * The platform tags the binaries give the wheel: per architecture of its tags, the newest minimum
     * macOS among them, raised to the deployment target; fails when a binary needs more than that target.
     */
    private List<String> platformTags(MacosWheelAudit audit, Optional<MacosVersion> target, String name)
            throws WheelRepairException {
        Map<String, MacosVersion> versions = new LinkedHashMap<>();
        List<String> tooNew = new ArrayList<>();
        MacosVersion needed = null;
        for (String arch : audit.tagVersions().keySet()) {
            MacosVersion version = audit.minimumVersions().getOrDefault(arch, audit.tagVersions().get(arch));
            if (target.isPresent()) {
                MacosVersion limit = arch.startsWith("arm64") ? MacosVersion.max(target.get(), MacosVersion.ARM64_FIRST)
                        : target.get();
                for (MacosBinary binary : Stream.concat(audit.binaries().stream(), audit.externalLibraries().stream()).toList()) {
                    MacosVersion own = binary.minimumVersions().get(arch);
                    if (own != null && own.compareTo(limit) > 0) {
                        tooNew.add(binary.location() + " (" + arch + ") needs macOS " + own);
                        needed = needed == null ? own : MacosVersion.max(needed, own);
                    }
                }
                version = MacosVersion.max(version, limit);
            } else if (version.major() >= 11 && version.minor() > 0) {
                reporter.warn(name + ": its " + arch + " binaries need macOS " + version + ", but tags carry only the major"
                        + " release: it is tagged macOS " + version.major() + " and will not load on " + version.major()
                        + ".0; set the deployment target to say which release it supports");
            }
            versions.put(arch, version);
        }
        if (!tooNew.isEmpty()) {
            throw new WheelRepairException(name + ": binaries need a newer macOS than the deployment target "
                    + target.get() + ": " + String.join(", ", tooNew) + "; set the target (MACOSX_DEPLOYMENT_TARGET, "
                    + "neuron.macos.deploymentTarget or a macosx_* neuron.platform) to " + needed
                    + " or build them for " + target.get());
        }
        return MacosPlatformTag.tagsFor(versions);
    }

    /** What to rewrite in each binary, and where the outside libraries go. */
    private static List<Edit> plan(WheelArchive archive, MacosWheelAudit audit, String subfolder,
                                   Map<String, String> bundled, String name) throws WheelRepairException {
        Set<String> entries = new TreeSet<>();
        archive.entries().forEach(e -> entries.add(e.name()));
        String libraries = libraryFolder(entries, archive.fileName().distribution(), subfolder);
        Map<String, String> placed = new TreeMap<>();
        for (MacosBinary library : audit.externalLibraries()) {
            String target = libraries + "/" + library.fileName();
            if (placed.containsValue(target)) {
                throw new WheelRepairException(name + ": two libraries would be bundled as " + target + ": "
                        + library.location() + " and " + placed.entrySet().stream()
                        .filter(e -> e.getValue().equals(target)).findFirst().orElseThrow().getKey());
            }
            if (entries.contains(target)) {
                throw new WheelRepairException(name + ": " + target + " is already in the wheel; "
                        + library.location() + " cannot be bundled there");
            }
            placed.put(library.location(), target);
        }
        bundled.putAll(placed);
        List<Edit> edits = new ArrayList<>();
        for (MacosBinary binary : audit.binaries()) {
            Map<String, String> changes = changes(binary, binary.location(), placed);
            if (!changes.isEmpty()) {
                int mode = archive.entries().stream().filter(e -> e.name().equals(binary.location())).findFirst()
                        .map(e -> e.unixMode()).filter(m -> m != 0).orElse(0100755);
                edits.add(new Edit(binary.location(), null, binary.macho(), changes, Optional.empty(),
                        outsideRpaths(binary.macho()), mode));
            }
        }
        for (MacosBinary library : audit.externalLibraries()) {
            String target = placed.get(library.location());
            Optional<String> id = library.macho().slices().get(0).installName().isPresent()
                    ? Optional.of(ID_PREFIX + target) : Optional.empty();
            edits.add(new Edit(target, library.location(), library.macho(), changes(library, target, placed), id,
                    outsideRpaths(library.macho()), 0100755));
        }
        return edits;
    }

    /** Install name → {@code @loader_path/...} for each library bundled or found in the wheel some other way. */
    private static Map<String, String> changes(MacosBinary binary, String wheelPath, Map<String, String> placed) {
        Map<String, String> changes = new LinkedHashMap<>();
        String folder = WheelPaths.parent(wheelPath);
        for (MacosBinary.Dependency d : binary.dependencies()) {
            String target = switch (d.kind()) {
                case EXTERNAL -> placed.get(d.location());
                case WHEEL -> d.installName().startsWith("@loader_path/") ? null : d.location();
                default -> null;
            };
            if (target != null) {
                String newName = "@loader_path/" + relative(folder, target);
                if (!newName.equals(d.installName())) {
                    changes.put(d.installName(), newName);
                }
            }
        }
        return changes;
    }

    /** Rpaths naming folders of the build machine (absolute), present in every slice so one call drops them. */
    private static List<String> outsideRpaths(MachoFile macho) {
        List<String> rpaths = new ArrayList<>();
        for (String rpath : macho.slices().get(0).rpaths()) {
            if (!rpath.startsWith("@") && !rpaths.contains(rpath)
                    && macho.slices().stream().allMatch(s -> s.rpaths().stream().filter(rpath::equals).count() == 1)) {
                rpaths.add(rpath);
            }
        }
        return rpaths;
    }

    /** {@code <package>/.dylibs} for the package named like the project, else the first package, else {@code <name>.dylibs}. */
    static String libraryFolder(Set<String> entries, String distribution, String subfolder) {
        Set<String> packages = new TreeSet<>();
        for (String entry : entries) {
            int slash = entry.indexOf('/');
            if (slash > 0 && entry.substring(slash + 1).equals("__init__.py")) {
                packages.add(entry.substring(0, slash));
            }
        }
        for (String pkg : packages) {
            if (pkg.equalsIgnoreCase(distribution)) {
                return pkg + "/" + subfolder;
            }
        }
        return packages.isEmpty() ? distribution + subfolder : packages.iterator().next() + "/" + subfolder;
    }

    /** The path of {@code target} seen from the wheel folder {@code from}. */
    static String relative(String from, String target) {
        return Path.of(from).relativize(Path.of(target)).toString().replace('\\', '/');
    }

    private static Path materialize(WheelArchive archive, Edit edit, Path folder) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve(WheelPaths.baseName(edit.wheelPath));
        if (edit.hostPath == null) {
            try (InputStream in = archive.openEntry(edit.wheelPath)) {
                Files.copy(in, file);
            }
        } else {
            Files.copy(Path.of(edit.hostPath), file, StandardCopyOption.REPLACE_EXISTING);
        }
        file.toFile().setWritable(true, true);
        return file;
    }

    private void apply(MachoEditor editor, Edit edit, Path file) throws IOException, WheelRepairException {
        String what = edit.hostPath == null ? edit.wheelPath : edit.hostPath + " (bundled as " + edit.wheelPath + ")";
        MachoFile before = MachoReader.read(file);
        checkRoom(before, edit.changes, edit.id, edit.deletedRpaths, what);
        Map<String, CodeSignatureVerifier.Check> signedBefore = signatures(file, before);
        List<String> options = new ArrayList<>();
        edit.id.ifPresent(id -> options.addAll(List.of("-id", id)));
        edit.changes.forEach((from, to) -> options.addAll(List.of("-change", from, to)));
        edit.deletedRpaths.forEach(rpath -> options.addAll(List.of("-delete_rpath", rpath)));
        editor.edit(file, options, what);
        MachoFile after = MachoReader.read(file);
        checkRewritten(after, edit, what);
        if (!signedBefore.isEmpty()) {
            List<String> broken = brokenSignatures(file, after, signedBefore.keySet());
            if (!broken.isEmpty()) {
                if (!editor.signAdHoc(file, what)) {
                    throw new WheelRepairException(what + ": after " + editor.installNameTool() + " its code signature "
                            + "no longer matches (" + String.join("; ", broken) + ") and there is no codesign here to sign it"
                            + " again; use llvm-install-name-tool 14 or later, which signs its output, or repair on macOS");
                }
                broken = brokenSignatures(file, MachoReader.read(file), signedBefore.keySet());
                if (!broken.isEmpty()) {
                    throw new WheelRepairException(what + ": signed ad hoc again, its signature still does not match: "
                            + String.join("; ", broken));
                }
            }
            signedBefore.forEach((arch, check) -> {
                if (check.certificate()) {
                    reporter.warn(what + " (" + arch + "): its signature by a certificate is now an ad hoc one");
                }
            });
        }
    }

    /**
     * The load commands grow inside the free space before the first section; more would overwrite
     * code (LLVM 14's tool does not check this, so it is checked here).
     */
    static void checkRoom(MachoFile macho, Map<String, String> changes, Optional<String> id, List<String> deletedRpaths,
                          String what) throws WheelRepairException {
        for (MachoSlice slice : macho.slices()) {
            int align = slice.is64() ? 8 : 4;
            long growth = 0;
            for (LoadCommand command : slice.commands()) {
                if (command instanceof LoadCommand.Dylib d) {
                    String newName = d.kind() == LoadCommand.DylibKind.ID ? id.orElse(null) : changes.get(d.name());
                    if (newName != null) {
                        long size = (24 + newName.getBytes(StandardCharsets.UTF_8).length + 1 + align - 1) / align * align;
                        growth += size - d.size();
                    }
                } else if (command instanceof LoadCommand.Rpath r && deletedRpaths.contains(r.path())) {
                    growth -= r.size();
                }
            }
            if (growth > slice.headerPadding()) {
                throw new WheelRepairException(what + " (" + slice.architecture() + "): the new install names need "
                        + growth + " more bytes of load commands, the header has room for " + slice.headerPadding()
                        + "; link it with -headerpad_max_install_names");
            }
        }
    }

    private static void checkRewritten(MachoFile after, Edit edit, String what) throws WheelRepairException {
        for (MachoSlice slice : after.slices()) {
            List<String> names = slice.dependencies().stream().map(LoadCommand.Dylib::name).toList();
            for (Map.Entry<String, String> change : edit.changes.entrySet()) {
                boolean hadIt = edit.before.slice(slice.architecture()).map(s -> s.dependencies().stream()
                        .anyMatch(d -> d.name().equals(change.getKey()))).orElse(false);
                if (hadIt && (names.contains(change.getKey()) || !names.contains(change.getValue()))) {
                    throw new WheelRepairException(what + " (" + slice.architecture() + "): " + change.getKey()
                            + " was not changed to " + change.getValue());
                }
            }
            if (edit.id.isPresent() && !slice.installName().equals(edit.id)) {
                throw new WheelRepairException(what + " (" + slice.architecture() + "): its id is "
                        + slice.installName().orElse("none") + ", not " + edit.id.get());
            }
            if (slice.rpaths().stream().anyMatch(edit.deletedRpaths::contains)) {
                throw new WheelRepairException(what + " (" + slice.architecture() + "): rpaths " + edit.deletedRpaths
                        + " were not removed");
            }
            for (LoadCommand command : slice.commands()) {
                if (command instanceof LoadCommand.Segment s && s.firstSectionOffset() > 0
                        && s.firstSectionOffset() < slice.headerSize() + slice.commandsSize()) {
                    throw new WheelRepairException(what + " (" + slice.architecture() + "): the rewritten load commands"
                            + " overlap section data");
                }
            }
        }
    }

    private static Map<String, CodeSignatureVerifier.Check> signatures(Path file, MachoFile macho) throws IOException {
        Map<String, CodeSignatureVerifier.Check> checks = new LinkedHashMap<>();
        try (FileByteSource source = new FileByteSource(file)) {
            for (MachoSlice slice : macho.slices()) {
                CodeSignatureVerifier.check(file.toString(), source, slice)
                        .ifPresent(check -> checks.put(slice.architecture(), check));
            }
        }
        return checks;
    }

    /** The slices, of those that were signed, whose signature is missing or does not match now. */
    private static List<String> brokenSignatures(Path file, MachoFile macho, Set<String> signed) throws IOException {
        Map<String, CodeSignatureVerifier.Check> now = signatures(file, macho);
        List<String> broken = new ArrayList<>();
        for (String arch : signed) {
            CodeSignatureVerifier.Check check = now.get(arch);
            if (check == null) {
                broken.add(arch + ": no signature");
            } else if (!check.valid()) {
                broken.add(arch + ": " + check.problem());
            }
        }
        return broken;
    }

    /** Every non-system install name of the written wheel must resolve inside it. */
    private void selfCheck(Path written, List<String> excludes) throws IOException, WheelRepairException {
        MacosWheelAudit check;
        try {
            check = new MacosWheelAuditor(DyldSearch.wheelOnly(), excludes, Reporter.NONE).audit(written);
        } catch (WheelAuditException e) {
            Files.deleteIfExists(written);
            throw new WheelRepairException("the repaired wheel cannot be audited: " + e.getMessage(), e);
        }
        if (!check.problems().isEmpty()) {
            Files.deleteIfExists(written);
            throw new WheelRepairException(written.getFileName() + " still has problems after the repair: "
                    + String.join("; ", check.problems()));
        }
    }
}
