package org.neuronsimulator.wheel.audit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.neuronsimulator.wheel.elf.ElfFile;
import org.neuronsimulator.wheel.elf.ElfFormatException;
import org.neuronsimulator.wheel.elf.ElfIdentity;
import org.neuronsimulator.wheel.elf.ElfReader;

/**
 * Resolves libraries on this machine, or below a folder that stands for the root of another system
 * (an exported build image): {@code DT_RPATH}, {@code LD_LIBRARY_PATH}, {@code DT_RUNPATH}, then
 * the system folders of the requester's C library: for glibc the directories of
 * {@code /etc/ld.so.conf} (with its includes) and {@code /lib}, {@code /lib64}, {@code /usr/lib},
 * {@code /usr/lib64}; for musl those of {@code /etc/ld-musl-<arch>.path}, else {@code /lib},
 * {@code /usr/local/lib}, {@code /usr/lib}. Results are cached; instances are safe for concurrent use.
 */
public final class HostLibraryResolver implements LibraryResolver {

    private static final List<String> DEFAULT_DIRECTORIES = List.of("/lib", "/lib64", "/usr/lib", "/usr/lib64");
    private static final List<String> MUSL_DEFAULT_DIRECTORIES = List.of("/lib", "/usr/local/lib", "/usr/lib");

    private final Path root;
    private final List<String> libraryPath;
    private final List<String> systemDirectories;
    private volatile List<String> muslDirectories;
    private final Map<String, Optional<ElfFile>> elfCache = new ConcurrentHashMap<>();
    private final Map<Lookup, Optional<ResolvedLibrary>> lookups = new ConcurrentHashMap<>();
    private final Map<String, Boolean> directories = new ConcurrentHashMap<>();
    private final Map<String, Optional<LibcVersion>> muslVersions = new ConcurrentHashMap<>();
    private volatile PackageOwners owners;

    /**
     * @param root        a directory that stands for {@code /} (a sysroot), or {@code /}
     * @param libraryPath the {@code LD_LIBRARY_PATH} entries
     * @param confFile    the {@code ld.so.conf} to read below {@code root}
     */
    public HostLibraryResolver(Path root, List<String> libraryPath, String confFile) {
        this.root = root;
        this.libraryPath = List.copyOf(libraryPath);
        Set<String> dirs = new LinkedHashSet<>(readConf(confFile, new TreeSet<>()));
        dirs.addAll(DEFAULT_DIRECTORIES);
        this.systemDirectories = List.copyOf(dirs);
    }

    /** This machine, with the JVM's {@code LD_LIBRARY_PATH}. */
    public static HostLibraryResolver ofSystem() {
        String env = System.getenv("LD_LIBRARY_PATH");
        List<String> path = new ArrayList<>();
        if (env != null) {
            for (String part : env.split("[:;]")) {
                if (!part.isEmpty()) {
                    path.add(part);
                }
            }
        }
        return new HostLibraryResolver(Path.of("/"), path, "/etc/ld.so.conf");
    }

    /** The glibc system folders: {@code ld.so.conf} and the default directories, in search order. */
    public List<String> systemDirectories() {
        return systemDirectories;
    }

    /** The musl system folders: those of {@code /etc/ld-musl-*.path}, or musl's built-in defaults. */
    public List<String> muslDirectories() {
        List<String> dirs = muslDirectories;
        if (dirs == null) {
            Set<String> found = new LinkedHashSet<>();
            for (String file : expand("/etc/ld-musl-*.path")) {
                try {
                    for (String part : Files.readString(onRoot(file)).split("[:\\n]")) {
                        if (!part.isBlank()) {
                            found.add(part.trim());
                        }
                    }
                } catch (IOException e) {
                    // an unreadable path file counts as absent, as for the loader
                }
            }
            dirs = found.isEmpty() ? MUSL_DEFAULT_DIRECTORIES : List.copyOf(found);
            muslDirectories = dirs;
        }
        return dirs;
    }

    @Override
    public Optional<ResolvedLibrary> resolve(String soname, ElfIdentity identity, SearchPath path) throws IOException {
        // The key shares the search path's lists: a string key copied them per library name, which
        // for thousands of DT_NEEDED and RPATH entries made a few kilobytes of input take gigabytes.
        Lookup key = new Lookup(soname, identity, path);
        Optional<ResolvedLibrary> cached = lookups.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<ResolvedLibrary> found = Optional.empty();
        if (soname.contains("/")) {
            found = candidate(soname, soname, identity);
        } else {
            List<String> order = new ArrayList<>(path.beforeEnvironment());
            order.addAll(libraryPath);
            order.addAll(path.afterEnvironment());
            order.addAll(path.libc() == Libc.MUSL ? muslDirectories() : systemDirectories);
            order.addAll(path.afterSystem());
            for (String dir : order) {
                if (!directories.computeIfAbsent(dir, d -> Files.isDirectory(onRoot(d)))) {
                    continue;
                }
                found = candidate(soname, dir + "/" + soname, identity);
                if (found.isPresent()) {
                    break;
                }
            }
        }
        lookups.put(key, found);
        return found;
    }

    private record Lookup(String soname, ElfIdentity identity, SearchPath path) {
    }

