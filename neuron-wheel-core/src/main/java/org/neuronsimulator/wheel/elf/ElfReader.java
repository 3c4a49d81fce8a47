package org.neuronsimulator.wheel.elf;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the dynamic-linking facts of an ELF object through program headers only (the section
 * header table sits at the end of a file and is consulted only when no hash table tells the size of
 * {@code .dynsym}), so that a reader over an inflating stream stops near the start of the file.
 * Every offset and count is checked; malformed data gives an {@link ElfFormatException}.
 */
public final class ElfReader {

    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_INTERP = 3;
    private static final int PT_NOTE = 4;
    private static final int PT_GNU_PROPERTY = 0x6474e553;

    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_HASH = 4;
    private static final long DT_STRTAB = 5;
    private static final long DT_SYMTAB = 6;
    private static final long DT_STRSZ = 10;
    private static final long DT_SYMENT = 11;
    private static final long DT_SONAME = 14;
    private static final long DT_RPATH = 15;
    private static final long DT_RUNPATH = 29;
    private static final long DT_GNU_HASH = 0x6ffffef5L;
    private static final long DT_VERNEED = 0x6ffffffeL;
    private static final long DT_VERNEEDNUM = 0x6fffffffL;

    private static final int SHT_DYNSYM = 11;
    private static final int NT_GNU_PROPERTY_TYPE_0 = 5;
    private static final int GNU_PROPERTY_X86_ISA_1_NEEDED = 0xc0008002;

    /** No single table read may exceed this; real dynamic tables are far smaller. */
    private static final int MAX_TABLE = 256 * 1024 * 1024;
    private static final int MAX_PROGRAM_HEADERS = 4096;

    private ElfReader() {
    }

    /** True when the bytes start with the ELF magic number. */
    public static boolean hasElfMagic(byte[] start, int length) {
        return length >= 4 && start[0] == 0x7f && start[1] == 'E' && start[2] == 'L' && start[3] == 'F';
    }

    public static ElfFile read(Path file) throws IOException {
        try (FileByteSource source = new FileByteSource(file)) {
            return read(file.toString(), source, SymbolFilter.ALL);
        }
    }

    /** Reads an object keeping every dynamic symbol. */
    public static ElfFile read(String name, ByteSource source) throws IOException {
        return read(name, source, SymbolFilter.ALL);
    }

    /** Reads an object; {@code name} is used in error messages and kept in the result. */
    public static ElfFile read(String name, ByteSource source, SymbolFilter filter) throws IOException {
        try {
            return new Parser(name, source, filter).parse();
        } catch (ElfFormatException e) {
            throw e;
        } catch (EOFException e) {
            throw new ElfFormatException(name, "truncated ELF data: " + e.getMessage());
        } catch (RuntimeException e) {
            // Defensive: a malformed table must surface as a format error, never as an index fault.
            throw new ElfFormatException(name, "malformed ELF data (" + e + ")");
        }
    }

    private record Segment(long type, long offset, long vaddr, long filesz, long memsz, long align) {
    }

    private static final class Parser {
        private final String name;
        private final ByteSource source;
        private final SymbolFilter filter;
        private boolean is64;
        private boolean little;

        Parser(String name, ByteSource source, SymbolFilter filter) {
            this.name = name;
            this.source = source;
            this.filter = filter;
        }

