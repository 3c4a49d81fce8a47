package org.neuronsimulator.wheel.macos;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.archive.InvalidWheelException;
import org.neuronsimulator.wheel.archive.WheelArchive;
import org.neuronsimulator.wheel.archive.ZipEntryInfo;
import org.neuronsimulator.wheel.audit.Glob;
import org.neuronsimulator.wheel.audit.WheelAuditException;
import org.neuronsimulator.wheel.audit.WheelPaths;
import org.neuronsimulator.wheel.elf.StreamByteSource;
import org.neuronsimulator.wheel.macho.LoadCommand;
import org.neuronsimulator.wheel.macho.MachoFile;
import org.neuronsimulator.wheel.macho.MachoFormatException;
import org.neuronsimulator.wheel.macho.MachoReader;
import org.neuronsimulator.wheel.macho.MachoSlice;
import org.neuronsimulator.wheel.macho.MacosVersion;
import org.neuronsimulator.wheel.model.WheelFileName;

/**
 * Audits a macOS wheel: reads the load commands of every Mach-O file in it (each entry inflated
 * only as far as its load commands), resolves every install name as dyld would ({@code @loader_path},
 * {@code @executable_path}, {@code @rpath} through the rpaths of the binary and of those that load
 * it, absolute and bare names, the library search paths), follows libraries outside the wheel to
 * their own dependencies, and compares architectures and minimum macOS versions with the tags.
 */
public final class MacosWheelAuditor {

    private final DyldSearch search;
    private final List<Pattern> excludes;
    private final Reporter reporter;

    /**
     * @param excludes glob patterns of install names, file names or paths never bundled
     *                 ({@code neuron.exclude})
     */
    public MacosWheelAuditor(DyldSearch search, List<String> excludes, Reporter reporter) {
        this.search = search;
        this.excludes = excludes.stream().map(Glob::compile).toList();
        this.reporter = reporter;
    }

    /** Whether the wheel's platform tags are macOS ones. */
    public static boolean isMacosWheel(WheelFileName name) {
        return !name.platformTags().isEmpty() && name.platformTags().stream().allMatch(MacosPlatformTag::isMacos);
    }

    public MacosWheelAudit audit(Path wheel) throws IOException, WheelAuditException {
        WheelArchive archive;
        try {
            archive = WheelArchive.open(wheel);
        } catch (InvalidWheelException e) {
            throw new WheelAuditException(wheel.getFileName() + ": " + e.reason(), e);
        }
        try (archive) {
            return audit(archive);
        }
    }

    /** Audits an open (verified) wheel. */
    public MacosWheelAudit audit(WheelArchive archive) throws IOException, WheelAuditException {
        String fileName = archive.file().getFileName().toString();
        Map<String, MacosVersion> tagVersions = tagVersions(archive.fileName(), fileName);
        List<String> notes = new ArrayList<>();
        Map<String, MachoFile> machos = readMachoFiles(archive, fileName, notes);
        if (machos.isEmpty()) {
            throw new WheelAuditException(fileName + ": not a platform wheel: it holds no Mach-O library, bundle or executable");
        }
        Walk walk = new Walk(machos);
        try {
            walk.run();
        } catch (MachoFormatException e) {
            throw new WheelAuditException(fileName + ": a library it loads is no well-formed Mach-O file: "
                    + e.getMessage(), e);
        }
        List<MacosBinary> binaries = new ArrayList<>();
        List<MacosBinary> external = new ArrayList<>();
        for (Node node : walk.nodes.values()) {
            MacosBinary binary = new MacosBinary(node.location, node.inWheel, node.macho, List.copyOf(node.dependencies),
                    new TreeSet<>(node.neededBy));
            (node.inWheel ? binaries : external).add(binary);
        }
        binaries.sort(java.util.Comparator.comparing(MacosBinary::location));
        external.sort(java.util.Comparator.comparing(MacosBinary::location));
        List<String> problems = new ArrayList<>();
        SortedMap<String, MacosVersion> minimum = minimumVersions(tagVersions, binaries, external, problems);
        Map<String, MacosVersion> deserved = new LinkedHashMap<>();
        for (String arch : tagVersions.keySet()) {
            deserved.put(arch, minimum.getOrDefault(arch, tagVersions.get(arch)));
        }
        architectureProblems(tagVersions, binaries, external, walk.nodes, problems);
        for (MacosBinary library : external) {
            problems.add(library.location() + " lies outside the wheel (needed by " + String.join(", ", library.neededBy())
                    + ")");
        }
        for (MacosWheelAudit.Missing missing : MacosWheelAudit.missing(binaries, external)) {
            problems.add(missing.neededBy() + " needs " + missing.installName() + ", found neither in the wheel nor "
                    + describeSearch());
        }
        for (MacosBinary binary : binaries) {
            binary.dependencies().stream().filter(d -> d.weak() && d.kind() == MacosBinary.Kind.MISSING).forEach(d ->
                    notes.add(binary.location() + " loads " + d.installName() + " weakly; it is found nowhere and runs"
                            + " without it"));
        }
        return new MacosWheelAudit(fileName, archive.fileName().platformTags(), tagVersions, binaries, external, minimum,
                MacosPlatformTag.tagsFor(deserved), problems, notes);
    }

