package org.neuronsimulator.wheel.build.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.neuronsimulator.wheel.audit.HostLibraryResolver;
import org.neuronsimulator.wheel.audit.LibraryResolver;

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
     * @throws IOException when the folder holds no exported loader configuration
     */
    public static LibraryResolver over(Path imageRoot) throws IOException {
        if (!Files.isRegularFile(imageRoot.resolve("etc/ld.so.conf"))
                && !Files.isDirectory(imageRoot.resolve("etc/ld.so.conf.d"))) {
            throw new IOException(imageRoot + " holds no exported image loader configuration (etc/ld.so.conf);"
                    + " it is written by a container build of the build goal");
        }
        return new HostLibraryResolver(imageRoot.toAbsolutePath().normalize(), List.of(), "/etc/ld.so.conf");
    }
}
