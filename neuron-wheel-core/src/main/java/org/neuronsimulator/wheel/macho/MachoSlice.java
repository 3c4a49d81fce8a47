package org.neuronsimulator.wheel.macho;

import java.util.List;
import java.util.Optional;

/**
 * One architecture of a Mach-O file: the whole file when it is thin, one slice of a fat (universal) one.
 *
 * @param architecture  the architecture's name as lipo and wheel tags spell it ({@code x86_64}, {@code arm64}...)
 * @param cpuType       {@code cputype} of the header
 * @param cpuSubtype    {@code cpusubtype} of the header, capability bits included
 * @param is64          whether the header is {@code mach_header_64}
 * @param fileType      {@code filetype}: {@link #MH_EXECUTE}, {@link #MH_DYLIB}, {@link #MH_BUNDLE}...
 * @param flags         the header's flags
 * @param offset        where the slice starts in the file
 * @param size          the slice's size in bytes (-1 when the file's size is not known)
 * @param commandsSize  {@code sizeofcmds}
 * @param commands      the load commands, in file order
 */
public record MachoSlice(String architecture, int cpuType, int cpuSubtype, boolean is64, int fileType, int flags,
                         long offset, long size, long commandsSize, List<LoadCommand> commands) {

    public static final int MH_OBJECT = 1;
    public static final int MH_EXECUTE = 2;
    public static final int MH_DYLIB = 6;
    public static final int MH_BUNDLE = 8;

    public MachoSlice {
        commands = List.copyOf(commands);
    }

    /** Size of the header before the load commands. */
    public int headerSize() {
        return is64 ? 32 : 28;
    }

    /** Whether dyld loads it: an executable, a dynamic library or a bundle (a CPython extension is a bundle). */
    public boolean isLinked() {
        return fileType == MH_EXECUTE || fileType == MH_DYLIB || fileType == MH_BUNDLE;
    }

    public String fileTypeName() {
        return switch (fileType) {
            case MH_OBJECT -> "object";
            case MH_EXECUTE -> "executable";
            case MH_DYLIB -> "dylib";
            case MH_BUNDLE -> "bundle";
            default -> "filetype " + fileType;
        };
    }

    /** The libraries it loads ({@code LC_LOAD_DYLIB} and its variants), in order. */
    public List<LoadCommand.Dylib> dependencies() {
        return commands.stream().filter(c -> c instanceof LoadCommand.Dylib d && d.kind() != LoadCommand.DylibKind.ID)
                .map(LoadCommand.Dylib.class::cast).toList();
    }

    /** Its own install name ({@code LC_ID_DYLIB}), for a library. */
    public Optional<String> installName() {
        return commands.stream().filter(c -> c instanceof LoadCommand.Dylib d && d.kind() == LoadCommand.DylibKind.ID)
                .map(c -> ((LoadCommand.Dylib) c).name()).findFirst();
    }

    /** {@code LC_RPATH} entries, in order. */
    public List<String> rpaths() {
        return commands.stream().filter(LoadCommand.Rpath.class::isInstance).map(c -> ((LoadCommand.Rpath) c).path())
                .toList();
    }

    /**
     * The oldest macOS it runs on: {@code minos} of a macOS {@code LC_BUILD_VERSION}, else the version of
     * {@code LC_VERSION_MIN_MACOSX}; empty when it has neither.
     */
    public Optional<MacosVersion> minimumMacos() {
        for (LoadCommand c : commands) {
            if (c instanceof LoadCommand.BuildVersion b && b.platform() == LoadCommand.BuildVersion.PLATFORM_MACOS) {
                return Optional.of(b.minimum());
            }
        }
        for (LoadCommand c : commands) {
            if (c instanceof LoadCommand.VersionMin v && v.type() == LoadCommand.LC_VERSION_MIN_MACOSX) {
                return Optional.of(v.version());
            }
        }
        return Optional.empty();
    }

    /** Where its code signature lies, when it has one. */
    public Optional<LoadCommand.CodeSignature> codeSignature() {
        return commands.stream().filter(LoadCommand.CodeSignature.class::isInstance)
                .map(LoadCommand.CodeSignature.class::cast).findFirst();
    }

    /**
     * Bytes free between the end of the load commands and the first section's data: how much the load
     * commands can grow when install names get longer.
     */
    public long headerPadding() {
        long first = Long.MAX_VALUE;
        for (LoadCommand c : commands) {
            if (c instanceof LoadCommand.Segment s && s.firstSectionOffset() > 0) {
                first = Math.min(first, s.firstSectionOffset());
            }
        }
        long end = headerSize() + commandsSize;
        return first == Long.MAX_VALUE ? 0 : Math.max(0, first - end);
    }
}
