package org.neuronsimulator.wheel.repair;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.neuronsimulator.wheel.FileTrees;
import org.neuronsimulator.wheel.Reasons;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.archive.EntrySource;
import org.neuronsimulator.wheel.archive.WheelArchive;
import org.neuronsimulator.wheel.archive.WheelContents;
import org.neuronsimulator.wheel.archive.WheelWriter;
import org.neuronsimulator.wheel.audit.AuditOptions;
import org.neuronsimulator.wheel.audit.LibraryResolver;
import org.neuronsimulator.wheel.audit.Policy;
import org.neuronsimulator.wheel.audit.PolicySet;
import org.neuronsimulator.wheel.audit.PolicyTable;
import org.neuronsimulator.wheel.audit.PolicyUpgrade;
import org.neuronsimulator.wheel.audit.ProvidingPackage;
import org.neuronsimulator.wheel.audit.ResolvedLibrary;
import org.neuronsimulator.wheel.audit.WheelAudit;
import org.neuronsimulator.wheel.audit.WheelAuditException;
import org.neuronsimulator.wheel.audit.WheelAuditor;
import org.neuronsimulator.wheel.audit.WheelElf;
import org.neuronsimulator.wheel.audit.WheelPaths;
import org.neuronsimulator.wheel.model.WheelFileName;
import org.neuronsimulator.wheel.model.WheelInfo;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * Makes a wheel satisfy a manylinux/musllinux policy: bundles its external libraries into
 * {@code <name><libSubdirectory>/} (default {@code <name>.libs/}) under hash-suffixed names, points
 * the objects at them with patchelf, removes libpython from {@code DT_NEEDED}, optionally strips
 * symbols, retags the filename and {@code WHEEL}, records where each bundled library came from in a
 * CycloneDX SBOM ({@code <name>.dist-info/sboms/}), and writes the wheel with a regenerated
 * {@code RECORD}.
 */
public final class WheelRepairer {

    private final LibraryResolver resolver;
    private final Reporter reporter;

    public WheelRepairer(LibraryResolver resolver, Reporter reporter) {
        this.resolver = resolver;
        this.reporter = reporter;
    }

    /**
     * What to repair for: the policy whose external libraries are bundled, and the platform tags the
     * wheel gets (that policy's, plus the requested one's when a more compatible one was found).
     */
    record Target(Policy policy, List<String> platformTags) {
    }

