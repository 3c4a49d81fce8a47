package org.neuronsimulator.wheel.macho;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.neuronsimulator.wheel.elf.ByteSource;
import org.neuronsimulator.wheel.elf.FileByteSource;

/**
 * Reads the headers and load commands of Mach-O files, thin or fat, 32 or 64-bit, either byte order.
 * Only the fat header and each slice's header and load commands are read, so a reader over an
 * inflating zip entry stops at the end of the last slice's load commands. Every offset, count and
 * size is checked against the command and the file; malformed data gives a
 * {@link MachoFormatException} naming the file.
 */
public final class MachoReader {

    static final int FAT_MAGIC = 0xcafebabe;
    static final int FAT_MAGIC_64 = 0xcafebabf;
    static final int MH_MAGIC = 0xfeedface;
    static final int MH_MAGIC_64 = 0xfeedfacf;
    static final int MH_CIGAM = 0xcefaedfe;
    static final int MH_CIGAM_64 = 0xcffaedfe;

    /**
     * More architectures than this in a fat header is no Mach-O file: Java class files share the fat
     * magic number, and their next word (the class file version, 45 and up) is larger.
     */
    static final int MAX_FAT_ARCHITECTURES = 32;
    /** Load commands of real binaries take a few kilobytes; this bounds what a malformed header can ask for. */
    static final int MAX_COMMANDS_SIZE = 16 * 1024 * 1024;

    private static final int CPU_ARCH_ABI64 = 0x01000000;
    private static final int CPU_ARCH_ABI64_32 = 0x02000000;
    private static final int CPU_TYPE_X86 = 7;
    private static final int CPU_TYPE_ARM = 12;
    private static final int CPU_TYPE_POWERPC = 18;

    private MachoReader() {
    }

    /** Whether the first bytes (at least 8) start a Mach-O file, thin or fat. */
    public static boolean hasMachoMagic(byte[] start, int length) {
        if (length < 8) {
            return false;
        }
        int magic = u32be(start, 0);
        if (magic == MH_MAGIC || magic == MH_MAGIC_64 || magic == MH_CIGAM || magic == MH_CIGAM_64) {
            return true;
        }
        if (magic == FAT_MAGIC || magic == FAT_MAGIC_64) {
            long count = u32be(start, 4) & 0xFFFFFFFFL;
            return count >= 1 && count <= MAX_FAT_ARCHITECTURES;
        }
        return false;
    }

    public static MachoFile read(Path file) throws IOException {
        try (FileByteSource source = new FileByteSource(file)) {
            return read(file.toString(), source);
        }
    }

    /** Reads a file; {@code name} is used in error messages and kept in the result. */
    public static MachoFile read(String name, ByteSource source) throws IOException {
        try {
            return new Parser(name, source).parse();
        } catch (MachoFormatException e) {
            throw e;
        } catch (EOFException e) {
            throw new MachoFormatException(name, "truncated Mach-O data: " + e.getMessage());
        } catch (RuntimeException e) {
            // Defensive: a malformed table must surface as a format error, never as an index fault.
            throw new MachoFormatException(name, "malformed Mach-O data (" + e + ")");
        }
    }

    /** The architecture name lipo and wheel tags use for a CPU type and subtype. */
    public static String architectureName(int cpuType, int cpuSubtype) {
        int subtype = cpuSubtype & 0x00FFFFFF;
        return switch (cpuType) {
            case CPU_TYPE_X86 -> "i386";
            case CPU_TYPE_X86 | CPU_ARCH_ABI64 -> subtype == 8 ? "x86_64h" : "x86_64";
            case CPU_TYPE_ARM | CPU_ARCH_ABI64 -> subtype == 2 ? "arm64e" : "arm64";
            case CPU_TYPE_ARM | CPU_ARCH_ABI64_32 -> "arm64_32";
            case CPU_TYPE_ARM -> switch (subtype) {
                case 6 -> "armv6";
                case 9 -> "armv7";
                case 11 -> "armv7s";
                case 12 -> "armv7k";
                default -> "arm";
            };
            case CPU_TYPE_POWERPC -> "ppc";
            case CPU_TYPE_POWERPC | CPU_ARCH_ABI64 -> "ppc64";
            default -> "cputype " + cpuType;
        };
    }

