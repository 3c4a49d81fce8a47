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
     * Where to look for one library, in order: {@code beforeEnvironment}, {@code LD_LIBRARY_PATH},
     * {@code afterEnvironment}, the system folders of {@code libc} ({@code ld.so.conf} and the
     * trusted folders for glibc, {@code ld-musl-<arch>.path} or musl's defaults for musl), then
     * {@code afterSystem}. Folders are already expanded ({@code $ORIGIN} and so on).
     *
     * @param libc              the C library of the requesting object, which decides the system folders
     * @param beforeEnvironment {@code DT_RPATH} folders
     * @param afterEnvironment  {@code DT_RUNPATH} folders
     * @param afterSystem       folders searched last (beside an executable's interpreter)
     */
    record SearchPath(Libc libc, List<String> beforeEnvironment, List<String> afterEnvironment,
                      List<String> afterSystem) {

        public SearchPath {
            beforeEnvironment = List.copyOf(beforeEnvironment);
            afterEnvironment = List.copyOf(afterEnvironment);
            afterSystem = List.copyOf(afterSystem);
        }

        /** Only the system folders of this C library. */
        public static SearchPath system(Libc libc) {
            return new SearchPath(libc, List.of(), List.of(), List.of());
        }
    }

    /** Looks a library up by its {@code DT_NEEDED} name. */
    Optional<ResolvedLibrary> resolve(String soname, ElfIdentity identity, SearchPath path) throws IOException;

    /** Copies a resolved library's bytes (its real file, not a link) to {@code target}. */
    void copy(ResolvedLibrary library, Path target) throws IOException;

    /**
     * The version of the musl C library this system has for an architecture (a wheel tag's name:
     * {@code x86_64}, {@code aarch64}...), which decides the musllinux policy; empty when it has none
     * or its version cannot be told.
     */
    default Optional<LibcVersion> muslVersion(String architecture) throws IOException {
        return Optional.empty();
    }

    /** Whether this system has glibc's dynamic loader (a system with musl only has none). */
    default boolean hasGlibcLoader() throws IOException {
        return true;
    }

    /**
     * The system package that installed a resolved library (for a software bill of materials),
     * empty when no package manager of that system owns it.
     */
    default Optional<ProvidingPackage> providingPackage(ResolvedLibrary library) throws IOException {
        return Optional.empty();
    }
}
