package org.neuronsimulator.wheel.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.neuronsimulator.wheel.Reasons;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.archive.InvalidWheelException;
import org.neuronsimulator.wheel.archive.PrefixInflater;
import org.neuronsimulator.wheel.archive.PrefixInflaterPool;
import org.neuronsimulator.wheel.archive.ZipArchive;
import org.neuronsimulator.wheel.archive.ZipEntryInfo;
import org.neuronsimulator.wheel.elf.ByteSource;
import org.neuronsimulator.wheel.elf.DynamicSymbol;
import org.neuronsimulator.wheel.elf.ElfFile;
import org.neuronsimulator.wheel.elf.ElfFormatException;
import org.neuronsimulator.wheel.elf.ElfIdentity;
import org.neuronsimulator.wheel.elf.ElfPlatform;
import org.neuronsimulator.wheel.elf.ElfReader;
import org.neuronsimulator.wheel.elf.StreamByteSource;
import org.neuronsimulator.wheel.elf.SymbolFilter;
import org.neuronsimulator.wheel.model.InvalidWheelFileNameException;
import org.neuronsimulator.wheel.model.WheelFileName;

/**
 * Decides which manylinux or musllinux policy a wheel satisfies, by the rules auditwheel applies
 * (PEP 513, 571, 599, 600, 656): the architecture and C library of each ELF object, the symbol
 * versions they need, the libraries they load outside the wheel, forbidden imports, fpectl
 * symbols, libpython linkage and x86-64 instruction set levels. Entries are read straight from
 * the zip, each inflated only as far as its dynamic information reaches, on several threads.
 * Library resolution goes through a {@link LibraryResolver}.
 */
public final class WheelAuditor {

    private static final Pattern LIBPYTHON = Pattern.compile("^libpython\\d+\\.\\d+m?\\.so(\\.\\d+)*$");

    /** Symbols of CPython's fpectl builds; PEP 513 rules out extensions that import them. */
    static final Set<String> FPECTL_SYMBOLS = Set.of("PyFPE_jbuf", "PyFPE_dummy", "PyFPE_counter");

    /** The architectures platform tags end with ({@code linux_x86_64}), longest first. */
    private static final List<String> TAG_ARCHITECTURES = List.of("loongarch64", "ppc64le", "aarch64", "riscv64",
            "armv7l", "x86_64", "ppc64", "s390x", "i686");

    private final LibraryResolver resolver;
    private final AuditOptions options;
    private final PolicyTable table;
    private final Reporter reporter;
    private final List<Pattern> excludes;
    private final PrefixInflaterPool inflaterPool;

    /**
     * An auditor whose inflaters come from {@code inflaterPool} and go back to it, for a batch of wheels; null:
     * each audit creates and releases its own.
     */
    public WheelAuditor(LibraryResolver resolver, AuditOptions options, PolicyTable table, Reporter reporter,
                        PrefixInflaterPool inflaterPool) {
        this.resolver = resolver;
        this.options = options;
        this.table = table;
        this.reporter = reporter;
        this.excludes = options.excludes().stream().map(Glob::compile).toList();
        this.inflaterPool = inflaterPool;
    }

    public WheelAuditor(LibraryResolver resolver, AuditOptions options, PolicyTable table, Reporter reporter) {
        this(resolver, options, table, reporter, null);
    }

    public WheelAuditor(LibraryResolver resolver, AuditOptions options) {
        this(resolver, options, PolicyTable.builtIn(), Reporter.NONE);
    }

    /** Whether a soname names CPython's shared library, which a wheel must not link. */
    public static boolean isLibpython(String soname) {
        return soname.startsWith("libpython") && LIBPYTHON.matcher(soname).matches();
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
        String named = architectureOfName(fileName);
        String architecture = named;
        List<WheelElf> kept = new ArrayList<>();
        List<String> unfit = new ArrayList<>();
        for (WheelElf e : elves) {
            ElfPlatform platform = e.elf().platform();
            String reason = null;
            if (!platform.known()) {
                reason = platform.problem();
            } else if (architecture == null) {
                architecture = platform.architecture();
            } else if (!platform.architecture().equals(architecture)) {
                reason = "built for " + platform.architecture() + " while the wheel is " + architecture;
            }
            if (reason != null) {
                notes.add(e.path() + ": ignored, " + reason);
                unfit.add(e.path() + " (" + reason + ")");
            } else {
                kept.add(e);
            }
        }
        if (kept.isEmpty()) {
            throw new WheelAuditException(fileName + ": no ELF object in the wheel is built for "
                    + (named != null ? "its architecture " + named : "an architecture the policies know") + ": "
                    + Reasons.summary(unfit));
        }
        Libc libc = libcOf(fileName, kept, notes, architecture);
        PolicySet policies;
        if (libc == Libc.MUSL) {
            Optional<LibcVersion> release = resolver.muslVersion(architecture);
            policies = table.forMusl(architecture, release);
            if (release.isEmpty()) {
                notes.add("this system's musl release is unknown: judged by the newest musllinux policy");
            }
        } else {
            policies = table.forArchitecture(libc, architecture);
        }
        return new Analysis(fileName, policies, kept, notes).run();
    }