    /** Repairs {@code rawWheel} and writes the result into {@code outputDirectory}. */
    public RepairResult repair(Path rawWheel, RepairOptions options, Path outputDirectory)
            throws IOException, WheelRepairException {
        String name = rawWheel.getFileName().toString();
        WheelAudit audit;
        try {
            audit = new WheelAuditor(resolver, new AuditOptions(options.excludes(), options.skipIsaCheck(),
                    AuditOptions.defaults().threads()), PolicyTable.builtIn(), reporter).audit(rawWheel);
        } catch (WheelAuditException e) {
            throw new WheelRepairException(e.getMessage(), e);
        }
        Target target = chooseTarget(audit, options, name);
        Policy graft = target.policy();
        Map<String, String> external = new TreeMap<>();
        for (Map<String, SortedMap<String, String>> refs : audit.externalReferences().values()) {
            external.putAll(refs.getOrDefault(graft.name(), new TreeMap<>()));
        }
        Set<String> libpython = new TreeSet<>();
        external.keySet().removeIf(soname -> WheelAuditor.isLibpython(soname) && libpython.add(soname));
        List<String> missing = external.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
        if (!missing.isEmpty()) {
            throw new WheelRepairException(name + ": cannot reach " + graft.tag() + ": libraries not found on this system: "
                    + String.join(", ", missing));
        }
        WheelFileName fileName = WheelFileName.parse(name);
        Files.createDirectories(outputDirectory);
        Path work = Files.createTempDirectory(outputDirectory, ".repair-");
        try (WheelArchive archive = WheelArchive.open(rawWheel)) {
            WheelContents contents = archive.contents();
            String libsDirectory = fileName.distribution() + options.libSubdirectory();
            if (WheelPaths.normalize(libsDirectory) == null || !WheelPaths.normalize(libsDirectory).equals(libsDirectory)) {
                throw new WheelRepairException(name + ": library subdirectory '" + options.libSubdirectory()
                        + "' gives the folder '" + libsDirectory + "', which is not a plain path inside the wheel");
            }
            Map<String, String> grafted = new LinkedHashMap<>();
            Map<String, String> newNames = new LinkedHashMap<>();
            Map<String, Path> copies = new LinkedHashMap<>();
            List<Sbom.Source> sources = new ArrayList<>();
            for (Map.Entry<String, String> lib : external.entrySet()) {
                ResolvedLibrary resolved = audit.resolvedLibraries().get(lib.getValue());
                Path copy = work.resolve("graft-" + copies.size());
                resolver.copy(resolved, copy);
                String newName = hashedName(WheelPaths.baseName(lib.getValue()), copy);
                newNames.put(lib.getKey(), newName);
                copies.put(lib.getKey(), copy);
                grafted.put(lib.getKey(), libsDirectory + "/" + newName);
                Optional<ProvidingPackage> owner = resolver.providingPackage(resolved);
                owner.ifPresent(o -> sources.add(new Sbom.Source(resolved.path(), o)));
            }
            // The wheel's objects that get patched or stripped, extracted to files.
            Map<String, Path> objects = new LinkedHashMap<>();
            for (WheelElf elf : audit.elfFiles()) {
                Map<String, String> refs = audit.externalReferences().getOrDefault(elf.path(), Map.of())
                        .getOrDefault(graft.name(), new TreeMap<>());
                if (!refs.isEmpty() || options.strip()) {
                    Path file = work.resolve("elf-" + objects.size());
                    try (InputStream in = archive.openEntry(elf.path())) {
                        Files.copy(in, file);
                    }
                    objects.put(elf.path(), file);
                }
            }
            if (options.strip()) {
                // Before patchelf: stripping a patched object has produced broken files.
                List<Path> toStrip = new ArrayList<>(copies.values());
                toStrip.addAll(objects.values());
                strip(toStrip, audit.policies().architecture(), name);
            }
            for (Map.Entry<String, Path> copy : copies.entrySet()) {
                ResolvedLibrary resolved = audit.resolvedLibraries().get(external.get(copy.getKey()));
                String file = copy.getValue().toString();
                List<String> replace = new ArrayList<>(List.of(options.patchelf()));
                for (String needed : resolved.elf().needed()) {
                    if (newNames.containsKey(needed)) {
                        replace.addAll(List.of("--replace-needed", needed, newNames.get(needed)));
                    }
                }
                // One change per call: some patchelf releases garble the string table when one call
                // both replaces DT_NEEDED entries and sets the search path.
                patchelf(List.of(options.patchelf(), "--set-soname", newNames.get(copy.getKey()), file));
                if (replace.size() > 1) {
                    replace.add(file);
                    patchelf(replace);
                    patchelf(List.of(options.patchelf(), "--set-rpath", "$ORIGIN", "--force-rpath", file));
                } else {
                    // Its own search path would point at the system it came from: nothing it loads is bundled.
                    patchelf(List.of(options.patchelf(), "--remove-rpath", file));
                }
                contents.put(grafted.get(copy.getKey()), EntrySource.of(copy.getValue()), 0100755);
            }
            for (WheelElf elf : audit.elfFiles()) {
                Path file = objects.get(elf.path());
                if (file == null) {
                    continue;
                }
                Map<String, String> refs = audit.externalReferences().getOrDefault(elf.path(), Map.of())
                        .getOrDefault(graft.name(), new TreeMap<>());
                if (!refs.isEmpty()) {
                    List<String> command = new ArrayList<>(List.of(options.patchelf()));
                    for (String needed : elf.elf().needed()) {
                        if (libpython.contains(needed)) {
                            command.addAll(List.of("--remove-needed", needed));
                            reporter.warn(name + ": removed " + needed + " from " + elf.path()
                                    + ": manylinux and musllinux wheels must not link libpython");
                        } else if (newNames.containsKey(needed)) {
                            command.addAll(List.of("--replace-needed", needed, newNames.get(needed)));
                        }
                    }
                    if (command.size() > 1) {
                        command.add(file.toString());
                        patchelf(command);
                    }
                    patchelf(List.of(options.patchelf(), "--set-rpath", searchPath(elf, libsDirectory), "--force-rpath",
                            file.toString()));
                }
                int mode = contents.get(elf.path()).map(WheelContents.Entry::mode).orElse(0100755);
                contents.put(elf.path(), EntrySource.of(file), mode);
            }
            WheelFileName renamed = fileName;
            if (options.updateTags()) {
                renamed = retag(archive, contents, fileName, target.platformTags(), audit.policies().architecture());
            }
            if (!sources.isEmpty()) {
                contents.put(archive.distInfoDirectory() + "/sboms/" + Sbom.FILE_NAME, Sbom.cycloneDx(renamed, sources));
            }
            WheelWriter.Options writerOptions = WheelWriter.Options.defaults().compressionLevel(options.compressionLevel());
            if (options.sourceDateEpoch().isPresent()) {
                writerOptions = writerOptions.sourceDateEpoch(options.sourceDateEpoch().getAsLong());
            }
            Path written = new WheelWriter(writerOptions).write(contents, outputDirectory.resolve(renamed.toString()));
            reporter.info(name + " -> " + written.getFileName() + (grafted.isEmpty() ? "" : " (bundled "
                    + String.join(", ", grafted.keySet()) + ")"));
            return new RepairResult(written, audit, graft, grafted);
        } finally {
            FileTrees.delete(work);
        }
    }