    /** Single architecture → the oldest macOS the tags promise for it. */
    static Map<String, MacosVersion> tagVersions(WheelFileName name, String fileName) throws WheelAuditException {
        Map<String, MacosVersion> versions = new LinkedHashMap<>();
        for (String platform : name.platformTags()) {
            MacosPlatformTag tag;
            try {
                tag = MacosPlatformTag.parse(platform);
            } catch (IllegalArgumentException e) {
                throw new WheelAuditException(fileName + ": " + e.getMessage(), e);
            }
            for (String arch : tag.architectures()) {
                MacosVersion v = tag.minimumFor(arch);
                versions.merge(arch, v, (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        }
        return versions;
    }

    private Map<String, MachoFile> readMachoFiles(WheelArchive archive, String fileName, List<String> notes)
            throws IOException, WheelAuditException {
        Map<String, MachoFile> machos = new TreeMap<>();
        List<String> errors = new ArrayList<>();
        for (ZipEntryInfo entry : archive.entries()) {
            String name = entry.name();
            if (entry.isDirectory() || entry.size() < 28 || name.contains(".dist-info/") || name.endsWith(".py")
                    || name.endsWith(".pyc") || name.endsWith(".pyi")) {
                continue;
            }
            byte[] magic;
            try (InputStream in = archive.openEntry(name)) {
                magic = in.readNBytes(8);
            }
            if (!MachoReader.hasMachoMagic(magic, magic.length)) {
                continue;
            }
            try (StreamByteSource source = new StreamByteSource(() -> archive.openEntry(name), entry.size())) {
                MachoFile macho = MachoReader.read(name, source);
                if (!macho.isLinked()) {
                    notes.add(name + ": ignored, a Mach-O " + macho.slices().get(0).fileTypeName() + " is not loaded by dyld");
                    continue;
                }
                machos.put(name, macho);
            } catch (MachoFormatException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new WheelAuditException(fileName + ": malformed Mach-O data: " + String.join("; ", errors));
        }
        reporter.debug(fileName + ": " + machos.size() + " Mach-O binaries");
        return machos;
    }

    private String describeSearch() {
        if (!search.hostLookups()) {
            return "(only the wheel is searched)";
        }
        List<String> folders = new ArrayList<>();
        search.libraryPath().forEach(p -> folders.add(p.toString()));
        search.fallbackPath().forEach(p -> folders.add(p.toString()));
        return folders.isEmpty() ? "at its path (add its folder to neuron.macos.libraryPath)"
                : "at its path or in " + String.join(":", folders);
    }

    private static SortedMap<String, MacosVersion> minimumVersions(Map<String, MacosVersion> tagVersions,
            List<MacosBinary> binaries, List<MacosBinary> external, List<String> problems) {
        SortedMap<String, MacosVersion> minimum = new TreeMap<>();
        for (List<MacosBinary> group : List.of(binaries, external)) {
            for (MacosBinary binary : group) {
                binary.minimumVersions().forEach((arch, version) -> {
                    if (!tagVersions.containsKey(arch)) {
                        return;
                    }
                    minimum.merge(arch, version, MacosVersion::max);
                    if (version.compareTo(tagVersions.get(arch)) > 0) {
                        problems.add(binary.location() + " (" + arch + ") needs macOS " + version + ", the tag promises "
                                + tagVersions.get(arch));
                    }
                });
            }
        }
        return minimum;
    }

    private static void architectureProblems(Map<String, MacosVersion> tagVersions, List<MacosBinary> binaries,
            List<MacosBinary> external, Map<String, Node> nodes, List<String> problems) {
        Set<String> claimed = tagVersions.keySet();
        for (List<MacosBinary> group : List.of(binaries, external)) {
            for (MacosBinary binary : group) {
                List<String> lacking = claimed.stream().filter(a -> !binary.architectures().contains(a)).toList();
                if (!lacking.isEmpty()) {
                    problems.add(binary.location() + " has no " + String.join(", ", lacking) + " code (it has "
                            + String.join(", ", binary.architectures()) + ")");
                }
                for (MacosBinary.Dependency dependency : binary.dependencies()) {
                    Node target = dependency.location() == null ? null : nodes.get(key(dependency));
                    if (target == null) {
                        continue;
                    }
                    List<String> absent = dependency.architectures().stream()
                            .filter(a -> !target.macho.architectures().contains(a)).toList();
                    if (!absent.isEmpty()) {
                        problems.add(binary.location() + " (" + String.join(", ", absent) + ") loads " + target.location
                                + ", which has only " + String.join(", ", target.macho.architectures()));
                    }
                }
            }
        }
    }

    private static String key(MacosBinary.Dependency dependency) {
        return (dependency.kind() == MacosBinary.Kind.WHEEL ? "wheel:" : "host:") + dependency.location();
    }

    /** A binary being resolved: in the wheel, or a real file outside it. */
    private static final class Node {
        final String location;
        final boolean inWheel;
        final MachoFile macho;
        final List<MacosBinary.Dependency> dependencies = new ArrayList<>();
        final Set<String> neededBy = new LinkedHashSet<>();
        boolean walked;

        Node(String location, boolean inWheel, MachoFile macho) {
            this.location = location;
            this.inWheel = inWheel;
            this.macho = macho;
        }

        String key() {
            return (inWheel ? "wheel:" : "host:") + location;
        }

        /** Its folder: a wheel path ("" at the root) or a host path. */
        String directory() {
            return inWheel ? WheelPaths.parent(location) : Path.of(location).getParent().toString();
        }

        boolean isExecutable() {
            return macho.slices().stream().anyMatch(s -> s.fileType() == MachoSlice.MH_EXECUTE);
        }
    }

    /** A folder for {@code @loader_path} and friends: inside the wheel or on this machine. */
    private record Place(boolean inWheel, String path) {
    }

    /** An rpath with the binary that declared it (its {@code @loader_path}). */
    private record Rpath(String path, Node declaredBy) {
    }

    private final class Walk {
        private final Map<String, MachoFile> wheelMachos;
        private final Map<String, String> wheelIds = new HashMap<>();
        private final Map<String, Node> nodes = new LinkedHashMap<>();
        private final Map<String, Optional<Node>> hostFiles = new HashMap<>();

        Walk(Map<String, MachoFile> wheelMachos) {
            this.wheelMachos = wheelMachos;
            wheelMachos.forEach((path, macho) -> {
                for (MachoSlice slice : macho.slices()) {
                    slice.installName().ifPresent(id -> wheelIds.putIfAbsent(id, path));
                }
            });
        }

        void run() throws IOException {
            wheelMachos.forEach((path, macho) -> nodes.put("wheel:" + path, new Node(path, true, macho)));
            // Entry points first (extensions, executables), so that libraries they load inherit their rpaths.
            for (boolean entryPoints : new boolean[] {true, false}) {
                for (Node node : List.copyOf(nodes.values())) {
                    boolean entry = node.inWheel && node.macho.slices().stream()
                            .noneMatch(s -> s.fileType() == MachoSlice.MH_DYLIB);
                    if (node.inWheel && entry == entryPoints && !node.walked) {
                        walk(node, List.of(), node.isExecutable() ? new Place(true, node.directory())
                                : search.executableDirectory().map(p -> new Place(false, p.toString())).orElse(null));
                    }
                }
            }
        }

        private void walk(Node start, List<Rpath> loaderRpaths, Place executable) throws IOException {
            Deque<Object[]> work = new ArrayDeque<>();
            work.add(new Object[] {start, loaderRpaths});
            start.walked = true;
            while (!work.isEmpty()) {
                Object[] item = work.poll();
                Node node = (Node) item[0];
                @SuppressWarnings("unchecked")
                List<Rpath> inherited = (List<Rpath>) item[1];
                List<Rpath> rpaths = new ArrayList<>();
                Map<String, List<String>> installNames = new LinkedHashMap<>();
                Set<String> strong = new java.util.HashSet<>();
                for (MachoSlice slice : node.macho.slices()) {
                    for (String rpath : slice.rpaths()) {
                        if (rpaths.stream().noneMatch(r -> r.path.equals(rpath))) {
                            rpaths.add(new Rpath(rpath, node));
                        }
                    }
                    for (LoadCommand.Dylib dylib : slice.dependencies()) {
                        installNames.computeIfAbsent(dylib.name(), n -> new ArrayList<>()).add(slice.architecture());
                        if (dylib.kind() != LoadCommand.DylibKind.WEAK) {
                            strong.add(dylib.name());
                        }
                    }
                }
                rpaths.addAll(inherited);
                for (Map.Entry<String, List<String>> name : installNames.entrySet()) {
                    Resolved resolved = resolve(node, name.getKey(), rpaths, executable);
                    node.dependencies.add(new MacosBinary.Dependency(name.getKey(), resolved.kind,
                            resolved.target == null ? null : resolved.target.location, name.getValue(),
                            !strong.contains(name.getKey())));
                    if (resolved.target != null) {
                        resolved.target.neededBy.add(node.location);
                        if (!resolved.target.walked) {
                            resolved.target.walked = true;
                            work.add(new Object[] {resolved.target, rpaths});
                        }
                    }
                }
            }
        }

        private record Resolved(MacosBinary.Kind kind, Node target) {
        }

        private Resolved resolve(Node node, String name, List<Rpath> rpaths, Place executable) throws IOException {
            if (isSystem(name)) {
                return new Resolved(MacosBinary.Kind.SYSTEM, null);
            }
            if (excluded(name)) {
                return new Resolved(MacosBinary.Kind.EXCLUDED, null);
            }
            List<Place> direct = new ArrayList<>();
            if (name.startsWith("@loader_path/")) {
                join(new Place(node.inWheel, node.directory()), name.substring("@loader_path/".length()), direct);
            } else if (name.startsWith("@executable_path/")) {
                if (executable != null) {
                    join(executable, name.substring("@executable_path/".length()), direct);
                }
            } else if (name.startsWith("@rpath/")) {
                for (Rpath rpath : rpaths) {
                    Place folder = expand(rpath, executable);
                    if (folder != null) {
                        join(folder, name.substring("@rpath/".length()), direct);
                    }
                }
            } else if (name.startsWith("/")) {
                direct.add(new Place(false, name));
            }
            String leaf = name.substring(name.lastIndexOf('/') + 1);
            List<Place> candidates = new ArrayList<>();
            if (name.startsWith("@")) {
                candidates.addAll(direct);
                search.libraryPath().forEach(p -> candidates.add(new Place(false, p.resolve(leaf).toString())));
                Optional.ofNullable(wheelIds.get(name)).ifPresent(p -> candidates.add(new Place(true, p)));
            } else {
                // A bare or absolute name that a library of the wheel carries as its id means that library.
                Optional.ofNullable(wheelIds.get(name)).ifPresent(p -> candidates.add(new Place(true, p)));
                search.libraryPath().forEach(p -> candidates.add(new Place(false, p.resolve(leaf).toString())));
                candidates.addAll(direct);
            }
            search.fallbackPath().forEach(p -> candidates.add(new Place(false, p.resolve(leaf).toString())));
            for (Place candidate : candidates) {
                Node target = candidate.inWheel ? nodes.get("wheel:" + candidate.path) : hostFile(candidate.path);
                if (target == null) {
                    continue;
                }
                if (!target.inWheel && isSystem(target.location)) {
                    return new Resolved(MacosBinary.Kind.SYSTEM, null);
                }
                if (!target.inWheel && excluded(target.location)) {
                    return new Resolved(MacosBinary.Kind.EXCLUDED, null);
                }
                return new Resolved(target.inWheel ? MacosBinary.Kind.WHEEL : MacosBinary.Kind.EXTERNAL, target);
            }
            return new Resolved(MacosBinary.Kind.MISSING, null);
        }

        /** An rpath as a folder: {@code @loader_path} is the declaring binary's folder. */
        private Place expand(Rpath rpath, Place executable) {
            String path = rpath.path;
            for (String prefix : List.of("@loader_path", "@executable_path")) {
                if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                    Place base = prefix.equals("@loader_path")
                            ? new Place(rpath.declaredBy.inWheel, rpath.declaredBy.directory()) : executable;
                    if (base == null) {
                        return null;
                    }
                    List<Place> joined = new ArrayList<>();
                    join(base, path.substring(prefix.length()), joined);
                    return joined.isEmpty() ? null : joined.get(0);
                }
            }
            return path.startsWith("/") ? new Place(false, path) : null;
        }

        /** Joins a relative path to a folder; a wheel path that climbs out of the wheel names nothing. */
        private void join(Place folder, String relative, List<Place> into) {
            if (folder.inWheel) {
                String joined = WheelPaths.normalize(folder.path + "/" + relative);
                if (joined != null) {
                    into.add(new Place(true, joined));
                }
            } else {
                into.add(new Place(false, Path.of(folder.path).resolve(relative).normalize().toString()));
            }
        }

        /** The Mach-O file at a host path (its real path), or null. */
        private Node hostFile(String path) throws IOException {
            if (!search.hostLookups()) {
                return null;
            }
            Optional<Node> cached = hostFiles.get(path);
            if (cached != null) {
                return cached.orElse(null);
            }
            Node node = null;
            Path file = Path.of(path);
            if (Files.isRegularFile(file) && Files.isReadable(file) && Files.size(file) >= 28) {
                byte[] magic = new byte[8];
                try (InputStream in = Files.newInputStream(file)) {
                    int n = in.readNBytes(magic, 0, 8);
                    if (n == 8 && MachoReader.hasMachoMagic(magic, 8)) {
                        Path real = file.toRealPath();
                        node = nodes.get("host:" + real);
                        if (node == null) {
                            node = new Node(real.toString(), false, MachoReader.read(real));
                            nodes.put(node.key(), node);
                        }
                    }
                }
            }
            hostFiles.put(path, Optional.ofNullable(node));
            return node;
        }

        private boolean excluded(String name) {
            String leaf = name.substring(name.lastIndexOf('/') + 1);
            return excludes.stream().anyMatch(p -> p.matcher(name).matches() || p.matcher(leaf).matches());
        }
    }

    /** Libraries of macOS itself: never bundled (most live only in the dyld shared cache). */
    static boolean isSystem(String path) {
        return path.startsWith("/usr/lib/") || path.startsWith("/System/");
    }
}
