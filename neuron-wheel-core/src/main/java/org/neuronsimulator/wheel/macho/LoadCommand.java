package org.neuronsimulator.wheel.macho;

import java.util.List;
import java.util.Map;

/**
 * One load command of a Mach-O slice. The commands a wheel audit and repair need are read into their
 * own records; every other command keeps its type and size.
 */
public sealed interface LoadCommand {

    int LC_REQ_DYLD = 0x80000000;
    int LC_SEGMENT = 0x1;
    int LC_ID_DYLIB = 0xd;
    int LC_LOAD_DYLIB = 0xc;
    int LC_LOAD_DYLINKER = 0xe;
    int LC_ID_DYLINKER = 0xf;
    int LC_LOAD_WEAK_DYLIB = 0x18 | LC_REQ_DYLD;
    int LC_SEGMENT_64 = 0x19;
    int LC_UUID = 0x1b;
    int LC_RPATH = 0x1c | LC_REQ_DYLD;
    int LC_CODE_SIGNATURE = 0x1d;
    int LC_REEXPORT_DYLIB = 0x1f | LC_REQ_DYLD;
    int LC_LAZY_LOAD_DYLIB = 0x20;
    int LC_LOAD_UPWARD_DYLIB = 0x23 | LC_REQ_DYLD;
    int LC_VERSION_MIN_MACOSX = 0x24;
    int LC_VERSION_MIN_IPHONEOS = 0x25;
    int LC_VERSION_MIN_TVOS = 0x2f;
    int LC_VERSION_MIN_WATCHOS = 0x30;
    int LC_BUILD_VERSION = 0x32;

    /** The command's type ({@code cmd}). */
    int type();

    /** Its size in bytes ({@code cmdsize}). */
    long size();

    /** Where it starts, from the start of its slice. */
    long offset();

    /** The {@code LC_*} name of the type, as otool prints it. */
    default String typeName() {
        return nameOf(type());
    }

    static String nameOf(int type) {
        String name = Names.BY_TYPE.get(type);
        return name != null ? name : String.format("LC_0x%x", type);
    }

    /** How a dylib command asks for a library. */
    enum DylibKind {
        /** {@code LC_ID_DYLIB}: the library's own install name. */
        ID,
        LOAD,
        WEAK,
        REEXPORT,
        LAZY,
        UPWARD
    }

    /**
     * {@code LC_ID_DYLIB}, {@code LC_LOAD_DYLIB} and its weak, re-export, lazy and upward variants.
     * Versions are packed {@code xxxx.yy.zz}.
     */
    record Dylib(int type, long size, long offset, DylibKind kind, String name, long timestamp, long currentVersion,
                 long compatibilityVersion) implements LoadCommand {
    }

    /** {@code LC_RPATH}. */
    record Rpath(int type, long size, long offset, String path) implements LoadCommand {
    }

    /** {@code LC_LOAD_DYLINKER} / {@code LC_ID_DYLINKER}. */
    record Dylinker(int type, long size, long offset, String name) implements LoadCommand {
    }

    /** {@code LC_VERSION_MIN_MACOSX} and its iOS, tvOS and watchOS siblings. */
    record VersionMin(int type, long size, long offset, MacosVersion version, MacosVersion sdk) implements LoadCommand {
    }

    /** {@code LC_BUILD_VERSION}: platform (1 = macOS), minimum OS, SDK and the tools that built it. */
    record BuildVersion(int type, long size, long offset, int platform, MacosVersion minimum, MacosVersion sdk,
                        List<Tool> tools) implements LoadCommand {

        public static final int PLATFORM_MACOS = 1;

        public BuildVersion {
            tools = List.copyOf(tools);
        }

        /** The platform's name as otool prints it, or its number. */
        public String platformName() {
            return Names.PLATFORMS.getOrDefault(platform, Integer.toString(platform));
        }
    }

    /** A tool entry of {@code LC_BUILD_VERSION} (1 = clang, 2 = swift, 3 = ld). */
    record Tool(int tool, long version) {
    }

    /** {@code LC_CODE_SIGNATURE}: where the signature blob lies in the slice. */
    record CodeSignature(int type, long size, long offset, long dataOffset, long dataSize) implements LoadCommand {
    }

    /** {@code LC_SEGMENT} / {@code LC_SEGMENT_64}. */
    record Segment(int type, long size, long offset, String segmentName, long vmAddress, long vmSize, long fileOffset,
                   long fileSize, int sectionCount, long firstSectionOffset) implements LoadCommand {
    }

    /** {@code LC_UUID}, upper-case with dashes as otool prints it. */
    record Uuid(int type, long size, long offset, String uuid) implements LoadCommand {
    }

