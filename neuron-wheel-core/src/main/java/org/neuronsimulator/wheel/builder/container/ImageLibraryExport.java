package org.neuronsimulator.wheel.builder.container;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.audit.PackageOwners;
import org.neuronsimulator.wheel.builder.PythonInterpreter;

/**
 * Copies out of a build container what a later repair needs to resolve the wheels' libraries as
 * the image does: the image's loader configuration ({@code /etc/ld.so.conf} with its included
 * files, musl's {@code /etc/ld-musl-*.path}), every shared library that the image's loader finds
 * for the ELF files in the built wheels, each written at its absolute path under a host folder (a
 * partial image root), and which of the image's packages installed each library
 * ({@link PackageOwners#MANIFEST}, for the repaired wheels' SBOM).
 */
final class ImageLibraryExport {

    /** Lists, for every ELF file in the wheels under the output root, the libraries the loader resolves: "path realpath". */
    static final String SCRIPT = String.join("\n",
            "import glob, os, subprocess, sys, tempfile, zipfile",
            "seen = set()",
            "with tempfile.TemporaryDirectory() as tmp:",
            "    for n, wheel in enumerate(sorted(glob.glob(sys.argv[1] + '/*/*.whl'))):",
            "        with zipfile.ZipFile(wheel) as z:",
            "            for info in z.infolist():",
            "                if info.is_dir():",
            "                    continue",
            "                with z.open(info) as f:",
            "                    if f.read(4) != b'\\x7fELF':",
            "                        continue",
            "                target = os.path.join(tmp, str(n), info.filename)",
            "                os.makedirs(os.path.dirname(target), exist_ok=True)",
            "                with z.open(info) as f, open(target, 'wb') as out:",
            "                    out.write(f.read())",
            "                os.chmod(target, 0o755)",
            "                r = subprocess.run(['ldd', target], capture_output=True, text=True)",
            "                for line in r.stdout.splitlines():",
            "                    parts = line.split()",
            "                    # libraries inside the wheel itself (found through $ORIGIN) are not the image's",
            "                    if len(parts) >= 3 and parts[1] == '=>' and parts[2].startswith('/')"
                    + " and not os.path.realpath(parts[2]).startswith(os.path.realpath(tmp) + '/'):",
            "                        seen.add(parts[2])",
            "for path in sorted(seen):",
            "    print(path, os.path.realpath(path))",
            "");

    /**
     * Prints, for each path given, the package that installed it as the image's package manager
     * (apk, rpm or dpkg) says: "path type distro name version", tab-separated.
     */
    static final String PACKAGES_SCRIPT = String.join("\n",
            "import os, re, shutil, subprocess, sys",
            "distro = ''",
            "try:",
            "    for line in open('/etc/os-release'):",
            "        if line.startswith('ID='):",
            "            distro = line[3:].strip().strip('\"')",
            "except OSError:",
            "    pass",
            "def run(*command):",
            "    try:",
            "        r = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, LC_ALL='C'))",
            "    except OSError:",
            "        return None",
            "    return r.stdout.strip() if r.returncode == 0 else None",
            "def owner(path):",
            "    if shutil.which('apk'):",
            "        m = re.search(r' is owned by (\\S+)-(\\d\\S*-r\\d+)$', run('apk', 'info', '--who-owns', path) or '')",
            "        if m:",
            "            return 'apk', m.group(1), m.group(2)",
            "    if shutil.which('rpm'):",
            "        out = run('rpm', '-qf', '--queryformat', '%{NAME}\\t%{VERSION}-%{RELEASE}\\n', path) or ''",
            "        if out.count('\\t') == 1 and '\\n' not in out:",
            "            return ('rpm',) + tuple(out.split('\\t'))",
            "    if shutil.which('dpkg-query'):",
            "        out = (run('dpkg-query', '-S', path) or '').split('\\n')[0]",
            "        package = out.split(': ')[0] if ': ' in out else ''",
            "        if package and ',' not in package and not package.startswith('diversion'):",
            "            version = run('dpkg-query', '-W', '-f=${Version}', package)",
            "            if version:",
            "                return 'deb', package.split(':')[0], version",
            "    return None",
            "for path in sys.argv[1:]:",
            "    # package databases record the path a package installed, which links may hide",
            "    for candidate in (path, os.path.join(os.path.dirname(path), os.readlink(path))"
                    + " if os.path.islink(path) else path, os.path.realpath(path)):",
            "        found = owner(candidate)",
            "        if found:",
            "            print('\\t'.join((path, found[0], distro, found[1], found[2])))",
            "            break",
            "");

    private final BuildContainer container;
    private final ContainerWheelBuilder.ImageFacts facts;
    private final Duration timeout;
    private final Reporter reporter;