        ElfFile parse() throws IOException {
            long size = source.size();
            if (size >= 0 && size < 16) {
                throw fail("too short for an ELF header (" + size + " bytes)");
            }
            byte[] ident = bytes(0, 16, "the ELF identification");
            if (!hasElfMagic(ident, ident.length)) {
                throw fail("not an ELF file (no ELF magic number)");
            }
            if (ident[4] != 1 && ident[4] != 2) {
                throw fail("unknown ELF class " + ident[4]);
            }
            if (ident[5] != 1 && ident[5] != 2) {
                throw fail("unknown ELF data encoding " + ident[5]);
            }
            is64 = ident[4] == 2;
            little = ident[5] == 1;
            int headerSize = is64 ? 64 : 52;
            byte[] h = bytes(0, headerSize, "the ELF header");
            int type = u16(h, 16);
            int machine = u16(h, 18);
            int flags = (int) u32(h, is64 ? 48 : 36);
            long phoff = word(h, is64 ? 32 : 28);
            long shoff = word(h, is64 ? 40 : 32);
            int phentsize = u16(h, is64 ? 54 : 42);
            int phnum = u16(h, is64 ? 56 : 44);
            int shentsize = u16(h, is64 ? 58 : 46);
            int shnum = u16(h, is64 ? 60 : 48);
            if (shoff != 0 && size >= 0) {
                long end = shoff + (long) shnum * shentsize;
                if (shoff < 0 || end > size || end < shoff) {
                    throw fail("section header table at offset " + Long.toUnsignedString(shoff) + " (" + shnum
                            + " entries) lies beyond the end of the file (" + size + " bytes)");
                }
            }
            ElfIdentity identity = new ElfIdentity(is64 ? 64 : 32, little, machine);

            List<Segment> segments = readSegments(phoff, phentsize, phnum);
            retainFirstSegment(segments);
            String interpreter = null;
            Segment dynamicSegment = null;
            List<Segment> notes = new ArrayList<>();
            Segment property = null;
            for (Segment s : segments) {
                if (s.type == PT_INTERP && interpreter == null) {
                    interpreter = cString(bytes(s.offset, (int) Math.min(s.filesz, 4096), "PT_INTERP"), 0);
                } else if (s.type == PT_DYNAMIC && dynamicSegment == null) {
                    dynamicSegment = s;
                } else if (s.type == PT_NOTE) {
                    notes.add(s);
                } else if (s.type == PT_GNU_PROPERTY) {
                    property = s;
                }
            }
            int isa = 0;
            if (machine == ElfIdentity.EM_X86_64 || machine == ElfIdentity.EM_386) {
                isa = readIsa(property != null ? List.of(property) : notes);
            }
            if (dynamicSegment == null) {
                return new ElfFile(name, identity, type, flags, interpreter, List.of(), null, List.of(), List.of(), Map.of(),
                        List.of(), isa, false);
            }
            return readDynamic(identity, type, flags, interpreter, isa, segments, dynamicSegment, shoff, shentsize, shnum);
        }

        private List<Segment> readSegments(long phoff, int phentsize, int phnum) throws IOException {
            if (phnum == 0) {
                return List.of();
            }
            if (phnum > MAX_PROGRAM_HEADERS) {
                throw fail("implausible number of program headers (" + phnum + ")");
            }
            int minimum = is64 ? 56 : 32;
            if (phentsize < minimum) {
                throw fail("program header entries of " + phentsize + " bytes are too small");
            }
            byte[] table = bytes(phoff, phentsize * phnum, "the program header table");
            List<Segment> segments = new ArrayList<>(phnum);
            for (int i = 0; i < phnum; i++) {
                int o = i * phentsize;
                long type = u32(table, o);
                if (is64) {
                    segments.add(new Segment(type, u64(table, o + 8), u64(table, o + 16), u64(table, o + 32),
                            u64(table, o + 40), u64(table, o + 48)));
                } else {
                    segments.add(new Segment(type, u32(table, o + 4), u32(table, o + 8), u32(table, o + 16),
                            u32(table, o + 20), u32(table, o + 28)));
                }
            }
            return segments;
        }

        /** The dynamic tables usually lie in the first loadable segment, read after the dynamic segment. */
        private void retainFirstSegment(List<Segment> segments) {
            Segment first = null;
            for (Segment s : segments) {
                if (s.type == PT_LOAD && (first == null || Long.compareUnsigned(s.offset, first.offset) < 0)) {
                    first = s;
                }
            }
            if (first != null && first.offset >= 0 && first.filesz >= 0 && first.offset + first.filesz > 0) {
                source.retain(first.offset + first.filesz);
            }
        }