    /** The single architecture the wheel's platform tags name, or null. */
    static String architectureOfName(String fileName) {
        List<String> platforms;
        try {
            platforms = WheelFileName.parse(fileName).platformTags();
        } catch (InvalidWheelFileNameException e) {
            return null;
        }
        Set<String> found = new HashSet<>();
        for (String platform : platforms) {
            if (platform.equals("any")) {
                continue;
            }
            String match = null;
            for (String arch : TAG_ARCHITECTURES) {
                if (platform.endsWith("_" + arch)) {
                    match = arch;
                    break;
                }
            }
            if (match == null) {
                return null;
            }
            found.add(match);
        }
        return found.size() == 1 ? found.iterator().next() : null;
    }

    /** The C library the wheel's tags name ({@code manylinux_*} glibc, {@code musllinux_*} musl), or null. */
    static Libc libcOfName(String fileName) {
        Set<Libc> found = new HashSet<>();
        try {
            for (String platform : WheelFileName.parse(fileName).platformTags()) {
                for (Libc libc : Libc.values()) {
                    if (platform.startsWith(libc.family())) {
                        found.add(libc);
                    }
                }
            }
        } catch (InvalidWheelFileNameException e) {
            return null;
        }
        return found.size() == 1 ? found.iterator().next() : null;
    }

    /**
     * The C library of the wheel: the one its tags and every object that names one agree on. A
     * disagreement, or an extension that names none in a wheel where nothing else does, is refused.
     */
    private Libc libcOf(String fileName, List<WheelElf> kept, List<String> notes, String architecture)
            throws WheelAuditException, IOException {
        Libc libc = libcOfName(fileName);
        String source = libc == null ? null : "its platform tag";
        WheelElf undecided = null;
        for (WheelElf e : kept) {
            Optional<Libc> found;
            try {
                found = LibcEvidence.of(e.path(), e.elf());
            } catch (IllegalArgumentException contradiction) {
                throw new WheelAuditException(fileName + ": " + contradiction.getMessage());
            }
            if (found.isEmpty()) {
                if (e.extension() && undecided == null) {
                    undecided = e;
                }
            } else if (libc == null) {
                libc = found.get();
                source = e.path();
            } else if (libc != found.get()) {
                throw new WheelAuditException(fileName + ": " + e.path() + " is built for " + name(found.get())
                        + " but " + source + " says " + name(libc));
            }
        }
        if (libc == null) {
            if (undecided != null && undecided.elf().needed().contains("libc.so")) {
                // musl's soname as Debian's musl-gcc links it, and no name a glibc object would need
                throw new WheelAuditException(fileName + ": cannot tell which C library " + undecided.path()
                        + " is built for: it has no interpreter, needs libc.so (no versioned glibc or musl name) and"
                        + " has no -linux-gnu (CPython 3.11 or later) or -linux-musl file name suffix");
            }
            // Nothing in the wheel tells (Debian's linker drops an unused libc.so.6, and before CPython 3.11
            // -linux-gnu also named musl builds): the C library of the system the libraries resolve in,
            // which built the wheel, decides. The reference tool gives up here with a traceback.
            libc = !resolver.hasGlibcLoader() && resolver.muslVersion(architecture).isPresent() ? Libc.MUSL : Libc.GLIBC;
            notes.add((undecided != null ? undecided.path() + " names no C library (no interpreter, no libc in"
                    + " DT_NEEDED, a file name suffix that does not tell)" : "no object names its C library")
                    + ": judged as " + name(libc) + ", the C library where its libraries are resolved");
        }
        return libc;
    }

    private static String name(Libc libc) {
        return libc == Libc.MUSL ? "musl" : "glibc";
    }