    /** Any other command. */
    record Other(int type, long size, long offset) implements LoadCommand {
    }

    /** Name tables (from {@code mach-o/loader.h}). */
    final class Names {
        private Names() {
        }

        static final Map<Integer, String> PLATFORMS = Map.of(1, "macos", 2, "ios", 3, "tvos", 4, "watchos",
                5, "bridgeos", 6, "macCatalyst", 7, "iossim", 8, "tvossim", 9, "watchossim", 10, "driverkit");

        static final Map<Integer, String> BY_TYPE = Map.ofEntries(
                Map.entry(0x1, "LC_SEGMENT"), Map.entry(0x2, "LC_SYMTAB"), Map.entry(0x3, "LC_SYMSEG"),
                Map.entry(0x4, "LC_THREAD"), Map.entry(0x5, "LC_UNIXTHREAD"), Map.entry(0x6, "LC_LOADFVMLIB"),
                Map.entry(0x7, "LC_IDFVMLIB"), Map.entry(0x8, "LC_IDENT"), Map.entry(0x9, "LC_FVMFILE"),
                Map.entry(0xa, "LC_PREPAGE"), Map.entry(0xb, "LC_DYSYMTAB"), Map.entry(0xc, "LC_LOAD_DYLIB"),
                Map.entry(0xd, "LC_ID_DYLIB"), Map.entry(0xe, "LC_LOAD_DYLINKER"), Map.entry(0xf, "LC_ID_DYLINKER"),
                Map.entry(0x10, "LC_PREBOUND_DYLIB"), Map.entry(0x11, "LC_ROUTINES"),
                Map.entry(0x12, "LC_SUB_FRAMEWORK"), Map.entry(0x13, "LC_SUB_UMBRELLA"),
                Map.entry(0x14, "LC_SUB_CLIENT"), Map.entry(0x15, "LC_SUB_LIBRARY"),
                Map.entry(0x16, "LC_TWOLEVEL_HINTS"), Map.entry(0x17, "LC_PREBIND_CKSUM"),
                Map.entry(0x18 | LC_REQ_DYLD, "LC_LOAD_WEAK_DYLIB"), Map.entry(0x19, "LC_SEGMENT_64"),
                Map.entry(0x1a, "LC_ROUTINES_64"), Map.entry(0x1b, "LC_UUID"),
                Map.entry(0x1c | LC_REQ_DYLD, "LC_RPATH"), Map.entry(0x1d, "LC_CODE_SIGNATURE"),
                Map.entry(0x1e, "LC_SEGMENT_SPLIT_INFO"), Map.entry(0x1f | LC_REQ_DYLD, "LC_REEXPORT_DYLIB"),
                Map.entry(0x20, "LC_LAZY_LOAD_DYLIB"), Map.entry(0x21, "LC_ENCRYPTION_INFO"),
                Map.entry(0x22, "LC_DYLD_INFO"), Map.entry(0x22 | LC_REQ_DYLD, "LC_DYLD_INFO_ONLY"),
                Map.entry(0x23 | LC_REQ_DYLD, "LC_LOAD_UPWARD_DYLIB"), Map.entry(0x24, "LC_VERSION_MIN_MACOSX"),
                Map.entry(0x25, "LC_VERSION_MIN_IPHONEOS"), Map.entry(0x26, "LC_FUNCTION_STARTS"),
                Map.entry(0x27, "LC_DYLD_ENVIRONMENT"), Map.entry(0x28 | LC_REQ_DYLD, "LC_MAIN"),
                Map.entry(0x29, "LC_DATA_IN_CODE"), Map.entry(0x2a, "LC_SOURCE_VERSION"),
                Map.entry(0x2b, "LC_DYLIB_CODE_SIGN_DRS"), Map.entry(0x2c, "LC_ENCRYPTION_INFO_64"),
                Map.entry(0x2d, "LC_LINKER_OPTION"), Map.entry(0x2e, "LC_LINKER_OPTIMIZATION_HINT"),
                Map.entry(0x2f, "LC_VERSION_MIN_TVOS"), Map.entry(0x30, "LC_VERSION_MIN_WATCHOS"),
                Map.entry(0x31, "LC_NOTE"), Map.entry(0x32, "LC_BUILD_VERSION"),
                Map.entry(0x33 | LC_REQ_DYLD, "LC_DYLD_EXPORTS_TRIE"),
                Map.entry(0x34 | LC_REQ_DYLD, "LC_DYLD_CHAINED_FIXUPS"),
                Map.entry(0x35 | LC_REQ_DYLD, "LC_FILESET_ENTRY"), Map.entry(0x36, "LC_ATOM_INFO"));
    }
}
