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
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
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
import org.neuronsimulator.wheel.audit.ResolvedLibrary;
import org.neuronsimulator.wheel.audit.WheelAudit;
import org.neuronsimulator.wheel.audit.WheelAuditException;
import org.neuronsimulator.wheel.audit.WheelAuditor;
import org.neuronsimulator.wheel.audit.WheelElf;
import org.neuronsimulator.wheel.model.WheelFileName;
import org.neuronsimulator.wheel.model.WheelInfo;
import org.neuronsimulator.wheel.audit.WheelPaths;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * Makes a wheel satisfy a manylinux/musllinux policy: bundles its external libraries into
 * {@code <package>.libs/} under hash-suffixed names, points the objects at them with patchelf,
 * retags the filename and {@code WHEEL}, and writes the wheel with a regenerated {@code RECORD}.
 */
public final class WheelRepairer {

    private final LibraryResolver resolver;
    private final Reporter reporter;

    public WheelRepairer(LibraryResolver resolver, Reporter reporter) {
        this.resolver = resolver;
        this.reporter = reporter;
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
        Policy target = choosePolicy(audit, options.platform(), name);
        Map<String, String> external = new TreeMap<>();
        for (Map<String, SortedMap<String, String>> refs : audit.externalReferences().values()) {
            external.putAll(refs.getOrDefault(target.name(), new TreeMap<>()));
        }
        List<String> missing = external.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
        if (!missing.isEmpty()) {
            throw new WheelRepairException(name + ": cannot reach " + target.tag() + ": libraries not found on this system: "
                    + String.join(", ", missing));
        }
        WheelFileName fileName = WheelFileName.parse(name);
        Files.createDirectories(outputDirectory);
        Path work = Files.createTempDirectory(outputDirectory, ".repair-");
        try (WheelArchive archive = WheelArchive.open(rawWheel)) {
            WheelContents contents = archive.contents();
            String libsDirectory = fileName.distribution() + ".libs";
            Map<String, String> grafted = new LinkedHashMap<>();
            Map<String, String> newNames = new LinkedHashMap<>();
            Map<String, Path> copies = new LinkedHashMap<>();
            for (Map.Entry<String, String> lib : external.entrySet()) {
                ResolvedLibrary resolved = audit.resolvedLibraries().get(lib.getValue());
                Path copy = work.resolve("graft-" + copies.size());
                resolver.copy(resolved, copy);
                String newName = hashedName(WheelPaths.baseName(lib.getValue()), copy);
                newNames.put(lib.getKey(), newName);
                copies.put(lib.getKey(), copy);
                grafted.put(lib.getKey(), libsDirectory + "/" + newName);
            }
            // The bundled libraries find each other beside themselves.
            for (Map.Entry<String, Path> copy : copies.entrySet()) {
                ResolvedLibrary resolved = audit.resolvedLibraries().get(external.get(copy.getKey()));
                List<String> command = new ArrayList<>(List.of(options.patchelf(), "--set-soname",
                        newNames.get(copy.getKey())));
                for (String needed : resolved.elf().needed()) {
                    if (newNames.containsKey(needed)) {
                        command.addAll(List.of("--replace-needed", needed, newNames.get(needed)));
                    }
                }
                // One change per call: some patchelf releases garble the string table when one call
                // both replaces DT_NEEDED entries and sets the search path.
                if (command.size() > 3) {
                    List<String> replace = new ArrayList<>(List.of(options.patchelf()));
                    replace.addAll(command.subList(3, command.size()));
                    replace.add(copy.getValue().toString());
                    patchelf(replace);
                }
                patchelf(List.of(options.patchelf(), "--set-soname", newNames.get(copy.getKey()), copy.getValue().toString()));
                patchelf(List.of(options.patchelf(), "--set-rpath", "$ORIGIN", "--force-rpath", copy.getValue().toString()));
                contents.put(grafted.get(copy.getKey()), EntrySource.of(copy.getValue()), 0100755);
            }
            int patched = 0;
            for (WheelElf elf : audit.elfFiles()) {
                Map<String, String> refs = audit.externalReferences().getOrDefault(elf.path(), Map.of())
                        .getOrDefault(target.name(), new TreeMap<>());
                List<String> command = new ArrayList<>(List.of(options.patchelf()));
                for (String needed : elf.elf().needed()) {
                    if (newNames.containsKey(needed)) {
                        command.addAll(List.of("--replace-needed", needed, newNames.get(needed)));
                    }
                }
                if (refs.isEmpty() && command.size() == 1) {
                    continue;
                }
                Path file = work.resolve("elf-" + patched++);
                try (InputStream in = archive.openEntry(elf.path())) {
                    Files.copy(in, file);
                }
                if (command.size() > 1) {
                    command.add(file.toString());
                    patchelf(command);
                }
                patchelf(List.of(options.patchelf(), "--set-rpath", searchPath(elf, libsDirectory), "--force-rpath",
                        file.toString()));
                int mode = contents.get(elf.path()).map(WheelContents.Entry::mode).orElse(0100755);
                contents.put(elf.path(), EntrySource.of(file), mode);
            }
            List<String> platforms = new ArrayList<>(target.tags());
            WheelFileName renamed = fileName.withPlatformTags(platforms);
            WheelInfo info = archive.wheelInfo();
            List<String> tags = new ArrayList<>();
            for (String python : renamed.pythonTags()) {
                for (String abi : renamed.abiTags()) {
                    for (String platform : platforms) {
                        tags.add(python + "-" + abi + "-" + platform);
                    }
                }
            }
            String wheelFile = archive.distInfoDirectory() + "/WHEEL";
            contents.put(wheelFile, info.withTags(tags).serialize().getBytes(StandardCharsets.UTF_8));
            WheelWriter.Options writerOptions = WheelWriter.Options.defaults();
            if (options.sourceDateEpoch().isPresent()) {
                writerOptions = writerOptions.sourceDateEpoch(options.sourceDateEpoch().getAsLong());
            }
            Path written = new WheelWriter(writerOptions).write(contents, outputDirectory.resolve(renamed.toString()));
            reporter.info(name + " -> " + written.getFileName() + (grafted.isEmpty() ? "" : " (bundled "
                    + String.join(", ", grafted.keySet()) + ")"));
            return new RepairResult(written, audit, target, grafted);
        } finally {
            deleteTree(work);
        }
    }