    private List<WheelElf> readElfFiles(Path wheel, String fileName, List<String> notes)
            throws IOException, WheelAuditException {
        ZipArchive zip;
        try {
            zip = ZipArchive.open(wheel);
        } catch (InvalidWheelException e) {
            throw new WheelAuditException(fileName + ": not a readable zip archive (" + e.reason() + ")", e);
        }
        SymbolFilter filter = SymbolFilter.of(List.of("PyInit_"), importsOfInterest());
        // One thread (a folder's wheels are audited two at a time): the entries are read on the caller's thread, as
        // the queue and hand-over of a pool per entry cost more than reading most entries.
        ExecutorService pool = options.threads() == 1 ? null : Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "wheel-audit");
            t.setDaemon(true);
            return t;
        });
        // one native inflater per thread; empty where libdeflate is missing, and the entries are streamed
        BlockingQueue<Optional<PrefixInflater>> inflaters = new ArrayBlockingQueue<>(options.threads());
        List<PrefixInflater> created = new ArrayList<>();
        for (int i = 0; i < options.threads(); i++) {
            Optional<PrefixInflater> inflater = inflaterPool != null ? inflaterPool.take() : PrefixInflater.create();
            inflater.ifPresent(created::add);
            inflaters.add(inflater);
        }
        try (zip) {
            List<ZipEntryInfo> candidates = candidates(zip, fileName);
            List<Future<WheelElf>> futures = read(pool, zip, candidates, filter, inflaters);
            return collect(candidates, futures, fileName, notes);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
                awaitQuietly(pool);
            }
            created.forEach(inflaterPool != null ? inflaterPool::give : PrefixInflater::close);
        }
    }

    // Each loop over a wheel's entries is a method of its own: the JIT compiles a loop that runs long in place
    // (on-stack replacement), with the rest of its method. As one method, the three loops cost the C2 compiler
    // about 0.5 s over a folder of 73 wheels.

    /** The entries that may be ELF objects: not folders, Python sources or the wheel's metadata. */
    private static List<ZipEntryInfo> candidates(ZipArchive zip, String fileName) throws WheelAuditException {
        List<ZipEntryInfo> candidates = new ArrayList<>();
        for (ZipEntryInfo entry : zip.entries()) {
            String name = entry.name();
            if (entry.isDirectory() || name.endsWith(".py") || name.endsWith(".pyi") || name.endsWith(".pyc")
                    || name.contains(".dist-info/") || entry.size() == 0) {
                continue;
            }
            if (name.startsWith("/") || name.equals("..") || name.startsWith("../") || name.endsWith("/..")
                    || name.contains("/../")) {
                throw new WheelAuditException(fileName + ": entry '" + name + "' has an unsafe path");
            }
            candidates.add(entry);
        }
        return candidates;
    }

    /**
     * Reads the entries on the pool, largest first so that its threads finish together, or at once on this thread
     * in entry order where there is no pool; the results in entry order.
     */
    private static List<Future<WheelElf>> read(ExecutorService pool, ZipArchive zip, List<ZipEntryInfo> candidates,
                                               SymbolFilter filter, BlockingQueue<Optional<PrefixInflater>> inflaters) {
        Integer[] order = new Integer[candidates.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (pool != null) {
            Arrays.sort(order, (a, b) -> Long.compare(candidates.get(b).size(), candidates.get(a).size()));
        }
        List<Future<WheelElf>> futures = new ArrayList<>(Collections.nCopies(candidates.size(), null));
        for (int i : order) {
            ZipEntryInfo entry = candidates.get(i);
            Callable<WheelElf> read = () -> {
                Optional<PrefixInflater> inflater = inflaters.take();
                try {
                    return readEntry(zip, entry, filter, inflater);
                } finally {
                    inflaters.put(inflater);
                }
            };
            if (pool == null) {
                FutureTask<WheelElf> task = new FutureTask<>(read);
                task.run();
                futures.set(i, task);
            } else {
                futures.set(i, pool.submit(read));
            }
        }
        return futures;
    }

    /** The ELF objects read, in entry order; the malformed data of every entry is reported together. */
    private static List<WheelElf> collect(List<ZipEntryInfo> candidates, List<Future<WheelElf>> futures,
                                          String fileName, List<String> notes) throws IOException, WheelAuditException {
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
                } else if (cause instanceof Error error) {
                    // out of memory and the like are not facts about the wheel: never report them as such
                    throw error;
                } else {
                    throw new IllegalStateException("reading " + name + " of " + fileName + " failed", cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading " + fileName, e);
            }
        }
        if (!errors.isEmpty()) {
            throw new WheelAuditException(fileName + ": malformed ELF data: " + Reasons.summary(errors));
        }
        return result;
    }

    /** The native inflaters' memory is freed only once no task can still use it. */
    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean looksLikeLibrary(String name) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        return base.endsWith(".so") || base.contains(".so.");
    }

    /** The imports the audit inspects: every policy's forbidden symbols and the fpectl symbols. */
    private Set<String> importsOfInterest() {
        Set<String> names = new HashSet<>(FPECTL_SYMBOLS);
        for (Libc libc : Libc.values()) {
            for (PolicyTable.Entry e : table.entries(libc)) {
                e.blacklist().values().forEach(names::addAll);
            }
        }
        return names;
    }

    private static WheelElf readEntry(ZipArchive zip, ZipEntryInfo entry, SymbolFilter filter,
                                      Optional<PrefixInflater> inflater) throws IOException {
        if (entry.size() >= 0 && entry.size() < 4) {
            return null;
        }
        // Most entries are not ELF objects: their first four bytes say so without inflating more.
        byte[] magic = zip.readStart(entry, 4);
        if (!ElfReader.hasElfMagic(magic, magic.length)) {
            return null;
        }
        EntryHeadSource.StreamOpener stream = () -> new StreamByteSource(() -> zip.openEntry(entry), entry.size());
        try (ByteSource source = inflater.isEmpty() ? stream.open()
                : new EntryHeadSource(inflater.get(), zip, entry, stream)) {
            ElfFile elf = ElfReader.read(entry.name(), source, filter);
            return new WheelElf(entry.name(), elf, elf.isPythonExtension());
        }
    }


    private boolean excluded(String sonameOrPath) {
        for (Pattern p : excludes) {
            if (p.matcher(sonameOrPath).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The dynamic loader itself, which is never bundled and whose symbol versions do not count. */
    static boolean isLoader(String soname) {
        return soname.contains("ld-linux") || soname.equals("ld64.so.2") || soname.equals("ld64.so.1");
    }

    /** A library in an object's dependency tree; {@code path} is null when it was not found. */
    private record Node(String soname, String path, boolean internal, ElfFile elf, String origin) {
    }

    /** A directory to search: inside the wheel (relative path) or on the system. */
    private record SearchDirectory(String path, boolean inWheel) {
    }

    /**
     * The search path a top-level object hands down its tree. Like auditwheel's lddtree, every
     * library of the tree is also searched in the top object's RPATH (before the environment) and
     * RUNPATH (after it), and an executable's libraries beside its interpreter, last.
     */
    private record TopSearch(List<SearchDirectory> rpath, List<SearchDirectory> runpath, List<String> interpreter) {
    }

    /** Where one object's libraries are looked up: folders inside the wheel first, then the system's. */
    private record Search(List<String> inWheel, LibraryResolver.SearchPath system) {
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
                trees.put(e.path(), walkTop(e));
            }
            fixUpLibraryTrees(trees);
            Set<String> neededNames = new HashSet<>();
            for (WheelElf e : elves) {
                for (String needed : e.elf().needed()) {
                    if (!excluded(needed)) {
                        neededNames.add(needed);
                    }
                }
            }
            // Extensions, and libraries or programs nothing in the wheel loads, are what the wheel offers.
            List<WheelElf> tops = new ArrayList<>();
            for (WheelElf e : elves) {
                if (e.extension() || !neededNames.contains(WheelPaths.baseName(e.path()))) {
                    tops.add(e);
                }
            }
            Set<String> topPaths = new HashSet<>();
            tops.forEach(t -> topPaths.add(t.path()));

            // Per object and policy: the external libraries to bundle; over the top objects: the union.
            Map<String, Map<String, SortedMap<String, String>>> perFile = new LinkedHashMap<>();
            Map<String, SortedMap<String, String>> libsByPolicy = new LinkedHashMap<>();
            Map<String, SortedMap<String, SortedSet<String>>> blacklistByPolicy = new LinkedHashMap<>();
            for (Policy p : policies.all()) {
                libsByPolicy.put(p.name(), new TreeMap<>());
                blacklistByPolicy.put(p.name(), new TreeMap<>());
            }
            // Policies with the same whitelist have the same external references: walk once per whitelist.
            Map<Set<String>, List<Policy>> byWhitelist = new LinkedHashMap<>();
            for (Policy p : policies.all()) {
                byWhitelist.computeIfAbsent(p.isGenericLinux() ? null : p.libraries(), k -> new ArrayList<>()).add(p);
            }
            List<Set<String>> whitelists = new ArrayList<>(byWhitelist.keySet());
            whitelists.remove(null);
            if (whitelists.size() > Long.SIZE) {
                throw new IllegalStateException("more than " + Long.SIZE + " distinct policy whitelists");
            }
            for (WheelElf e : elves) {
                Map<String, Node> tree = trees.get(e.path());
                List<SortedMap<String, String>> external = externalReferences(e.elf(), tree, whitelists);
                Map<String, SortedMap<String, String>> refs = new LinkedHashMap<>();
                int whitelist = 0; // byWhitelist's keys in order, as in whitelists
                for (Map.Entry<Set<String>, List<Policy>> group : byWhitelist.entrySet()) {
                    SortedMap<String, String> libs = group.getKey() == null ? new TreeMap<>()
                            : external.get(whitelist++);
                    for (Policy p : group.getValue()) {
                        refs.put(p.name(), libs);
                    }
                }
                perFile.put(e.path(), refs);
                if (topPaths.contains(e.path())) {
                    for (Policy p : policies.all()) {
                        libsByPolicy.get(p.name()).putAll(refs.get(p.name()));
                        if (!p.isGenericLinux()) {
                            blacklisted(e.elf(), p).forEach((lib, symbols) -> blacklistByPolicy.get(p.name())
                                    .computeIfAbsent(lib, k -> new TreeSet<>()).addAll(symbols));
                        }
                    }
                }
            }

            SortedMap<String, SortedSet<String>> versioned = new TreeMap<>();
            for (WheelElf e : elves) {
                addVersions(versioned, e.elf());
            }

            // Bundling brings the external libraries' own symbol versions along.
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
                // A policy only bounds what bundling for it can reach.
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
            Policy pyfpePolicy = pyfpePolicy();
            Policy machinePolicy = machinePolicy(tops, trees, externalElves.keySet());
            Policy overall = min(min(symbolPolicy, referencePolicy),
                    min(blacklistPolicy, min(machinePolicy, pyfpePolicy)));

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
            Map<String, SortedMap<String, String>> externalByPolicy = new LinkedHashMap<>();
            libsByPolicy.forEach((k, v) -> externalByPolicy.put(k, new TreeMap<>(v)));
            for (Map.Entry<String, String> lib : external.entrySet()) {
                if (isLibpython(lib.getKey())) {
                    notes.add("links " + lib.getKey() + ": manylinux and musllinux wheels must not link libpython"
                            + " (repair removes the entry)");
                }
            }
            reporter.debug(fileName + ": " + elves.size() + " ELF objects, " + tops.size() + " top-level");
            return new WheelAudit(fileName, policies, overall, symbolPolicy, referencePolicy, blacklistPolicy,
                    machinePolicy, pyfpePolicy, symbolVersions, external, externalByPolicy, upgrades,
                    List.copyOf(elves), perFile, Map.copyOf(resolved), List.copyOf(notes));
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

        /** {@code linux} when an extension imports an fpectl symbol (PEP 513), else the highest policy. */
        private Policy pyfpePolicy() {
            for (WheelElf e : elves) {
                if (!e.extension()) {
                    continue;
                }
                for (DynamicSymbol symbol : e.elf().symbols()) {
                    if (!symbol.defined() && FPECTL_SYMBOLS.contains(symbol.name())
                            && (symbol.type() == DynamicSymbol.STT_FUNC || symbol.type() == DynamicSymbol.STT_NOTYPE)) {
                        notes.add(e.path() + ": imports " + symbol.name() + ", so it needs a CPython built with fpectl"
                                + " (PEP 513 rules that out for manylinux and musllinux)");
                        return policies.linux();
                    }
                }
            }
            return policies.highest();
        }

        /**
         * The best policy the instruction set levels allow: an x86-64 object (or an external library
         * it loads) that needs a level above the baseline rules out every policy, unless it is a
         * library some policies let the system provide; then the best of those.
         */
        private Policy machinePolicy(List<WheelElf> tops, Map<String, Map<String, Node>> trees,
                                     Set<String> externalSonames) {
            Policy result = policies.highest();
            if (options.skipIsaCheck() || !policies.architecture().equals("x86_64")) {
                return result;
            }
            Set<String> checked = new HashSet<>();
            for (WheelElf top : tops) {
                if (checked.add(top.path()) && top.elf().x86IsaLevel() > 1) {
                    notes.add(top.path() + ": needs the x86-64-v" + top.elf().x86IsaLevel() + " instruction set");
                    result = policies.linux();
                }
                for (Node node : trees.get(top.path()).values()) {
                    if (node.path() == null || node.elf() == null || !externalSonames.contains(node.soname())
                            || !checked.add(node.path()) || node.elf().x86IsaLevel() <= 1) {
                        continue;
                    }
                    Policy allowing = policies.linux();
                    for (Policy p : policies.all()) {
                        if (p.libraries().contains(node.soname()) && p.priority() > allowing.priority()) {
                            allowing = p;
                        }
                    }
                    notes.add(node.path() + ": needs the x86-64-v" + node.elf().x86IsaLevel() + " instruction set");
                    result = min(result, allowing);
                }
            }
            return result;
        }

        /** Per soname: bit {@code g} set when whitelist {@code g} allows it; all bits for the loader. */
        private final Map<String, Long> allowedMasks = new HashMap<>();

        private long allowedMask(String soname, List<Set<String>> whitelists) {
            return allowedMasks.computeIfAbsent(soname, name -> {
                if (isLoader(name)) {
                    return -1L;
                }
                long mask = 0;
                for (int g = 0; g < whitelists.size(); g++) {
                    if (whitelists.get(g).contains(name)) {
                        mask |= 1L << g;
                    }
                }
                return mask;
            });
        }

        /**
         * Per whitelist (at most 64), the libraries outside the wheel that {@code elf} loads through
         * libraries the whitelist does not allow. One walk serves them all: a library's bit {@code g}
         * is set when some path from {@code elf} reaches it through libraries whitelist {@code g} does
         * not allow, so a library is revisited only when it gains bits (a walk per whitelist made the
         * audit of a wheel of hundreds of libraries spend most of its time here).
         */
        private List<SortedMap<String, String>> externalReferences(ElfFile elf, Map<String, Node> tree,
                                                                   List<Set<String>> whitelists) {
            long all = whitelists.size() == Long.SIZE ? -1L : (1L << whitelists.size()) - 1;
            Map<String, Long> reached = new HashMap<>();
            ArrayDeque<String> queue = new ArrayDeque<>();
            for (String soname : elf.needed()) {
                reach(soname, all, tree, whitelists, reached, queue);
            }
            while (!queue.isEmpty()) {
                String soname = queue.poll();
                Node node = tree.get(soname);
                if (node.elf() != null) {
                    long mask = reached.get(soname);
                    for (String dep : node.elf().needed()) {
                        reach(dep, mask, tree, whitelists, reached, queue);
                    }
                }
            }
            List<SortedMap<String, String>> result = new ArrayList<>();
            for (int g = 0; g < whitelists.size(); g++) {
                result.add(new TreeMap<>());
            }
            reached.forEach((soname, mask) -> {
                Node node = tree.get(soname);
                for (int g = 0; g < whitelists.size() && !node.internal(); g++) {
                    if ((mask & (1L << g)) != 0) {
                        result.get(g).put(soname, node.path());
                    }
                }
            });
            return result;
        }

        private void reach(String soname, long from, Map<String, Node> tree, List<Set<String>> whitelists,
                           Map<String, Long> reached, ArrayDeque<String> queue) {
            if (!tree.containsKey(soname)) {
                return;
            }
            long mask = from & ~allowedMask(soname, whitelists);
            long before = reached.getOrDefault(soname, 0L);
            if ((mask & ~before) != 0) {
                reached.put(soname, before | mask);
                queue.add(soname);
            }
        }

        /** The forbidden symbols {@code elf} imports from the libraries it names, per library. */
        private Map<String, Set<String>> blacklisted(ElfFile elf, Policy p) {
            Map<String, Set<String>> result = new TreeMap<>();
            if (p.blacklist().isEmpty()) {
                return result;
            }
            for (String soname : elf.needed()) {
                Set<String> forbidden = p.blacklist().get(soname);
                if (forbidden == null || excluded(soname)) {
                    continue;
                }
                for (DynamicSymbol symbol : elf.symbols()) {
                    if (!symbol.defined() && !symbol.weak() && forbidden.contains(symbol.name())) {
                        result.computeIfAbsent(soname, k -> new TreeSet<>()).add(symbol.name());
                    }
                }
            }
            return result;
        }

        /**
         * A library inside the wheel may not find its siblings by itself when the objects that load it
         * do (through their RPATH). Like auditwheel, a library's tree with unresolved entries takes
         * them from a fully resolved tree that contains the library.
         */
        private void fixUpLibraryTrees(Map<String, Map<String, Node>> trees) {
            List<Map<String, Node>> complete = new ArrayList<>();
            for (Map<String, Node> tree : trees.values()) {
                if (tree.values().stream().allMatch(n -> n.path() != null)) {
                    complete.add(tree);
                }
            }
            for (WheelElf e : elves) {
                Map<String, Node> tree = trees.get(e.path());
                if (e.extension() || tree.values().stream().allMatch(n -> n.path() != null)) {
                    continue;
                }
                Map<String, Node> reference = null;
                for (Map<String, Node> candidate : complete) {
                    if (candidate.values().stream().anyMatch(n -> n.internal() && n.path().equals(e.path()))) {
                        reference = candidate;
                        break;
                    }
                }
                if (reference == null) {
                    continue;
                }
                Map<String, Node> fixed = new LinkedHashMap<>();
                for (Map.Entry<String, Node> entry : tree.entrySet()) {
                    Node node = entry.getValue();
                    Node replacement = reference.get(entry.getKey());
                    if (node.path() == null && replacement != null) {
                        fixed.put(entry.getKey(), replacement);
                        List<String> queue = new ArrayList<>(replacement.elf() == null ? List.of()
                                : replacement.elf().needed());
                        for (int i = 0; i < queue.size(); i++) {
                            String soname = queue.get(i);
                            Node found = reference.get(soname);
                            if (found != null && !tree.containsKey(soname) && !fixed.containsKey(soname)) {
                                fixed.put(soname, found);
                                if (found.elf() != null) {
                                    queue.addAll(found.elf().needed());
                                }
                            }
                        }
                    } else {
                        fixed.putIfAbsent(entry.getKey(), node);
                    }
                }
                trees.put(e.path(), fixed);
            }
        }

        /** Resolves the tree of one object of the wheel. */
        private Map<String, Node> walkTop(WheelElf top) throws IOException {
            String origin = WheelPaths.parent(top.path());
            ElfFile elf = top.elf();
            List<String> interpreterDirectories = new ArrayList<>();
            if (elf.interpreter() != null && elf.interpreter().startsWith("/")) {
                String dir = WheelPaths.parent(elf.interpreter());
                interpreterDirectories.add(dir.isEmpty() ? "/" : dir);
                interpreterDirectories.add("/usr" + dir);
            }
            // One instance per distinct search path, so that the lookups below compare it by identity.
            TopSearch search = topSearches.computeIfAbsent(new TopSearch(elf.usesRunpath() ? List.of()
                    : expand(elf.rpath(), origin, true), expand(elf.runpath(), origin, true), interpreterDirectories),
                    key -> key);
            Map<String, Node> libs = new LinkedHashMap<>();
            walk(elf, origin, true, search, libs);
            return libs;
        }

        /**
         * One object's search folders under one top object's search path. The same libraries are
         * walked again under every extension that loads them: built once, they cost a lookup. The object
         * and the (interned) top search path compare by identity, and the key is hashed once: a record's
         * generated equality runs through method handles, slow in a JVM that has just started, and the
         * walks of the vtk 9.7.1 wheel's 376 objects make about 40,000 such lookups.
         */
        private static final class SearchKey {
            private final ElfFile elf;
            private final String origin;
            private final boolean inWheel;
            private final TopSearch top;
            private final int hash;

            SearchKey(ElfFile elf, String origin, boolean inWheel, TopSearch top) {
                this.elf = elf;
                this.origin = origin;
                this.inWheel = inWheel;
                this.top = top;
                this.hash = ((System.identityHashCode(elf) * 31 + origin.hashCode()) * 31 + System.identityHashCode(top))
                        * 2 + (inWheel ? 1 : 0);
            }

            @Override
            public boolean equals(Object other) {
                return other instanceof SearchKey key && key.elf == elf && key.top == top && key.inWheel == inWheel
                        && key.origin.equals(origin);
            }

            @Override
            public int hashCode() {
                return hash;
            }
        }

        private final Map<TopSearch, TopSearch> topSearches = new HashMap<>();
        private final Map<SearchKey, Search> searches = new HashMap<>();

        /**
         * Resolves the dependencies of one object, depth first; the first resolution of a soname in a tree wins.
         * A loop over a stack rather than recursion: the JIT inlines a recursive method into itself, which made
         * this the costliest method to compile in a folder audit (0.5 s of C2 time).
         */
        private void walk(ElfFile elf, String origin, boolean inWheel, TopSearch top, Map<String, Node> libs)
                throws IOException {
            Deque<Step> steps = new ArrayDeque<>();
            steps.push(new Step(elf, search(elf, origin, inWheel, top), 0));
            while (!steps.isEmpty()) {
                Step step = steps.peek();
                if (!step.needed.hasNext()) {
                    steps.pop();
                    continue;
                }
                String soname = step.needed.next();
                if (libs.containsKey(soname) || excluded(soname)) {
                    continue;
                }
                // libpython is never followed: repair removes the entry rather than bundling it.
                if (isLibpython(soname)) {
                    libs.put(soname, new Node(soname, null, false, null, null));
                    continue;
                }
                Node node = find(soname, step.elf.identity(), step.search);
                if (node.path() != null && !node.internal() && excluded(node.path())) {
                    continue;
                }
                libs.put(soname, node);
                if (node.elf() != null && step.depth < 64) {
                    steps.push(new Step(node.elf(), search(node.elf(), node.origin(), node.internal(), top), step.depth + 1));
                }
            }
        }

        /** An object whose libraries are being resolved, and the next of them. */
        private static final class Step {
            final ElfFile elf;
            final Search search;
            final int depth;
            final Iterator<String> needed;

            Step(ElfFile elf, Search search, int depth) {
                this.elf = elf;
                this.search = search;
                this.depth = depth;
                this.needed = elf.needed().iterator();
            }
        }

        private Search search(ElfFile elf, String origin, boolean inWheel, TopSearch top) {
            return searches.computeIfAbsent(new SearchKey(elf, origin, inWheel, top), key -> {
                List<SearchDirectory> before = new ArrayList<>(top.rpath());
                if (!elf.usesRunpath()) {
                    before.addAll(expand(elf.rpath(), origin, inWheel));
                }
                before.addAll(expand(elf.runpath(), origin, inWheel));
                return search(before, top);
            });
        }

        /**
         * The folders one object's libraries are looked up in, made once per object rather than per
         * library: a crafted object with many DT_NEEDED and RPATH entries must not multiply them.
         */
        private Search search(List<SearchDirectory> before, TopSearch top) {
            Set<String> inWheel = new LinkedHashSet<>();
            List<String> systemBefore = new ArrayList<>();
            List<String> systemAfter = new ArrayList<>();
            for (List<SearchDirectory> dirs : List.of(before, top.runpath())) {
                for (SearchDirectory dir : dirs) {
                    if (dir.inWheel()) {
                        inWheel.add(dir.path());
                    } else {
                        (dirs == before ? systemBefore : systemAfter).add(dir.path());
                    }
                }
            }
            return new Search(List.copyOf(inWheel), new LibraryResolver.SearchPath(policies.libc(),
                    dedupe(systemBefore), dedupe(systemAfter), top.interpreter()));
        }

        /** Per search (by identity) and object class: each soname's node, found once. */
        private final Map<Search, Map<ElfIdentity, Map<String, Node>>> found = new IdentityHashMap<>();

        private Node find(String soname, ElfIdentity identity, Search search) throws IOException {
            Map<String, Node> nodes = found.computeIfAbsent(search, k -> new HashMap<>(4))
                    .computeIfAbsent(identity, k -> new HashMap<>());
            Node node = nodes.get(soname);
            if (node == null) {
                node = lookUp(soname, identity, search);
                nodes.put(soname, node);
            }
            return node;
        }

        private Node lookUp(String soname, ElfIdentity identity, Search search) throws IOException {
            for (String dir : search.inWheel()) {
                String candidate = dir.isEmpty() ? soname : dir + "/" + soname;
                WheelElf inside = byPath.get(candidate);
                if (inside != null && inside.elf().identity().equals(identity)) {
                    return new Node(soname, candidate, true, inside.elf(), dir);
                }
            }
            Optional<ResolvedLibrary> found = resolver.resolve(soname, identity, search.system());
            if (found.isEmpty()) {
                return new Node(soname, null, false, null, null);
            }
            ResolvedLibrary lib = found.get();
            synchronized (resolved) {
                resolved.putIfAbsent(lib.path(), lib);
            }
            return new Node(soname, lib.path(), false, lib.elf(), WheelPaths.parent(lib.path()));
        }

        private List<String> dedupe(List<String> dirs) {
            return List.copyOf(new LinkedHashSet<>(dirs));
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
