package org.neuronsimulator.wheel.builder.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.audit.HostLibraryResolver;
import org.neuronsimulator.wheel.audit.LibraryResolver;
import org.neuronsimulator.wheel.audit.PackageOwners;

/**
 * Library resolution as the build image's loader sees it, over the partial image root a container
 * build exported (see {@link ContainerWheelBuilder#exportLibrariesTo}): the image's
 * {@code ld.so.conf} and default folders, read below that root, so that repair grafts the image's
 * libraries rather than the host's.
 */
public final class ImageLibraryResolver {

    private ImageLibraryResolver() {
    }

    /**
     * @param imageRoot the folder a container build exported
     * @throws IOException when the folder holds neither an exported loader configuration nor the
     *                     package list every export writes
     */
    public static LibraryResolver over(Path imageRoot) throws IOException {
        // musl images (Alpine) may have no loader configuration at all: the package list marks the export.
        if (!Files.isRegularFile(imageRoot.resolve("etc/ld.so.conf"))
                && !Files.isDirectory(imageRoot.resolve("etc/ld.so.conf.d"))
                && !Files.isRegularFile(imageRoot.resolve(PackageOwners.MANIFEST))) {
            throw new IOException(imageRoot + " holds no exported image loader configuration (etc/ld.so.conf);"
                    + " it is written by a container build of the build goal");
        }
        return new HostLibraryResolver(imageRoot.toAbsolutePath().normalize(), List.of(), "/etc/ld.so.conf");
    }

    /**
     * The resolver for a wheel built from this project: the build image's when a container build
     * exported it to {@code imageRoot} (so repair grafts what the image has), otherwise this host's.
     *
     * @throws IOException when {@code imageRoot} exists but holds no exported loader configuration
     */
    public static LibraryResolver orHost(Path imageRoot, Reporter reporter) throws IOException {
        if (imageRoot == null || !Files.isDirectory(imageRoot)) {
            return HostLibraryResolver.ofSystem();
        }
        reporter.info("libraries resolve as in the build image, exported to " + imageRoot);
        return over(imageRoot);
    }
}