        private ElfFile readDynamic(ElfIdentity identity, int type, int flags, String interpreter, int isa, List<Segment> segments,
                                    Segment dynamicSegment, long shoff, int shentsize, int shnum) throws IOException {
            int entrySize = is64 ? 16 : 8;
            long length = Math.min(dynamicSegment.filesz, 1L << 20);
            byte[] dyn = bytes(dynamicSegment.offset, (int) (length - length % entrySize), "the dynamic segment");
            List<Long> neededOffsets = new ArrayList<>();
            long sonameOffset = -1;
            long rpathOffset = -1;
            long runpathOffset = -1;
            long strtab = -1;
            long strsz = -1;
            long symtab = -1;
            long syment = is64 ? 24 : 16;
            long hash = -1;
            long gnuHash = -1;
            long verneed = -1;
            long verneednum = 0;
            for (int o = 0; o + entrySize <= dyn.length; o += entrySize) {
                long tag = is64 ? u64(dyn, o) : u32(dyn, o);
                long value = word(dyn, o + entrySize / 2);
                if (tag == DT_NULL) {
                    break;
                } else if (tag == DT_NEEDED) {
                    neededOffsets.add(value);
                } else if (tag == DT_SONAME) {
                    sonameOffset = value;
                } else if (tag == DT_RPATH) {
                    rpathOffset = value;
                } else if (tag == DT_RUNPATH) {
                    runpathOffset = value;
                } else if (tag == DT_STRTAB) {
                    strtab = value;
                } else if (tag == DT_STRSZ) {
                    strsz = value;
                } else if (tag == DT_SYMTAB) {
                    symtab = value;
                } else if (tag == DT_SYMENT) {
                    syment = value;
                } else if (tag == DT_HASH) {
                    hash = value;
                } else if (tag == DT_GNU_HASH) {
                    gnuHash = value;
                } else if (tag == DT_VERNEED) {
                    verneed = value;
                } else if (tag == DT_VERNEEDNUM) {
                    verneednum = value;
                }
            }
            byte[] strings = new byte[0];
            if (strtab != -1) {
                if (strsz < 0 || strsz > MAX_TABLE) {
                    throw fail("implausible DT_STRSZ " + strsz);
                }
                strings = bytes(toOffset(segments, strtab, "DT_STRTAB"), (int) strsz, "the dynamic string table");
            } else if (!neededOffsets.isEmpty() || sonameOffset >= 0) {
                throw fail("dynamic entries name strings but there is no DT_STRTAB");
            }
            List<String> needed = new ArrayList<>(neededOffsets.size());
            for (long offset : neededOffsets) {
                needed.add(string(strings, offset, "DT_NEEDED"));
            }
            String soname = sonameOffset >= 0 ? string(strings, sonameOffset, "DT_SONAME") : null;
            List<String> rpath = rpathOffset >= 0 ? splitPath(string(strings, rpathOffset, "DT_RPATH")) : List.of();
            List<String> runpath = runpathOffset >= 0 ? splitPath(string(strings, runpathOffset, "DT_RUNPATH")) : List.of();

            Map<String, List<String>> versions = verneed != -1 && verneednum > 0
                    ? readVersionNeeds(toOffset(segments, verneed, "DT_VERNEED"), verneednum, strings)
                    : Map.of();

            List<DynamicSymbol> symbols = List.of();
            if (symtab != -1) {
                if (syment < (is64 ? 24 : 16) || syment > 256) {
                    throw fail("implausible DT_SYMENT " + syment);
                }
                long symOffset = toOffset(segments, symtab, "DT_SYMTAB");
                long count = -1;
                if (gnuHash != -1) {
                    count = gnuHashSymbolCount(toOffset(segments, gnuHash, "DT_GNU_HASH"));
                } else if (hash != -1) {
                    count = u32(bytes(toOffset(segments, hash, "DT_HASH"), 8, "DT_HASH"), 4);
                } else {
                    count = sectionDynsymCount(shoff, shentsize, shnum, syment);
                }
                symbols = readSymbols(symOffset, count, (int) syment, strings);
            }
            return new ElfFile(name, identity, type, flags, interpreter, List.copyOf(needed), soname, rpath, runpath,
                    versions, symbols, isa, true);
        }

        private Map<String, List<String>> readVersionNeeds(long offset, long count, byte[] strings) throws IOException {
            Map<String, List<String>> result = new LinkedHashMap<>();
            long position = offset;
            long limit = Math.min(count, 4096);
            for (long i = 0; i < limit; i++) {
                byte[] vn = bytes(position, 16, ".gnu.version_r");
                int auxCount = u16(vn, 2);
                String file = string(strings, u32(vn, 4), "a version requirement");
                long aux = u32(vn, 8);
                long next = u32(vn, 12);
                List<String> names = result.computeIfAbsent(file, k -> new ArrayList<>());
                long auxPosition = position + aux;
                for (int j = 0; j < auxCount && j < 4096; j++) {
                    byte[] vna = bytes(auxPosition, 16, ".gnu.version_r auxiliary entry");
                    names.add(string(strings, u32(vna, 8), "a version name"));
                    long auxNext = u32(vna, 12);
                    if (auxNext == 0) {
                        break;
                    }
                    auxPosition += auxNext;
                }
                if (next == 0) {
                    break;
                }
                position += next;
            }
            Map<String, List<String>> frozen = new LinkedHashMap<>();
            result.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            return Collections.unmodifiableMap(frozen);
        }