    ImageLibraryExport(BuildContainer container, ContainerWheelBuilder.ImageFacts facts, Duration timeout, Reporter reporter) {
        this.container = container;
        this.facts = facts;
        this.timeout = timeout;
        this.reporter = reporter;
    }

    void export(Path root) throws IOException {
        long start = System.nanoTime();
        PythonInterpreter python = facts.interpreters().stream().filter(p -> "cpython".equals(p.implementation()))
                .findFirst().orElseThrow(() -> new IOException("no Python in the image to list the wheels' libraries"));
        List<String> lines = new ArrayList<>();
        BuildContainer.ExecResult result = container.exec(List.of(python.executable().toString(), "-c", SCRIPT,
                ContainerWheelBuilder.OUTPUT_ROOT), List.of(), "/", timeout, 10_000, lines::add);
        if (!result.succeeded()) {
            throw new IOException("listing the wheels' libraries in container " + container.name() + " failed (exit "
                    + result.exitCode() + "): " + String.join(" | ", result.tail()));
        }
        Files.createDirectories(root);
        copyTree("/etc/ld.so.conf", root);
        copyTree("/etc/ld.so.conf.d", root);
        for (String muslPath : containerGlob(python, "/etc/ld-musl-*.path")) {
            copyTree(muslPath, root);
        }
        int count = 0;
        List<String> paths = new ArrayList<>();
        for (String line : lines) {
            int space = line.indexOf(' ');
            if (space <= 0 || !line.startsWith("/")) {
                continue;
            }
            String path = line.substring(0, space);
            String real = line.substring(space + 1);
            copyFile(real, root.resolve(path.substring(1)).normalize(), root);
            paths.add(path);
            count++;
        }
        writePackages(python, paths, root);
        reporter.info(String.format("copied the image's loader configuration and %d librar%s to %s in %.1f s", count,
                count == 1 ? "y" : "ies", root, (System.nanoTime() - start) / 1e9));
    }

    /** Which image packages installed the exported libraries, written beside them even when none did. */
    private void writePackages(PythonInterpreter python, List<String> paths, Path root) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!paths.isEmpty()) {
            List<String> command = new ArrayList<>(List.of(python.executable().toString(), "-c", PACKAGES_SCRIPT));
            command.addAll(paths);
            BuildContainer.ExecResult result = container.exec(command, List.of(), "/", timeout, 10_000, lines::add);
            if (!result.succeeded()) {
                throw new IOException("asking the image which packages installed its libraries failed in container "
                        + container.name() + " (exit " + result.exitCode() + "): " + String.join(" | ", result.tail()));
            }
        }
        List<String> manifest = new ArrayList<>(List.of("# path\ttype\tdistro\tname\tversion: the image package"
                + " that installed each exported library"));
        lines.stream().filter(l -> l.startsWith("/") && l.split("\t", -1).length == 5).forEach(manifest::add);
        Files.write(root.resolve(PackageOwners.MANIFEST), manifest);
    }

    /** The container paths a glob pattern matches. */
    private List<String> containerGlob(PythonInterpreter python, String pattern) throws IOException {
        List<String> lines = new ArrayList<>();
        BuildContainer.ExecResult result = container.exec(List.of(python.executable().toString(), "-c",
                "import glob, sys\nfor p in sorted(glob.glob(sys.argv[1])): print(p)", pattern), List.of(), "/", timeout,
                10_000, lines::add);
        if (!result.succeeded()) {
            throw new IOException("listing " + pattern + " in container " + container.name() + " failed (exit "
                    + result.exitCode() + "): " + String.join(" | ", result.tail()));
        }
        return lines.stream().filter(l -> l.startsWith("/")).toList();
    }

    /** Copies a container file or folder (regular files and links) to the same absolute path under the root. */
    private void copyTree(String containerPath, Path root) throws IOException {
        String parent = containerPath.substring(0, containerPath.lastIndexOf('/'));
        InputStream stream;
        try {
            stream = container.copyOut(containerPath);
        } catch (IOException e) {
            return; // an image without this file simply has no such configuration
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(stream)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                ContainerArchives.checkEntryName(entry.getName());
                Path target = root.resolve(parent.substring(1)).resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("refusing archive entry '" + entry.getName() + "': it leaves " + root);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Copies the content of one container file (following no links: the caller passes the real path) to a host path. */
    private void copyFile(String containerPath, Path target, Path root) throws IOException {
        if (!target.startsWith(root)) {
            throw new IOException("refusing library path " + containerPath + ": it leaves " + root);
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(container.copyOut(containerPath))) {
            TarArchiveEntry entry = tar.getNextEntry();
            if (entry == null || !entry.isFile()) {
                throw new IOException("container path " + containerPath + " is not a regular file");
            }
            Files.createDirectories(target.getParent());
            Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