    private Optional<ResolvedLibrary> candidate(String soname, String path, ElfIdentity identity) throws IOException {
        Path file = onRoot(path);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Path real = file.toRealPath();
        String realName = fromRoot(real);
        Optional<ElfFile> elf = elfCache.get(realName);
        if (elf == null) {
            try {
                elf = Optional.of(ElfReader.read(realName, new org.neuronsimulator.wheel.elf.FileByteSource(real)));
            } catch (ElfFormatException e) {
                elf = Optional.empty(); // a linker script or a broken file: the loader skips it too
            }
            elfCache.put(realName, elf);
        }
        if (elf.isEmpty() || !elf.get().identity().equals(identity)) {
            return Optional.empty();
        }
        return Optional.of(new ResolvedLibrary(soname, realName, path, elf.get()));
    }

    @Override
    public void copy(ResolvedLibrary library, Path target) throws IOException {
        Files.copy(onRoot(library.path()), target, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Finds musl's C library ({@code lib/ld-musl-<arch>.so.1}, or Alpine's {@code lib/libc.musl-<arch>.so.1})
     * and reads its version: from the release string the library carries, or, on this host, from
     * what its loader prints when run without arguments.
     */
    @Override
    public Optional<LibcVersion> muslVersion(String architecture) throws IOException {
        Optional<LibcVersion> cached = muslVersions.get(architecture);
        if (cached != null) {
            return cached;
        }
        String wanted = PolicyTable.muslArchitecture(architecture);
        List<String> candidates = new ArrayList<>();
        for (String name : List.of("/lib/ld-musl-*.so.1", "/lib/libc.musl-*.so.1")) {
            for (String file : expand(name)) {
                String base = file.substring(file.lastIndexOf('/') + 1);
                String arch = base.substring(base.indexOf('-', 3) + 1, base.length() - ".so.1".length());
                if (arch.equals(wanted) || (wanted.equals("armv7") && arch.startsWith("arm"))) {
                    candidates.add(file);
                }
            }
        }
        Optional<LibcVersion> version = Optional.empty();
        for (String file : candidates) {
            Path library = onRoot(file);
            if (!Files.isRegularFile(library)) {
                continue;
            }
            version = MuslRelease.of(library, root.toString().equals("/"));
            if (version.isPresent()) {
                break;
            }
        }
        muslVersions.put(architecture, version);
        return version;
    }

    /**
     * On this host, the package manager that installed the library; below another root, the
     * owners an image export listed (see {@link PackageOwners#MANIFEST}).
     */
    @Override
    public Optional<ProvidingPackage> providingPackage(ResolvedLibrary library) throws IOException {
        PackageOwners found = owners;
        if (found == null) {
            found = root.toString().equals("/") ? PackageOwners.ofHost() : PackageOwners.ofImageRoot(root);
            owners = found;
        }
        // Package databases list the paths their packages install, which may sit behind links.
        Set<String> paths = new LinkedHashSet<>();
        paths.add(library.foundAs());
        paths.add(fileLinksResolved(library.foundAs()));
        paths.add(library.path());
        return found.owner(List.copyOf(paths));
    }

    /** Follows the links of the last path component only, as a package database records the file. */
    private String fileLinksResolved(String path) throws IOException {
        String current = path;
        for (int i = 0; i < 40; i++) {
            Path file = onRoot(current);
            if (!Files.isSymbolicLink(file)) {
                return current;
            }
            String target = Files.readSymbolicLink(file).toString();
            String parent = current.substring(0, current.lastIndexOf('/'));
            current = target.startsWith("/") ? target : normalizeAbsolute(parent + "/" + target);
        }
        return current;
    }

    private static String normalizeAbsolute(String path) {
        String normal = WheelPaths.normalize(path);
        return "/" + (normal == null ? "" : normal);
    }

    private Path onRoot(String path) {
        if (root.toString().equals("/")) {
            return Path.of(path);
        }
        return root.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    private String fromRoot(Path real) {
        if (root.toString().equals("/")) {
            return real.toString();
        }
        return "/" + root.toAbsolutePath().relativize(real);
    }

    private List<String> readConf(String confFile, Set<String> seen) {
        List<String> dirs = new ArrayList<>();
        Path file = onRoot(confFile);
        if (!seen.add(file.toString()) || !Files.isRegularFile(file)) {
            return dirs;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return dirs;
        }
        for (String raw : lines) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
            if (line.isEmpty() || line.startsWith("hwcap ")) {
                continue;
            }
            if (line.startsWith("include ")) {
                for (String pattern : line.substring("include ".length()).trim().split("\\s+")) {
                    String absolute = pattern.startsWith("/") ? pattern
                            : parentOf(confFile) + "/" + pattern;
                    for (String included : expand(absolute)) {
                        dirs.addAll(readConf(included, seen));
                    }
                }
            } else {
                for (String dir : line.split("[:,\\s]+")) {
                    if (!dir.isEmpty()) {
                        dirs.add(dir);
                    }
                }
            }
        }
        return dirs;
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "" : path.substring(0, slash);
    }

    /** Expands a glob in the last path component, in sorted order like glibc's ldconfig. */
    @Override
    public boolean hasGlibcLoader() {
        for (String pattern : List.of("/lib/ld-linux*", "/lib64/ld-linux*", "/lib/ld64.so*", "/lib64/ld64.so*")) {
            if (!expand(pattern).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private List<String> expand(String pattern) {
        int slash = pattern.lastIndexOf('/');
        String dir = slash <= 0 ? "/" : pattern.substring(0, slash);
        String glob = pattern.substring(slash + 1);
        if (!glob.contains("*") && !glob.contains("?") && !glob.contains("[")) {
            return List.of(pattern);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(onRoot(dir))) {
            for (Path entry : entries) {
                if (matcher.matches(entry.getFileName())) {
                    names.add(entry.getFileName().toString());
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (String name : names) {
            result.add(dir + "/" + name);
        }
        return result;
    }
}
