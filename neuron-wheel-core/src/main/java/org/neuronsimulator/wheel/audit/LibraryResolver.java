package org.neuronsimulator.wheel.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.neuronsimulator.wheel.elf.ElfIdentity;

/**
 * Finds shared libraries the way the dynamic loader of some system would: on this host, or inside
 * a build container. Only libraries whose class, byte order and machine match are accepted.
 */
public interface LibraryResolver {

    /**
     * Looks a library up.
     *
     * @param soname   the {@code DT_NEEDED} name
     * @param identity what the library must match
     * @param rpath    directories from {@code DT_RPATH} of the requester and its loaders, already
     *                 expanded ({@code $ORIGIN} and so on); searched before the environment
     * @param runpath  directories from the requester's {@code DT_RUNPATH}, already expanded;
     *                 searched after {@code LD_LIBRARY_PATH}
     */
    Optional<ResolvedLibrary> resolve(String soname, ElfIdentity identity, List<String> rpath, List<String> runpath)
            throws IOException;

    /** Copies a resolved library's bytes (its real file, not a link) to {@code target}. */
    void copy(ResolvedLibrary library, Path target) throws IOException;
}