    /**
     * The platform tags become the built ones without {@code linux_<arch>}, plus the new ones, in
     * sorted order; {@code WHEEL} keeps its other tags and gains one per interpreter and ABI pair.
     */
    private static WheelFileName retag(WheelArchive archive, WheelContents contents, WheelFileName fileName,
                                       List<String> platforms, String architecture) throws IOException {
        String generic = "linux_" + architecture;
        Set<String> tags = new TreeSet<>();
        for (String tag : fileName.platformTags()) {
            if (!tag.equals(generic)) {
                tags.add(tag);
            }
        }
        tags.addAll(platforms);
        WheelFileName renamed = fileName.withPlatformTags(List.copyOf(tags));
        WheelInfo info = archive.wheelInfo();
        Set<String> pythonAbi = new LinkedHashSet<>();
        List<String> kept = new ArrayList<>();
        for (String tag : info.tags()) {
            int last = tag.lastIndexOf('-');
            pythonAbi.add(tag.substring(0, last));
            if (!tag.substring(last + 1).equals(generic)) {
                kept.add(tag);
            }
        }
        Set<String> wheelTags = new LinkedHashSet<>(kept);
        for (String pair : pythonAbi) {
            for (String platform : platforms) {
                wheelTags.add(pair + "-" + platform);
            }
        }
        contents.put(archive.distInfoDirectory() + "/WHEEL",
                info.withTags(List.copyOf(wheelTags)).serialize().getBytes(StandardCharsets.UTF_8));
        return renamed;
    }

    /**
     * The policy to bundle for and the tags to give, or a failure naming what stands in the way.
     * Without a request, the best policy the wheel reaches; when even the least compatible one is out
     * of reach, that one is tried, so the failure names its obstacles.
     */
    static Target chooseTarget(WheelAudit audit, RepairOptions options, String name) throws WheelRepairException {
        PolicySet policies = audit.policies();
        String platform = options.platform();
        if (platform == null || platform.isBlank() || platform.trim().equals("auto")) {
            Policy best = audit.repairablePolicy(null);
            Policy target = best.isGenericLinux() ? policies.lowestNonGeneric() : best;
            if (target.isGenericLinux()) {
                throw new WheelRepairException(name + ": no " + policies.libc().family() + " policy exists for "
                        + policies.architecture());
            }
            check(audit, target, name);
            return new Target(target, target.tags());
        }
        Policy requested = policies.find(platform.trim()).orElseThrow(() -> new WheelRepairException(name
                + ": platform '" + platform + "' names no " + policies.libc().family() + " policy for "
                + policies.architecture()));
        check(audit, requested, name);
        Policy best = audit.repairablePolicy(requested.name());
        if (!options.onlyPlatform() && best.priority() > requested.priority()) {
            List<String> tags = new ArrayList<>(best.tags());
            tags.addAll(requested.tags());
            return new Target(best, tags);
        }
        return new Target(requested, requested.tags());
    }

    private static void check(WheelAudit audit, Policy target, String name) throws WheelRepairException {
        List<String> reasons = new ArrayList<>();
        if (audit.symbolPolicy().priority() < target.priority()) {
            Set<String> beyond = PolicySet.versionsBeyond(target, audit.versionedSymbols());
            reasons.add("symbol versions " + (beyond.isEmpty() ? audit.versionedSymbols().toString() : String.join(", ", beyond))
                    + " are too recent (build on an older system, such as its manylinux image)");
        }
        if (audit.blacklistPolicy().priority() < target.priority()) {
            PolicyUpgrade upgrade = audit.policyUpgrades().get(target.tag());
            if (upgrade != null && !upgrade.blacklistedSymbols().isEmpty()) {
                upgrade.blacklistedSymbols().forEach((lib, symbols) ->
                        reasons.add("it imports " + String.join(", ", symbols) + " from " + lib + ", which "
                                + target.tag() + " forbids"));
            } else {
                reasons.add("it imports symbols " + target.tag() + " forbids");
            }
        }
        if (audit.machinePolicy().priority() < target.priority()) {
            reasons.add("it needs instruction set extensions above the x86-64 baseline");
        }
        if (audit.pyfpePolicy().priority() < target.priority()) {
            reasons.add("an extension imports fpectl symbols (PyFPE_jbuf...), which PEP 513 rules out");
        }
        if (!reasons.isEmpty()) {
            Policy reachable = audit.repairablePolicy(null);
            throw new WheelRepairException(name + ": cannot reach " + target.tag() + " (best reachable: "
                    + reachable.tag() + "): " + Reasons.summary(reasons));
        }
    }