    /** The policy to reach, or a failure naming what stands in the way. */
    static Policy choosePolicy(WheelAudit audit, String platform, String name) throws WheelRepairException {
        PolicySet policies = audit.policies();
        Policy reachable = audit.repairablePolicy();
        Policy target;
        if (platform == null || platform.isBlank()) {
            target = reachable;
            if (target.isGenericLinux()) {
                throw new WheelRepairException(name + ": no manylinux/musllinux policy can be reached: "
                        + obstacles(audit, policies.lowestNonGeneric()));
            }
            return target;
        }
        target = policies.find(platform.trim()).orElseThrow(() -> new WheelRepairException(name + ": platform '"
                + platform + "' names no " + policies.libc().family() + " policy for " + policies.architecture()));
        if (reachable.priority() < target.priority()) {
            throw new WheelRepairException(name + ": cannot reach " + target.tag() + " (best reachable: "
                    + reachable.tag() + "): " + obstacles(audit, target));
        }
        return target;
    }

    private static String obstacles(WheelAudit audit, Policy target) {
        List<String> reasons = new ArrayList<>();
        Set<String> beyond = PolicySet.versionsBeyond(target, audit.versionedSymbols());
        if (!beyond.isEmpty()) {
            reasons.add("symbol versions " + String.join(", ", beyond));
        }
        PolicyUpgrade upgrade = audit.policyUpgrades().get(target.tag());
        if (upgrade != null && !upgrade.blacklistedSymbols().isEmpty()) {
            upgrade.blacklistedSymbols().forEach((lib, symbols) ->
                    reasons.add("forbidden symbols " + String.join(", ", symbols) + " from " + lib));
        }
        if (audit.machinePolicy().isGenericLinux()) {
            reasons.add("instruction set extensions above the baseline");
        }
        if (reasons.isEmpty()) {
            reasons.add("symbol versions " + audit.versionedSymbols());
        }
        return String.join("; ", reasons);
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

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
