package org.neuronsimulator.wheel.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.archive.InvalidWheelException;
import org.neuronsimulator.wheel.archive.ZipArchive;
import org.neuronsimulator.wheel.archive.ZipEntryInfo;
import org.neuronsimulator.wheel.elf.ElfFile;
import org.neuronsimulator.wheel.elf.ElfFormatException;
import org.neuronsimulator.wheel.elf.ElfIdentity;
import org.neuronsimulator.wheel.elf.ElfReader;
import org.neuronsimulator.wheel.elf.StreamByteSource;
import org.neuronsimulator.wheel.elf.SymbolFilter;

/**
 * Decides which manylinux or musllinux policy a wheel satisfies. Entries are read straight from the
 * zip, each inflated only as far as its dynamic information reaches, on several threads. Library
 * resolution goes through a {@link LibraryResolver}.
 */
public final class WheelAuditor {

    private static final Pattern LIBPYTHON = Pattern.compile("^libpython\\d+\\.\\d+m?\\.so(\\.\\d+)*$");

    private final LibraryResolver resolver;
    private final AuditOptions options;
    private final PolicyTable table;
    private final Reporter reporter;
    private final List<Pattern> excludes;

    public WheelAuditor(LibraryResolver resolver, AuditOptions options, PolicyTable table, Reporter reporter) {
        this.resolver = resolver;
        this.options = options;
        this.table = table;
        this.reporter = reporter;
        this.excludes = options.excludes().stream().map(Glob::compile).toList();
    }

    public WheelAuditor(LibraryResolver resolver, AuditOptions options) {
        this(resolver, options, PolicyTable.builtIn(), Reporter.NONE);
    }

    /** Audits one wheel file. */
    public WheelAudit audit(Path wheel) throws IOException, WheelAuditException {
        String fileName = wheel.getFileName().toString();
        List<String> notes = new ArrayList<>();
        long start = System.nanoTime();
        List<WheelElf> elves = readElfFiles(wheel, fileName, notes);
        reporter.debug(fileName + ": read " + elves.size() + " ELF objects in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        if (elves.isEmpty()) {
            throw new WheelAuditException(fileName + ": not a platform wheel: it holds no ELF shared library or executable");
        }
        String architecture = null;
        List<WheelElf> kept = new ArrayList<>();
        for (WheelElf e : elves) {
            String arch = e.elf().identity().architecture();
            if (arch == null) {
                notes.add(e.path() + ": ignored, " + e.elf().identity() + " is no policy architecture");
                continue;
            }
            if (architecture == null) {
                architecture = arch;
            }
            if (!arch.equals(architecture)) {
                notes.add(e.path() + ": ignored, built for " + arch + " while the wheel is " + architecture);
                continue;
            }
            kept.add(e);
        }
        if (architecture == null) {
            throw new WheelAuditException(fileName + ": no ELF object in the wheel is built for an architecture the policies know");
        }
        Libc libc = detectLibc(kept, fileName);
        PolicySet policies = table.forArchitecture(libc, architecture);
        return new Analysis(fileName, policies, kept, notes).run();
    }

