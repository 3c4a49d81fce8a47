package org.neuronsimulator.wheel.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * Which system package installed a file: asked of this machine's package managers ({@code apk info
 * --who-owns}, {@code rpm -qf}, {@code dpkg -S}), or read from the list a container build wrote
 * beside an exported image root (see {@link #MANIFEST}).
 */
public abstract class PackageOwners {

    /**
     * The list an image export writes at the top of the exported root: one line per library path,
     * tab-separated {@code path type distro name version} ({@code type} is {@code deb}, {@code rpm} or
     * {@code apk}); lines starting with {@code #} are comments.
     */
    public static final String MANIFEST = ".library-packages.tsv";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern OS_RELEASE_ID = Pattern.compile("^ID=\"?([^\"\\s]+)\"?\\s*$");
    private static final Pattern APK_OWNER = Pattern.compile(" is owned by (\\S+)-(\\d\\S*-r\\d+)$");

    /** The owner of the first of these paths (one file under several names) that a package owns. */
    public abstract Optional<ProvidingPackage> owner(List<String> paths) throws IOException;

    /** This machine's package managers, whichever are installed. */
    public static PackageOwners ofHost() {
        return new Host(distro(Path.of("/etc/os-release")));
    }

    /** The list written at {@code root/}{@link #MANIFEST}; owns nothing when there is none. */
    public static PackageOwners ofImageRoot(Path root) throws IOException {
        Map<String, ProvidingPackage> owners = new HashMap<>();
        Path manifest = root.resolve(MANIFEST);
        if (Files.isRegularFile(manifest)) {
            int number = 0;
            for (String line : Files.readAllLines(manifest)) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                if (fields.length != 5 || fields[0].isEmpty() || fields[1].isEmpty() || fields[3].isEmpty()
                        || fields[4].isEmpty()) {
                    throw new IOException(manifest + ":" + number + ": expected 'path type distro name version'"
                            + " separated by tabs");
                }
                owners.put(fields[0], new ProvidingPackage(fields[1], fields[2].isEmpty() ? null : fields[2],
                        fields[3], fields[4]));
            }
        }
        return new Listed(owners);
    }

    /** The {@code ID} of an {@code os-release} file, or null. */
    static String distro(Path osRelease) {
        try {
            for (String line : Files.readAllLines(osRelease)) {
                Matcher m = OS_RELEASE_ID.matcher(line);
                if (m.matches()) {
                    return m.group(1);
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static final class Listed extends PackageOwners {
        private final Map<String, ProvidingPackage> owners;

        Listed(Map<String, ProvidingPackage> owners) {
            this.owners = Map.copyOf(owners);
        }

        @Override
        public Optional<ProvidingPackage> owner(List<String> paths) {
            for (String path : paths) {
                ProvidingPackage owner = owners.get(path);
                if (owner != null) {
                    return Optional.of(owner);
                }
            }
            return Optional.empty();
        }
    }

    private static final class Host extends PackageOwners {
        private final String distro;
        private final Map<String, Boolean> installed = new ConcurrentHashMap<>();
        private final Map<String, Optional<ProvidingPackage>> cache = new ConcurrentHashMap<>();

        Host(String distro) {
            this.distro = distro;
        }

        @Override
        public Optional<ProvidingPackage> owner(List<String> paths) throws IOException {
            for (String path : paths) {
                Optional<ProvidingPackage> cached = cache.get(path);
                if (cached == null) {
                    cached = lookUp(path);
                    cache.put(path, cached);
                }
                if (cached.isPresent()) {
                    return cached;
                }
            }
            return Optional.empty();
        }

        private Optional<ProvidingPackage> lookUp(String path) throws IOException {
            if (has("apk")) {
                List<String> out = run("apk", "info", "--who-owns", path);
                for (String line : out == null ? List.<String>of() : out) {
                    Matcher m = APK_OWNER.matcher(line);
                    if (m.find()) {
                        return Optional.of(new ProvidingPackage("apk", distro, m.group(1), m.group(2)));
                    }
                }
            }
            if (has("rpm")) {
                List<String> out = run("rpm", "-qf", "--queryformat", "%{NAME}\\t%{VERSION}-%{RELEASE}\\n", path);
                if (out != null && out.size() == 1 && out.get(0).split("\t").length == 2) {
                    String[] fields = out.get(0).split("\t");
                    return Optional.of(new ProvidingPackage("rpm", distro, fields[0], fields[1]));
                }
            }
            if (has("dpkg-query")) {
                List<String> out = run("dpkg-query", "-S", path);
                if (out != null && !out.isEmpty() && out.get(0).indexOf(": ") > 0) {
                    // "zlib1g:amd64: /lib/x86_64-linux-gnu/libz.so.1.2.13"; a diversion line names several packages
                    String owner = out.get(0).substring(0, out.get(0).indexOf(": "));
                    if (!owner.contains(",") && !owner.startsWith("diversion by")) {
                        List<String> version = run("dpkg-query", "-W", "-f=${Version}\\n", owner);
                        if (version != null && version.size() == 1 && !version.get(0).isBlank()) {
                            int colon = owner.indexOf(':');
                            String name = colon > 0 ? owner.substring(0, colon) : owner;
                            return Optional.of(new ProvidingPackage("deb", distro, name, version.get(0).trim()));
                        }
                    }
                }
            }
            return Optional.empty();
        }

        private boolean has(String program) {
            return installed.computeIfAbsent(program, p -> {
                for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                    if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, p))) {
                        return true;
                    }
                }
                return false;
            });
        }

        /** The output lines of a successful run, or null. */
        private static List<String> run(String... command) throws IOException {
            List<String> lines = new ArrayList<>();
            ProcessResult result = ProcessRunner.of(command).environment("LC_ALL", "C").onOutput(lines::add)
                    .timeout(TIMEOUT).run();
            return result.succeeded() ? lines : null;
        }
    }
}