    static int u32be(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    private static final class Parser {
        private final String name;
        private final ByteSource source;
        private final long fileSize;

        Parser(String name, ByteSource source) {
            this.name = name;
            this.source = source;
            this.fileSize = source.size();
        }

        MachoFile parse() throws IOException {
            if (fileSize >= 0 && fileSize < 8) {
                throw fail("too short for a Mach-O header (" + fileSize + " bytes)");
            }
            byte[] start = bytes(0, 8, "the magic number");
            if (new String(start, 0, 8, StandardCharsets.ISO_8859_1).equals("!<arch>\n")) {
                throw fail("a static archive (ar), not a Mach-O file");
            }
            int magic = u32be(start, 0);
            if (magic == FAT_MAGIC || magic == FAT_MAGIC_64) {
                return readFat(magic == FAT_MAGIC_64, u32be(start, 4) & 0xFFFFFFFFL);
            }
            if (magic != MH_MAGIC && magic != MH_MAGIC_64 && magic != MH_CIGAM && magic != MH_CIGAM_64) {
                throw fail(String.format("not a Mach-O file (magic number 0x%08x)", magic));
            }
            return new MachoFile(name, false, List.of(readSlice(0, fileSize, "")));
        }

        private MachoFile readFat(boolean fat64, long count) throws IOException {
            if (count == 0) {
                throw fail("the fat header lists no architecture");
            }
            if (count > MAX_FAT_ARCHITECTURES) {
                throw fail("the fat header lists " + count + " architectures (a Java class file has the same magic"
                        + " number); at most " + MAX_FAT_ARCHITECTURES + " are accepted");
            }
            int entrySize = fat64 ? 32 : 20;
            int headerEnd = 8 + (int) count * entrySize;
            byte[] table = bytes(8, (int) count * entrySize, "the fat header");
            List<long[]> ranges = new ArrayList<>();
            List<MachoSlice> slices = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int o = i * entrySize;
                int cpuType = u32be(table, o);
                int cpuSubtype = u32be(table, o + 4);
                long offset = fat64 ? u64be(table, o + 8) : u32be(table, o + 8) & 0xFFFFFFFFL;
                long size = fat64 ? u64be(table, o + 16) : u32be(table, o + 12) & 0xFFFFFFFFL;
                String where = "fat architecture " + i + " (" + architectureName(cpuType, cpuSubtype) + ")";
                if (offset < headerEnd || size < 28 || offset + size < offset) {
                    throw fail(where + ": offset " + Long.toUnsignedString(offset) + " and size "
                            + Long.toUnsignedString(size) + " do not describe a slice after the fat header");
                }
                if (fileSize >= 0 && offset + size > fileSize) {
                    throw fail(where + ": bytes " + offset + ".." + (offset + size) + " lie beyond the end of the file ("
                            + fileSize + " bytes)");
                }
                for (long[] other : ranges) {
                    if (offset < other[1] && other[0] < offset + size) {
                        throw fail(where + " overlaps another slice");
                    }
                }
                ranges.add(new long[] {offset, offset + size});
                MachoSlice slice = readSlice(offset, size, where + ": ");
                if (slice.cpuType() != cpuType) {
                    throw fail(where + ": the slice's own header says cputype " + slice.cpuType());
                }
                slices.add(slice);
            }
            return new MachoFile(name, true, slices);
        }

        private MachoSlice readSlice(long base, long size, String where) throws IOException {
            byte[] magicBytes = bytes(base, 4, where + "the Mach-O magic number");
            int magic = u32be(magicBytes, 0);
            boolean is64;
            boolean little;
            if (magic == MH_MAGIC || magic == MH_MAGIC_64) {
                is64 = magic == MH_MAGIC_64;
                little = false;
            } else if (magic == MH_CIGAM || magic == MH_CIGAM_64) {
                is64 = magic == MH_CIGAM_64;
                little = true;
            } else if (magic == FAT_MAGIC || magic == FAT_MAGIC_64) {
                throw fail(where + "a fat header inside a fat file");
            } else {
                throw fail(where + String.format("not a Mach-O slice (magic number 0x%08x)", magic));
            }
            Data header = new Data(bytes(base, is64 ? 32 : 28, where + "the Mach-O header"), little);
            int cpuType = header.s32(4);
            int cpuSubtype = header.s32(8);
            int fileType = header.s32(12);
            long ncmds = header.u32(16);
            long sizeofcmds = header.u32(20);
            int flags = header.s32(24);
            int headerSize = is64 ? 32 : 28;
            String arch = architectureName(cpuType, cpuSubtype);
            if (sizeofcmds > MAX_COMMANDS_SIZE) {
                throw fail(where + "implausible size of the load commands (" + sizeofcmds + " bytes)");
            }
            if (size >= 0 && headerSize + sizeofcmds > size) {
                throw fail(where + "load commands of " + sizeofcmds + " bytes do not fit in the " + size + "-byte "
                        + (base == 0 && where.isEmpty() ? "file" : "slice"));
            }
            if (ncmds * 8 > sizeofcmds) {
                throw fail(where + ncmds + " load commands cannot fit in " + sizeofcmds + " bytes");
            }
            Data commands = new Data(bytes(base + headerSize, (int) sizeofcmds, where + "the load commands"), little);
            List<LoadCommand> list = new ArrayList<>((int) ncmds);
            long position = 0;
            for (int i = 0; i < ncmds; i++) {
                if (position + 8 > sizeofcmds) {
                    throw fail(where + "load command " + i + " starts beyond the " + sizeofcmds + " bytes of load commands");
                }
                int o = (int) position;
                int type = commands.s32(o);
                long cmdsize = commands.u32(o + 4);
                String label = where + "load command " + i + " (" + LoadCommand.nameOf(type) + ")";
                if (cmdsize < 8 || position + cmdsize > sizeofcmds) {
                    throw fail(label + " has size " + cmdsize + ", outside the " + sizeofcmds + " bytes of load commands");
                }
                list.add(command(commands, o, type, (int) cmdsize, is64, size, label));
                position += cmdsize;
            }
            return new MachoSlice(arch, cpuType, cpuSubtype, is64, fileType, flags, base, size, sizeofcmds, list);
        }

        private LoadCommand command(Data d, int o, int type, int size, boolean is64, long sliceSize, String label)
                throws MachoFormatException {
            switch (type) {
                case LoadCommand.LC_ID_DYLIB, LoadCommand.LC_LOAD_DYLIB, LoadCommand.LC_LOAD_WEAK_DYLIB,
                        LoadCommand.LC_REEXPORT_DYLIB, LoadCommand.LC_LAZY_LOAD_DYLIB,
                        LoadCommand.LC_LOAD_UPWARD_DYLIB -> {
                    need(size, 24, label);
                    LoadCommand.DylibKind kind = switch (type) {
                        case LoadCommand.LC_ID_DYLIB -> LoadCommand.DylibKind.ID;
                        case LoadCommand.LC_LOAD_WEAK_DYLIB -> LoadCommand.DylibKind.WEAK;
                        case LoadCommand.LC_REEXPORT_DYLIB -> LoadCommand.DylibKind.REEXPORT;
                        case LoadCommand.LC_LAZY_LOAD_DYLIB -> LoadCommand.DylibKind.LAZY;
                        case LoadCommand.LC_LOAD_UPWARD_DYLIB -> LoadCommand.DylibKind.UPWARD;
                        default -> LoadCommand.DylibKind.LOAD;
                    };
                    return new LoadCommand.Dylib(type, size, o, kind, string(d, o, size, 24, label), d.u32(o + 12),
                            d.u32(o + 16), d.u32(o + 20));
                }
                case LoadCommand.LC_RPATH -> {
                    need(size, 12, label);
                    return new LoadCommand.Rpath(type, size, o, string(d, o, size, 12, label));
                }
                case LoadCommand.LC_LOAD_DYLINKER, LoadCommand.LC_ID_DYLINKER -> {
                    need(size, 12, label);
                    return new LoadCommand.Dylinker(type, size, o, string(d, o, size, 12, label));
                }
                case LoadCommand.LC_VERSION_MIN_MACOSX, LoadCommand.LC_VERSION_MIN_IPHONEOS,
                        LoadCommand.LC_VERSION_MIN_TVOS, LoadCommand.LC_VERSION_MIN_WATCHOS -> {
                    need(size, 16, label);
                    return new LoadCommand.VersionMin(type, size, o, MacosVersion.ofPacked(d.u32(o + 8)),
                            MacosVersion.ofPacked(d.u32(o + 12)));
                }
                case LoadCommand.LC_BUILD_VERSION -> {
                    need(size, 24, label);
                    long ntools = d.u32(o + 20);
                    if (24 + ntools * 8 > size) {
                        throw fail(label + ": " + ntools + " tool entries do not fit in " + size + " bytes");
                    }
                    List<LoadCommand.Tool> tools = new ArrayList<>();
                    for (int t = 0; t < ntools; t++) {
                        tools.add(new LoadCommand.Tool(d.s32(o + 24 + 8 * t), d.u32(o + 28 + 8 * t)));
                    }
                    return new LoadCommand.BuildVersion(type, size, o, d.s32(o + 8), MacosVersion.ofPacked(d.u32(o + 12)),
                            MacosVersion.ofPacked(d.u32(o + 16)), tools);
                }
                case LoadCommand.LC_CODE_SIGNATURE -> {
                    need(size, 16, label);
                    long dataOffset = d.u32(o + 8);
                    long dataSize = d.u32(o + 12);
                    if (sliceSize >= 0 && dataOffset + dataSize > sliceSize) {
                        throw fail(label + ": the signature at " + dataOffset + " (" + dataSize
                                + " bytes) lies beyond the end of the " + sliceSize + "-byte slice");
                    }
                    return new LoadCommand.CodeSignature(type, size, o, dataOffset, dataSize);
                }
                case LoadCommand.LC_SEGMENT_64 -> {
                    need(size, 72, label);
                    long nsects = d.u32(o + 64);
                    if (72 + nsects * 80 > size) {
                        throw fail(label + ": " + nsects + " sections do not fit in " + size + " bytes");
                    }
                    long first = 0;
                    for (int s = 0; s < nsects; s++) {
                        first = firstOffset(first, d.u32(o + 72 + 80 * s + 48));
                    }
                    return new LoadCommand.Segment(type, size, o, fixedString(d, o + 8, 16), d.u64(o + 24), d.u64(o + 32),
                            d.u64(o + 40), d.u64(o + 48), (int) nsects, first);
                }
                case LoadCommand.LC_SEGMENT -> {
                    need(size, 56, label);
                    long nsects = d.u32(o + 48);
                    if (56 + nsects * 68 > size) {
                        throw fail(label + ": " + nsects + " sections do not fit in " + size + " bytes");
                    }
                    long first = 0;
                    for (int s = 0; s < nsects; s++) {
                        first = firstOffset(first, d.u32(o + 56 + 68 * s + 40));
                    }
                    return new LoadCommand.Segment(type, size, o, fixedString(d, o + 8, 16), d.u32(o + 24), d.u32(o + 28),
                            d.u32(o + 32), d.u32(o + 36), (int) nsects, first);
                }
                case LoadCommand.LC_UUID -> {
                    need(size, 24, label);
                    String hex = HexFormat.of().withUpperCase().formatHex(d.bytes, o + 8, o + 24);
                    return new LoadCommand.Uuid(type, size, o, hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-"
                            + hex.substring(12, 16) + "-" + hex.substring(16, 20) + "-" + hex.substring(20));
                }
                default -> {
                    return new LoadCommand.Other(type, size, o);
                }
            }
        }

        private static long firstOffset(long first, long sectionOffset) {
            return sectionOffset == 0 ? first : first == 0 ? sectionOffset : Math.min(first, sectionOffset);
        }

        private void need(int size, int minimum, String label) throws MachoFormatException {
            if (size < minimum) {
                throw fail(label + " is " + size + " bytes, shorter than its " + minimum + "-byte fixed part");
            }
        }

        /**
         * The command's {@code lc_str} (its third word): an offset from the command's start to a
         * NUL-terminated string after the command's {@code fixed} part.
         */
        private String string(Data d, int commandStart, int size, int fixed, String label) throws MachoFormatException {
            long offset = d.u32(commandStart + 8);
            if (offset < fixed || offset >= size) {
                throw fail(label + ": string offset " + offset + " lies outside the command (" + fixed + ".." + size + ")");
            }
            int from = commandStart + (int) offset;
            int end = commandStart + size;
            int nul = from;
            while (nul < end && d.bytes[nul] != 0) {
                nul++;
            }
            if (nul == end) {
                throw fail(label + ": the string at offset " + offset + " has no terminating NUL within the command");
            }
            return new String(d.bytes, from, nul - from, StandardCharsets.UTF_8);
        }

        private static String fixedString(Data d, int from, int length) {
            int end = from;
            while (end < from + length && d.bytes[end] != 0) {
                end++;
            }
            return new String(d.bytes, from, end - from, StandardCharsets.UTF_8);
        }

        private byte[] bytes(long offset, int length, String what) throws IOException {
            if (offset < 0 || length < 0 || (fileSize >= 0 && offset + length > fileSize)) {
                throw fail(what + " (bytes " + offset + ".." + (offset + length) + ") lies beyond the end of the file ("
                        + fileSize + " bytes)");
            }
            byte[] b = new byte[length];
            source.read(offset, b, 0, length);
            return b;
        }

        private MachoFormatException fail(String reason) {
            return new MachoFormatException(name, reason);
        }

        private static long u64be(byte[] b, int o) {
            return ((long) u32be(b, o) << 32) | (u32be(b, o + 4) & 0xFFFFFFFFL);
        }
    }

    /** Bytes in the slice's byte order. */
    private record Data(byte[] bytes, boolean little) {

        int s32(int o) {
            if (little) {
                return (bytes[o] & 0xFF) | ((bytes[o + 1] & 0xFF) << 8) | ((bytes[o + 2] & 0xFF) << 16)
                        | ((bytes[o + 3] & 0xFF) << 24);
            }
            return u32be(bytes, o);
        }

        long u32(int o) {
            return s32(o) & 0xFFFFFFFFL;
        }

        long u64(int o) {
            long a = u32(o);
            long b = u32(o + 4);
            return little ? (b << 32) | a : (a << 32) | b;
        }
    }
}