    /** {@code $ORIGIN/<relative path to .libs>} after the object's existing in-wheel entries. */
    static String searchPath(WheelElf elf, String libsDirectory) {
        String directory = WheelPaths.parent(elf.path());
        Set<String> entries = new LinkedHashSet<>();
        List<String> old = elf.elf().usesRunpath() ? elf.elf().runpath() : elf.elf().rpath();
        for (String entry : old) {
            String value = entry.replace("${ORIGIN}", "$ORIGIN");
            if (value.startsWith("$ORIGIN") && WheelPaths.normalize(directory + "/" + value.substring("$ORIGIN".length())) != null) {
                entries.add(value);
            }
        }
        entries.add("$ORIGIN/" + relative(directory, libsDirectory));
        return String.join(":", entries);
    }

    static String relative(String from, String to) {
        List<String> a = from.isEmpty() ? List.of() : List.of(from.split("/"));
        List<String> b = List.of(to.split("/"));
        int common = 0;
        while (common < a.size() && common < b.size() && a.get(common).equals(b.get(common))) {
            common++;
        }
        StringBuilder out = new StringBuilder();
        for (int i = common; i < a.size(); i++) {
            out.append("../");
        }
        out.append(String.join("/", b.subList(common, b.size())));
        return out.toString();
    }

    /** {@code libfoo.so.1.2} → {@code libfoo-<8 hex of sha256>.so.1.2}. */
    static String hashedName(String fileName, Path content) throws IOException {
        String digest;
        try (InputStream in = Files.newInputStream(content)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
            digest = HexFormat.of().formatHex(sha.digest()).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        int dot = fileName.indexOf('.');
        return dot < 0 ? fileName + "-" + digest : fileName.substring(0, dot) + "-" + digest + fileName.substring(dot);
    }

    /**
     * Strips symbol tables ({@code strip -s}) with the binutils of the wheel's architecture: the
     * host's {@code strip} reads only the host's formats, a cross {@code <triplet>-strip} the others.
     */
    private void strip(List<Path> files, String architecture, String name) throws IOException, WheelRepairException {
        if (files.isEmpty()) {
            return;
        }
        String tool = stripTool(architecture);
        for (Path file : files) {
            List<String> command = List.of(tool, "-s", file.toString());
            List<String> output = new ArrayList<>();
            ProcessResult result;
            try {
                result = ProcessRunner.of(command).onOutput(output::add).timeout(Duration.ofMinutes(5)).run();
            } catch (IOException e) {
                throw new IOException("cannot run " + tool + " (is binutils installed?): " + e.getMessage(), e);
            }
            if (!result.succeeded()) {
                throw new WheelRepairException(name + ": " + tool + " failed on a " + architecture + " object: "
                        + result.tailText());
            }
        }
    }

    static String stripTool(String architecture) {
        String host = System.getProperty("os.arch");
        boolean native_ = switch (architecture) {
            case "x86_64" -> host.equals("amd64") || host.equals("x86_64");
            case "i686" -> host.equals("amd64") || host.equals("x86_64") || host.equals("x86") || host.equals("i386");
            case "aarch64" -> host.equals("aarch64");
            default -> host.equals(architecture);
        };
        if (native_) {
            return "strip";
        }
        List<String> triplets = switch (architecture) {
            case "aarch64" -> List.of("aarch64-linux-gnu", "aarch64-linux-musl");
            case "armv7l" -> List.of("arm-linux-gnueabihf", "arm-linux-musleabihf");
            case "ppc64le" -> List.of("powerpc64le-linux-gnu");
            case "ppc64" -> List.of("powerpc64-linux-gnu");
            case "s390x" -> List.of("s390x-linux-gnu");
            case "riscv64" -> List.of("riscv64-linux-gnu");
            case "loongarch64" -> List.of("loongarch64-linux-gnu");
            case "x86_64" -> List.of("x86_64-linux-gnu");
            case "i686" -> List.of("i686-linux-gnu");
            default -> List.of();
        };
        for (String triplet : triplets) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, triplet + "-strip"))) {
                    return triplet + "-strip";
                }
            }
        }
        return "strip";
    }

    private void patchelf(List<String> command) throws IOException, WheelRepairException {
        List<String> output = new ArrayList<>();
        ProcessResult result;
        try {
            result = ProcessRunner.of(command).onOutput(output::add).timeout(Duration.ofMinutes(5)).run();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + " (is patchelf installed?): " + e.getMessage(), e);
        }
        if (!result.succeeded()) {
            throw new WheelRepairException("patchelf failed: " + String.join(" ", command) + "\n" + result.tailText());
        }
        reporter.debug(String.join(" ", command));
    }
}