        private long gnuHashSymbolCount(long offset) throws IOException {
            byte[] header = bytes(offset, 16, "DT_GNU_HASH");
            long nbuckets = u32(header, 0);
            long symoffset = u32(header, 4);
            long bloomSize = u32(header, 8);
            int wordSize = is64 ? 8 : 4;
            long bucketsOffset = offset + 16 + bloomSize * wordSize;
            if (nbuckets > MAX_TABLE / 4 || bloomSize > MAX_TABLE / 8) {
                throw fail("implausible DT_GNU_HASH sizes");
            }
            byte[] buckets = bytes(bucketsOffset, (int) (nbuckets * 4), "the DT_GNU_HASH buckets");
            long maxIndex = 0;
            for (int i = 0; i < nbuckets; i++) {
                maxIndex = Math.max(maxIndex, u32(buckets, i * 4));
            }
            if (maxIndex < symoffset) {
                return symoffset;
            }
            long chains = bucketsOffset + nbuckets * 4;
            long index = maxIndex;
            long limit = sourceLimit();
            while (true) {
                long at = chains + (index - symoffset) * 4;
                if (at + 4 > limit) {
                    throw fail("DT_GNU_HASH chain runs past the end of the file");
                }
                long value = u32(bytes(at, 4, "the DT_GNU_HASH chain"), 0);
                if ((value & 1) != 0) {
                    return index + 1;
                }
                index++;
            }
        }

        private long sectionDynsymCount(long shoff, int shentsize, int shnum, long syment) throws IOException {
            if (shoff == 0 || shnum == 0) {
                throw fail("no hash table and no section headers tell the size of the dynamic symbol table");
            }
            if (shentsize < (is64 ? 64 : 40) || shnum > 65535) {
                throw fail("section header entries of " + shentsize + " bytes are too small");
            }
            byte[] table = bytes(shoff, shentsize * shnum, "the section header table");
            for (int i = 0; i < shnum; i++) {
                int o = i * shentsize;
                if (u32(table, o + 4) == SHT_DYNSYM) {
                    long size = is64 ? u64(table, o + 32) : u32(table, o + 20);
                    return size / syment;
                }
            }
            return 0;
        }

        private List<DynamicSymbol> readSymbols(long offset, long count, int entrySize, byte[] strings) throws IOException {
            if (count <= 1) {
                return List.of();
            }
            if (count * entrySize > MAX_TABLE || (source.size() >= 0 && count * entrySize > source.size())) {
                throw fail("implausible number of dynamic symbols (" + count + ")");
            }
            byte[] table = bytes(offset, (int) (count * entrySize), "the dynamic symbol table");
            List<DynamicSymbol> symbols = new ArrayList<>(filter.keepsAll() ? (int) count - 1 : 16);
            for (int i = 1; i < count; i++) {
                int o = i * entrySize;
                long nameOffset = u32(table, o);
                int info;
                int shndx;
                if (is64) {
                    info = table[o + 4] & 0xff;
                    shndx = u16(table, o + 6);
                } else {
                    info = table[o + 12] & 0xff;
                    shndx = u16(table, o + 14);
                }
                if (nameOffset >= strings.length) {
                    throw fail("a symbol name points outside the dynamic string table (offset " + nameOffset + ")");
                }
                int start = (int) nameOffset;
                int end = start;
                while (end < strings.length && strings[end] != 0) {
                    end++;
                }
                if (filter.keep(strings, start, end - start, shndx != 0)) {
                    symbols.add(new DynamicSymbol(new String(strings, start, end - start, StandardCharsets.UTF_8),
                            shndx != 0, info >>> 4, info & 0xf));
                }
            }
            return Collections.unmodifiableList(symbols);
        }