    private List<WheelElf> readElfFiles(Path wheel, String fileName, List<String> notes)
            throws IOException, WheelAuditException {
        ZipArchive zip;
        try {
            zip = ZipArchive.open(wheel);
        } catch (InvalidWheelException e) {
            throw new WheelAuditException(fileName + ": not a readable zip archive (" + e.reason() + ")", e);
        }
        SymbolFilter filter = SymbolFilter.of(List.of("PyInit_"), blacklistedNames());
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "wheel-audit");
            t.setDaemon(true);
            return t;
        });
        try (zip) {
            List<ZipEntryInfo> candidates = new ArrayList<>();
            for (ZipEntryInfo entry : zip.entries()) {
                String name = entry.name();
                if (entry.isDirectory() || name.endsWith(".py") || name.endsWith(".pyi") || name.endsWith(".pyc")
                        || name.contains(".dist-info/") || entry.size() == 0) {
                    continue;
                }
                if (name.startsWith("/") || List.of(name.split("/")).contains("..")) {
                    throw new WheelAuditException(fileName + ": entry '" + name + "' has an unsafe path");
                }
                candidates.add(entry);
            }
            // Largest entries first, so that the threads finish together.
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                order.add(i);
            }
            order.sort((a, b) -> Long.compare(candidates.get(b).size(), candidates.get(a).size()));
            List<Future<WheelElf>> futures = new ArrayList<>(java.util.Collections.nCopies(candidates.size(), null));
            for (int i : order) {
                ZipEntryInfo entry = candidates.get(i);
                futures.set(i, pool.submit(() -> readEntry(zip, entry, filter)));
            }
            List<WheelElf> result = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                String name = candidates.get(i).name();
                try {
                    WheelElf elf = futures.get(i).get();
                    if (elf != null) {
                        result.add(elf);
                    } else if (looksLikeLibrary(name)) {
                        notes.add(name + ": not an ELF file, ignored");
                    }
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof ElfFormatException fe) {
                        errors.add(fe.getMessage());
                    } else if (cause instanceof IOException io) {
                        errors.add(name + ": cannot be read (" + io.getMessage() + ")");
                    } else {
                        errors.add(name + ": " + cause);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while reading " + fileName, e);
                }
            }
            if (!errors.isEmpty()) {
                throw new WheelAuditException(fileName + ": malformed ELF data: " + String.join("; ", errors));
            }
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean looksLikeLibrary(String name) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        return base.endsWith(".so") || base.contains(".so.");
    }

    private Set<String> blacklistedNames() {
        Set<String> names = new HashSet<>();
        for (Libc libc : Libc.values()) {
            for (PolicyTable.Entry e : table.entries(libc)) {
                e.blacklist().values().forEach(names::addAll);
            }
        }
        return names;
    }

    private static WheelElf readEntry(ZipArchive zip, ZipEntryInfo entry, SymbolFilter filter) throws IOException {
        try (StreamByteSource source = new StreamByteSource(() -> zip.openEntry(entry), entry.size())) {
            byte[] magic = new byte[4];
            if (entry.size() >= 0 && entry.size() < 4) {
                return null;
            }
            source.read(0, magic, 0, 4);
            if (!ElfReader.hasElfMagic(magic, 4)) {
                return null;
            }
            ElfFile elf = ElfReader.read(entry.name(), source, filter);
            return new WheelElf(entry.name(), elf, elf.isPythonExtension());
        }
    }

    private static Libc detectLibc(List<WheelElf> elves, String fileName) {
        for (WheelElf e : elves) {
            ElfFile elf = e.elf();
            String interp = elf.interpreter();
            if (interp != null && interp.contains("ld-musl")) {
                return Libc.MUSL;
            }
            if (interp != null && (interp.contains("ld-linux") || interp.contains("ld64.so"))) {
                return Libc.GLIBC;
            }
            for (String needed : elf.needed()) {
                if (needed.equals("libc.so.6")) {
                    return Libc.GLIBC;
                }
                if (needed.equals("libc.so") || needed.startsWith("libc.musl-")) {
                    return Libc.MUSL;
                }
            }
        }
        return fileName.contains("musllinux_") ? Libc.MUSL : Libc.GLIBC;
    }

    private boolean excluded(String sonameOrPath) {
        for (Pattern p : excludes) {
            if (p.matcher(sonameOrPath).matches()) {
                return true;
            }
        }
        return false;
    }

    static boolean isLoader(String soname) {
        return soname.contains("ld-linux") || soname.equals("ld64.so.2") || soname.equals("ld64.so.1")
                || soname.startsWith("ld-musl");
    }

    /** A library in an object's dependency tree. */
    private record Node(String soname, String path, boolean internal, ElfFile elf, String origin) {
    }

    /** A directory to search: inside the wheel (relative path) or on the system. */
    private record SearchDirectory(String path, boolean inWheel) {
    }

    private final class Analysis {
        private final String fileName;
        private final PolicySet policies;
        private final List<WheelElf> elves;
        private final List<String> notes;
        private final Map<String, WheelElf> byPath = new HashMap<>();
        private final Map<String, ResolvedLibrary> resolved = new TreeMap<>();

        Analysis(String fileName, PolicySet policies, List<WheelElf> elves, List<String> notes) {
            this.fileName = fileName;
            this.policies = policies;
            this.elves = elves;
            this.notes = notes;
            for (WheelElf e : elves) {
                byPath.put(e.path(), e);
            }
        }

        WheelAudit run() throws IOException {
            Map<String, Map<String, Node>> trees = new LinkedHashMap<>();
            for (WheelElf e : elves) {
                Map<String, Node> libs = new LinkedHashMap<>();
                walk(e.elf(), WheelPaths.parent(e.path()), true, List.of(), libs, 0);
                trees.put(e.path(), libs);
            }
            Set<String> neededNames = new HashSet<>();
            for (WheelElf e : elves) {
                neededNames.addAll(e.elf().needed());
            }
            List<WheelElf> tops = new ArrayList<>();
            for (WheelElf e : elves) {
                if (e.extension() || !neededNames.contains(WheelPaths.baseName(e.path()))) {
                    tops.add(e);
                }
            }

            // policy name → soname → path, and policy name → soname → forbidden symbols, over the top objects
            Map<String, Map<String, SortedMap<String, String>>> perFile = new LinkedHashMap<>();
            Map<String, SortedMap<String, String>> libsByPolicy = new LinkedHashMap<>();
            Map<String, SortedMap<String, SortedSet<String>>> blacklistByPolicy = new LinkedHashMap<>();
            for (Policy p : policies.all()) {
                libsByPolicy.put(p.name(), new TreeMap<>());
                blacklistByPolicy.put(p.name(), new TreeMap<>());
            }
            Set<String> topPaths = new HashSet<>();
            tops.forEach(t -> topPaths.add(t.path()));
            // Policies with the same whitelist have the same external references: walk once per whitelist.
            Map<Set<String>, List<Policy>> byWhitelist = new LinkedHashMap<>();
            for (Policy p : policies.all()) {
                byWhitelist.computeIfAbsent(p.isGenericLinux() ? null : p.libraries(), k -> new ArrayList<>()).add(p);
            }
            for (WheelElf e : elves) {
                Map<String, Node> tree = trees.get(e.path());
                Map<String, SortedMap<String, String>> refs = new LinkedHashMap<>();
                Map<String, SortedMap<String, String>> computed = new HashMap<>();
                for (Map.Entry<Set<String>, List<Policy>> group : byWhitelist.entrySet()) {
                    SortedMap<String, String> libs = group.getKey() == null ? new TreeMap<>()
                            : externalReferences(e.elf(), tree, group.getKey());
                    for (Policy p : group.getValue()) {
                        computed.put(p.name(), libs);
                    }
                }
                for (Policy p : policies.all()) {
                    SortedMap<String, String> libs = computed.get(p.name());
                    refs.put(p.name(), libs);
                    if (topPaths.contains(e.path())) {
                        libsByPolicy.get(p.name()).putAll(libs);
                        blacklisted(e.elf(), p).forEach((lib, symbols) ->
                                blacklistByPolicy.get(p.name()).computeIfAbsent(lib, k -> new TreeSet<>()).addAll(symbols));
                    }
                }
                perFile.put(e.path(), refs);
            }

            SortedMap<String, SortedSet<String>> versioned = new TreeMap<>();
            for (WheelElf e : elves) {
                addVersions(versioned, e.elf());
            }

            // Versions needed by the external libraries, which bundling brings along.
            Map<String, ElfFile> externalElves = new HashMap<>();
            for (Policy p : policies.all()) {
                if (p.isGenericLinux()) {
                    continue;
                }
                for (Map.Entry<String, String> lib : libsByPolicy.get(p.name()).entrySet()) {
                    if (lib.getValue() != null && resolved.containsKey(lib.getValue())) {
                        externalElves.putIfAbsent(lib.getKey(), resolved.get(lib.getValue()).elf());
                    }
                }
            }
            Policy symbolPolicy = null;
            SortedMap<String, SortedSet<String>> symbolVersions = versioned;
            for (Policy p : policies.all()) {
                if (p.isGenericLinux()) {
                    continue;
                }
                SortedMap<String, SortedSet<String>> withExternal = copy(versioned);
                for (String soname : libsByPolicy.get(p.name()).keySet()) {
                    ElfFile lib = externalElves.get(soname);
                    if (lib != null) {
                        addVersions(withExternal, lib);
                    }
                }
                Policy found = min(p, policies.symbolPolicy(withExternal));
                if (symbolPolicy == null || found.priority() > symbolPolicy.priority()) {
                    symbolPolicy = found;
                    symbolVersions = withExternal;
                }
            }
            if (symbolPolicy == null) {
                symbolPolicy = policies.symbolPolicy(versioned);
            }
            Policy referencePolicy = policies.linux();
            Policy blacklistPolicy = policies.linux();
            for (Policy p : policies.all()) {
                if (libsByPolicy.get(p.name()).isEmpty() && p.priority() > referencePolicy.priority()) {
                    referencePolicy = p;
                }
                if (blacklistByPolicy.get(p.name()).isEmpty() && p.priority() > blacklistPolicy.priority()) {
                    blacklistPolicy = p;
                }
            }
            Policy machinePolicy = machinePolicy(tops, trees, externalElves.keySet());
            Policy overall = min(min(symbolPolicy, referencePolicy), min(blacklistPolicy, machinePolicy));

            SortedMap<String, PolicyUpgrade> upgrades = new TreeMap<>();
            for (Policy p : policies.all()) {
                if (p.priority() <= overall.priority()) {
                    continue;
                }
                List<String> libs = List.copyOf(libsByPolicy.get(p.name()).keySet());
                SortedMap<String, List<String>> forbidden = new TreeMap<>();
                blacklistByPolicy.get(p.name()).forEach((k, v) -> forbidden.put(k, List.copyOf(v)));
                if (!libs.isEmpty() || !forbidden.isEmpty()) {
                    upgrades.put(p.tag(), new PolicyUpgrade(libs, forbidden));
                }
            }
            SortedMap<String, String> external = new TreeMap<>(libsByPolicy.get(policies.highest().name()));
            reporter.debug(fileName + ": " + elves.size() + " ELF objects, " + tops.size() + " top-level");
            return new WheelAudit(fileName, policies, overall, symbolPolicy, referencePolicy, blacklistPolicy,
                    machinePolicy, symbolVersions, external, upgrades, List.copyOf(elves), perFile,
                    Map.copyOf(resolved), List.copyOf(notes));
        }

        private Policy min(Policy a, Policy b) {
            return a.priority() <= b.priority() ? a : b;
        }

        private SortedMap<String, SortedSet<String>> copy(SortedMap<String, SortedSet<String>> versions) {
            SortedMap<String, SortedSet<String>> result = new TreeMap<>();
            versions.forEach((k, v) -> result.put(k, new TreeSet<>(v)));
            return result;
        }

        private void addVersions(SortedMap<String, SortedSet<String>> target, ElfFile elf) {
            for (Map.Entry<String, List<String>> e : elf.versionRequirements().entrySet()) {
                if (isLoader(e.getKey())) {
                    continue;
                }
                target.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).addAll(e.getValue());
            }
        }

        private Policy machinePolicy(List<WheelElf> tops, Map<String, Map<String, Node>> trees,
                                     Collection<String> externalSonames) {
            if (options.skipIsaCheck() || !policies.architecture().equals("x86_64")) {
                return policies.highest();
            }
            for (WheelElf top : tops) {
                if (top.elf().x86IsaLevel() > 1) {
                    notes.add(top.path() + ": needs the x86-64-v" + top.elf().x86IsaLevel() + " instruction set");
                    return policies.linux();
                }
                for (Node node : trees.get(top.path()).values()) {
                    if (!node.internal() && node.elf() != null && externalSonames.contains(node.soname())
                            && node.elf().x86IsaLevel() > 1) {
                        notes.add(node.path() + ": needs the x86-64-v" + node.elf().x86IsaLevel() + " instruction set");
                        return policies.linux();
                    }
                }
            }
            return policies.highest();
        }

        private final Map<String, Boolean> alwaysAllowed = new HashMap<>();

        private boolean allowed(String soname, Set<String> whitelist) {
            if (whitelist.contains(soname)) {
                return true;
            }
            return alwaysAllowed.computeIfAbsent(soname, s -> isLoader(s) || LIBPYTHON.matcher(s).matches());
        }

        private SortedMap<String, String> externalReferences(ElfFile elf, Map<String, Node> tree, Set<String> p) {
            SortedMap<String, String> result = new TreeMap<>();
            List<String> queue = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String soname : elf.needed()) {
                if (tree.containsKey(soname) && !allowed(soname, p) && seen.add(soname)) {
                    queue.add(soname);
                }
            }
            for (int i = 0; i < queue.size(); i++) {
                Node node = tree.get(queue.get(i));
                if (node.elf() == null) {
                    continue;
                }
                for (String dep : node.elf().needed()) {
                    if (tree.containsKey(dep) && !allowed(dep, p) && seen.add(dep)) {
                        queue.add(dep);
                    }
                }
            }
            for (String soname : queue) {
                Node node = tree.get(soname);
                if (!node.internal()) {
                    result.put(soname, node.path());
                }
            }
            return result;
        }

        private Map<String, Set<String>> blacklisted(ElfFile elf, Policy p) {
            Map<String, Set<String>> result = new TreeMap<>();
            if (p.blacklist().isEmpty()) {
                return result;
            }
            for (String soname : elf.needed()) {
                Set<String> forbidden = p.blacklist().get(soname);
                if (forbidden == null) {
                    continue;
                }
                for (var symbol : elf.symbols()) {
                    if (!symbol.defined() && !symbol.weak() && forbidden.contains(symbol.name())) {
                        result.computeIfAbsent(soname, k -> new TreeSet<>()).add(symbol.name());
                    }
                }
            }
            return result;
        }

        /** Resolves the dependencies of one object like the loader, first resolution of a soname wins. */
        private void walk(ElfFile elf, String origin, boolean inWheel, List<SearchDirectory> inheritedRpath,
                          Map<String, Node> libs, int depth) throws IOException {
            if (depth > 64) {
                return;
            }
            List<SearchDirectory> rpath = new ArrayList<>();
            if (!elf.usesRunpath()) {
                rpath.addAll(expand(elf.rpath(), origin, inWheel));
                rpath.addAll(inheritedRpath);
            }
            List<SearchDirectory> runpath = expand(elf.runpath(), origin, inWheel);
            for (String soname : elf.needed()) {
                if (libs.containsKey(soname) || excluded(soname)) {
                    continue;
                }
                if (LIBPYTHON.matcher(soname).matches()) {
                    libs.put(soname, new Node(soname, null, false, null, null));
                    continue;
                }
                Node node = find(soname, elf.identity(), rpath, runpath);
                if (node.path() != null && !node.internal() && excluded(node.path())) {
                    continue;
                }
                libs.put(soname, node);
                if (node.elf() != null) {
                    walk(node.elf(), node.origin(), node.internal(), rpath, libs, depth + 1);
                }
            }
        }

        private Node find(String soname, ElfIdentity identity, List<SearchDirectory> rpath,
                          List<SearchDirectory> runpath) throws IOException {
            List<String> systemRpath = new ArrayList<>();
            List<String> systemRunpath = new ArrayList<>();
            for (List<SearchDirectory> dirs : List.of(rpath, runpath)) {
                for (SearchDirectory dir : dirs) {
                    if (dir.inWheel()) {
                        String candidate = dir.path().isEmpty() ? soname : dir.path() + "/" + soname;
                        WheelElf inside = byPath.get(candidate);
                        if (inside != null && inside.elf().identity().equals(identity)) {
                            return new Node(soname, candidate, true, inside.elf(), dir.path());
                        }
                    } else {
                        (dirs == rpath ? systemRpath : systemRunpath).add(dir.path());
                    }
                }
            }
            Optional<ResolvedLibrary> found = resolver.resolve(soname, identity, systemRpath, systemRunpath);
            if (found.isEmpty()) {
                return new Node(soname, null, false, null, null);
            }
            ResolvedLibrary lib = found.get();
            synchronized (resolved) {
                resolved.putIfAbsent(lib.path(), lib);
            }
            return new Node(soname, lib.path(), false, lib.elf(), WheelPaths.parent(lib.path()));
        }

        private List<SearchDirectory> expand(List<String> entries, String origin, boolean inWheel) {
            List<SearchDirectory> result = new ArrayList<>();
            for (String entry : entries) {
                String value = entry.replace("${ORIGIN}", "$ORIGIN");
                boolean usesOrigin = value.contains("$ORIGIN");
                value = value.replace("$ORIGIN", inWheel ? (origin.isEmpty() ? "." : origin) : origin);
                value = value.replace("$LIB", policies.architecture().endsWith("64") ? "lib64" : "lib")
                        .replace("${LIB}", "lib");
                if (inWheel && usesOrigin) {
                    String normal = WheelPaths.normalize(value);
                    if (normal != null) {
                        result.add(new SearchDirectory(normal, true));
                    }
                } else if (value.startsWith("/")) {
                    result.add(new SearchDirectory(value, false));
                }
            }
            return result;
        }
    }



}
