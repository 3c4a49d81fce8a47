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
 * Resolves libraries on this machine: RPATH, {@code LD_LIBRARY_PATH}, RUNPATH, the directories of
 * {@code /etc/ld.so.conf} (with its includes), then {@code /lib}, {@code /lib64}, {@code /usr/lib},
 * {@code /usr/lib64}. Results are cached; instances are safe for concurrent use.
 */
public final class HostLibraryResolver implements LibraryResolver {

    private static final List<String> DEFAULT_DIRECTORIES = List.of("/lib", "/lib64", "/usr/lib", "/usr/lib64");

    private final Path root;
    private final List<String> libraryPath;
    private final List<String> systemDirectories;
    private final Map<String, Optional<ElfFile>> elfCache = new ConcurrentHashMap<>();
    private final Map<String, Optional<ResolvedLibrary>> lookups = new ConcurrentHashMap<>();

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

    /** The {@code ld.so.conf} and default directories, in search order. */
    public List<String> systemDirectories() {
        return systemDirectories;
    }

    @Override
    public Optional<ResolvedLibrary> resolve(String soname, ElfIdentity identity, List<String> rpath,
                                             List<String> runpath) throws IOException {
        String key = soname + '\0' + identity + '\0' + rpath + '\0' + runpath;
        Optional<ResolvedLibrary> cached = lookups.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<ResolvedLibrary> found = Optional.empty();
        if (soname.contains("/")) {
            found = candidate(soname, soname, identity);
        } else {
            List<String> order = new ArrayList<>(rpath);
            order.addAll(libraryPath);
            order.addAll(runpath);
            order.addAll(systemDirectories);
            for (String dir : order) {
                found = candidate(soname, dir + "/" + soname, identity);
                if (found.isPresent()) {
                    break;
                }
            }
        }
        lookups.put(key, found);
        return found;
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
        return Optional.of(new ResolvedLibrary(soname, realName, elf.get()));
    }

    @Override
    public void copy(ResolvedLibrary library, Path target) throws IOException {
        Files.copy(onRoot(library.path()), target, StandardCopyOption.REPLACE_EXISTING);
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