        private int readIsa(List<Segment> noteSegments) throws IOException {
            int bits = 0;
            for (Segment s : noteSegments) {
                if (s.filesz <= 0 || s.filesz > 65536) {
                    continue;
                }
                byte[] data = bytes(s.offset, (int) s.filesz, "a note segment");
                int descAlign = s.align == 8 ? 8 : 4;
                int o = 0;
                while (o + 12 <= data.length) {
                    long namesz = u32(data, o);
                    long descsz = u32(data, o + 4);
                    long noteType = u32(data, o + 8);
                    long nameEnd = o + 12 + align(namesz, 4);
                    long descEnd = nameEnd + descsz;
                    if (namesz > data.length || descsz > data.length || descEnd > data.length) {
                        break;
                    }
                    if (noteType == NT_GNU_PROPERTY_TYPE_0 && namesz == 4
                            && cString(data, o + 12).equals("GNU")) {
                        bits |= isaBits(data, (int) nameEnd, (int) descEnd);
                    }
                    o = (int) Math.min(Integer.MAX_VALUE, nameEnd + align(descsz, descAlign));
                }
            }
            return bits;
        }

        private int isaBits(byte[] data, int start, int end) {
            int alignment = is64 ? 8 : 4;
            int o = start;
            int bits = 0;
            while (o + 8 <= end) {
                long prType = u32(data, o);
                long size = u32(data, o + 4);
                if (size > end - o - 8) {
                    break;
                }
                if (prType == (GNU_PROPERTY_X86_ISA_1_NEEDED & 0xffffffffL) && size >= 4) {
                    bits |= (int) u32(data, o + 8);
                }
                o = (int) (o + 8 + align(size, alignment));
            }
            return bits;
        }

        private static long align(long value, int alignment) {
            return (value + alignment - 1) / alignment * alignment;
        }

        private long toOffset(List<Segment> segments, long address, String what) throws ElfFormatException {
            for (Segment s : segments) {
                if (s.type == PT_LOAD && Long.compareUnsigned(address, s.vaddr) >= 0
                        && Long.compareUnsigned(address - s.vaddr, s.filesz) < 0) {
                    return s.offset + (address - s.vaddr);
                }
            }
            throw fail(what + " address 0x" + Long.toHexString(address) + " lies in no loadable segment");
        }

        private long sourceLimit() {
            return source.size() >= 0 ? source.size() : Long.MAX_VALUE;
        }

        private byte[] bytes(long offset, int length, String what) throws IOException {
            if (offset < 0 || length < 0) {
                throw fail(what + " has an invalid offset or size");
            }
            long size = source.size();
            if (size >= 0 && (offset > size || offset + length > size)) {
                throw fail(what + " at offset " + offset + " (" + length + " bytes) lies beyond the end of the file ("
                        + size + " bytes)");
            }
            if (length > MAX_TABLE) {
                throw fail(what + " is implausibly large (" + length + " bytes)");
            }
            byte[] data = new byte[length];
            try {
                source.read(offset, data, 0, length);
            } catch (EOFException e) {
                throw fail("truncated: " + what + " at offset " + offset + " (" + length + " bytes) is cut off ("
                        + e.getMessage() + ")");
            }
            return data;
        }

        private String string(byte[] strings, long offset, String what) throws ElfFormatException {
            if (offset < 0 || offset >= strings.length) {
                throw fail(what + " points outside the dynamic string table (offset " + offset + ")");
            }
            return cString(strings, (int) offset);
        }

        private static String cString(byte[] data, int offset) {
            int end = offset;
            while (end < data.length && data[end] != 0) {
                end++;
            }
            return new String(data, offset, end - offset, StandardCharsets.UTF_8);
        }

        private static List<String> splitPath(String value) {
            List<String> parts = new ArrayList<>();
            for (String part : value.split(":")) {
                if (!part.isEmpty()) {
                    parts.add(part);
                }
            }
            return List.copyOf(parts);
        }

        private ElfFormatException fail(String reason) {
            return new ElfFormatException(name, reason);
        }

        private int u16(byte[] b, int o) {
            return little ? (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 : (b[o] & 0xff) << 8 | (b[o + 1] & 0xff);
        }

        private long u32(byte[] b, int o) {
            long v = little
                    ? (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (long) (b[o + 3] & 0xff) << 24
                    : (long) (b[o] & 0xff) << 24 | (b[o + 1] & 0xff) << 16 | (b[o + 2] & 0xff) << 8 | (b[o + 3] & 0xff);
            return v & 0xffffffffL;
        }

        private long u64(byte[] b, int o) {
            long lo = u32(b, little ? o : o + 4);
            long hi = u32(b, little ? o + 4 : o);
            return hi << 32 | lo;
        }

        private long word(byte[] b, int o) {
            return is64 ? u64(b, o) : u32(b, o);
        }
    }
}
