package org.neuronsimulator.wheel.builder.container;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.neuronsimulator.wheel.InvalidSettingException;

/** Tar streams into and out of build containers. */
final class ContainerArchives {

    private ContainerArchives() {
    }

    /** Writes tar entries for files copied into a container; names are relative to the container's root. */
    static final class Writer implements AutoCloseable {
        private final TarArchiveOutputStream tar;

        Writer(OutputStream out) {
            tar = new TarArchiveOutputStream(new BufferedOutputStream(out, 1 << 16));
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        }

        /** An empty folder at an absolute container path, and its parents. */
        void directory(String containerPath) throws IOException {
            String relative = relative(containerPath);
            StringBuilder prefix = new StringBuilder();
            for (String part : relative.split("/")) {
                prefix.append(part).append('/');
                TarArchiveEntry entry = new TarArchiveEntry(prefix.toString());
                entry.setMode(0755 | 040000);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
        }

        /** One regular host file (its mode kept) at an absolute container path; its folder must be written first. */
        void file(Path hostFile, String containerPath) throws IOException {
            if (!Files.isRegularFile(hostFile)) {
                throw new IOException(hostFile + " is not a regular file");
            }
            TarArchiveEntry entry = new TarArchiveEntry(relative(containerPath));
            entry.setSize(Files.size(hostFile));
            entry.setMode(0100000 | mode(hostFile, 0644));
            entry.setModTime(Files.getLastModifiedTime(hostFile));
            tar.putArchiveEntry(entry);
            Files.copy(hostFile, tar);
            tar.closeArchiveEntry();
        }

        /**
         * A host folder's tree (regular files, folders and symbolic links, modes kept) at an absolute
         * container path, skipping what the filter rejects.
         */
        void tree(Path hostRoot, String containerPath, Predicate<Path> skip) throws IOException {
            if (!Files.isDirectory(hostRoot)) {
                throw new IOException(hostRoot + " is not a folder");
            }
            String base = relative(containerPath);
            directory(containerPath);
            Files.walkFileTree(hostRoot, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (dir.equals(hostRoot)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (skip.test(dir)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    TarArchiveEntry entry = new TarArchiveEntry(name(dir) + "/");
                    entry.setMode(040000 | mode(dir, 0755));
                    entry.setModTime(attrs.lastModifiedTime());
                    tar.putArchiveEntry(entry);
                    tar.closeArchiveEntry();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (skip.test(file)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.isSymbolicLink()) {
                        TarArchiveEntry entry = new TarArchiveEntry(name(file), TarArchiveEntry.LF_SYMLINK);
                        entry.setLinkName(Files.readSymbolicLink(file).toString());
                        tar.putArchiveEntry(entry);
                        tar.closeArchiveEntry();
                    } else if (attrs.isRegularFile()) {
                        TarArchiveEntry entry = new TarArchiveEntry(name(file));
                        entry.setSize(attrs.size());
                        entry.setMode(0100000 | mode(file, 0644));
                        entry.setModTime(attrs.lastModifiedTime());
                        tar.putArchiveEntry(entry);
                        Files.copy(file, tar);
                        tar.closeArchiveEntry();
                    }
                    return FileVisitResult.CONTINUE;
                }

                private String name(Path path) {
                    return base + "/" + hostRoot.relativize(path).toString().replace('\\', '/');
                }
            });
        }

        @Override
        public void close() throws IOException {
            tar.finish();
            tar.close();
        }
    }

    private static String relative(String containerPath) {
        String trimmed = containerPath.replaceAll("^/+", "").replaceAll("/+$", "");
        if (trimmed.isEmpty()) {
            throw new InvalidSettingException("extra-input", "container path '" + containerPath + "' names the root folder");
        }
        for (String part : trimmed.split("/+")) {
            if (part.equals("..") || part.equals(".")) {
                throw new InvalidSettingException("extra-input", "container path '" + containerPath + "' must not contain . or ..");
            }
        }
        return trimmed;
    }

    private static int mode(Path path, int fallback) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            int mode = 0;
            for (PosixFilePermission p : permissions) {
                mode |= 1 << (8 - p.ordinal());
            }
            return mode;
        } catch (UnsupportedOperationException | IOException e) {
            return fallback;
        }
    }

    /**
     * Extracts the regular files whose names end in {@code suffix} from a tar stream into a folder
     * (flat: folders inside the stream are dropped). Entry names that are absolute or climb out with
     * {@code ..} are refused, so a hostile archive cannot write elsewhere. Files are written under a
     * temporary name and moved into place, and belong to the user running this code.
     */
    static List<Path> extractFiles(InputStream in, Path targetDirectory, String suffix) throws IOException {
        Files.createDirectories(targetDirectory);
        Path root = targetDirectory.toAbsolutePath().normalize();
        List<Path> written = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                checkEntryName(name);
                if (!entry.isFile() || !name.endsWith(suffix)) {
                    continue;
                }
                String fileName = name.substring(name.lastIndexOf('/') + 1);
                Path target = root.resolve(fileName).normalize();
                if (!target.getParent().equals(root)) {
                    throw new IOException("refusing archive entry '" + name + "': it leaves " + root);
                }
                Path partial = root.resolve("." + fileName + ".part");
                Files.copy(tar, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                written.add(target);
            }
        }
        written.sort(null);
        return written;
    }

    static void checkEntryName(String name) throws IOException {
        if (name.startsWith("/") || name.contains("\\")) {
            throw new IOException("refusing archive entry '" + name + "': absolute or with backslashes");
        }
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw new IOException("refusing archive entry '" + name + "': it climbs out with ..");
            }
        }
    }
}
