package org.neuronsimulator.wheel.elf;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /*
     * Bounds on what a crafted object can make the reader do. Every table is also bounded by the
     * file's size. The largest libraries measured (libLLVM, librustc_driver, libclang-cpp) have about
     * 60,000 dynamic symbols, 3 MB of dynamic strings, 11 DT_NEEDED entries and 10 version requirements.
     */
    /** No table is read into memory whole beyond this; the symbol and string tables are read in pieces. */
    private static final int MAX_TABLE = 16 * 1024 * 1024;
    private static final int MAX_PROGRAM_HEADERS = 4096;
    private static final int MAX_HEADER_ENTRY = 256;
    static final int MAX_NEEDED = 1024;
    static final int MAX_PATH_ENTRIES = 256;
    static final long MAX_SYMBOLS = 1 << 22;
    /** Bits of a symbol's index (below {@link #MAX_SYMBOLS}) beside its 32-bit name offset in one sortable long. */
    private static final int SYMBOL_INDEX_BITS = Long.numberOfTrailingZeros(MAX_SYMBOLS);
    /** A filtered read keeps each distinct symbol once; more than this many kept is not a real object. */
    static final int MAX_KEPT_SYMBOLS = 4096;
    static final int MAX_VERSION_FILES = 4096;
    static final int MAX_VERSION_NAMES = 16384;
    static final int MAX_NAME = 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

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

    /**
     * A thread's read buffers, reused from one object to the next: fresh string-table blocks and table pieces
     * for each object were a quarter of a folder audit's allocation.
     */
    private static final class Buffers {
        private static final ThreadLocal<Buffers> OF_THREAD = ThreadLocal.withInitial(Buffers::new);
        private byte[] scratch;
        private final byte[][] blocks = new byte[Parser.StringTable.SLOTS][];
    }

    private static final class Parser {
        private final String name;
        private final ByteSource source;
        private final SymbolFilter filter;
        private boolean is64;
        private boolean little;
        private final Buffers buffers = Buffers.OF_THREAD.get();

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
            if (phentsize > MAX_HEADER_ENTRY) {
                throw fail("implausible program header entry size (" + phentsize + " bytes)");
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
            DynamicTags tags = readDynamicTags(dyn, entrySize);
            StringTable strings = new StringTable(0, 0);
            if (tags.strtab != -1) {
                if (tags.strsz < 0) {
                    throw fail("implausible DT_STRSZ " + Long.toUnsignedString(tags.strsz));
                }
                long at = toOffset(segments, tags.strtab, "DT_STRTAB");
                checkRange(at, tags.strsz, "the dynamic string table");
                strings = new StringTable(at, tags.strsz);
            } else if (!tags.neededOffsets.isEmpty() || tags.sonameOffset >= 0) {
                throw fail("dynamic entries name strings but there is no DT_STRTAB");
            }
            List<String> needed = new ArrayList<>(tags.neededOffsets.size());
            for (long offset : tags.neededOffsets) {
                needed.add(string(strings, offset, "DT_NEEDED"));
            }
            String soname = tags.sonameOffset >= 0 ? string(strings, tags.sonameOffset, "DT_SONAME") : null;
            List<String> rpath = tags.rpathOffset >= 0 ? splitPath(string(strings, tags.rpathOffset, "DT_RPATH"), "DT_RPATH")
                    : List.of();
            List<String> runpath = tags.runpathOffset >= 0
                    ? splitPath(string(strings, tags.runpathOffset, "DT_RUNPATH"), "DT_RUNPATH") : List.of();

            Map<String, List<String>> versions = tags.verneed != -1 && tags.verneednum != 0
                    ? readVersionNeeds(toOffset(segments, tags.verneed, "DT_VERNEED"), tags.verneednum, strings)
                    : Map.of();

            List<DynamicSymbol> symbols = List.of();
            if (tags.symtab != -1) {
                if (tags.syment < (is64 ? 24 : 16) || tags.syment > 256) {
                    throw fail("implausible DT_SYMENT " + tags.syment);
                }
                long symOffset = toOffset(segments, tags.symtab, "DT_SYMTAB");
                long count = -1;
                if (tags.gnuHash != -1) {
                    count = gnuHashSymbolCount(toOffset(segments, tags.gnuHash, "DT_GNU_HASH"));
                } else if (tags.hash != -1) {
                    count = u32(bytes(toOffset(segments, tags.hash, "DT_HASH"), 8, "DT_HASH"), 4);
                    if (count > MAX_SYMBOLS) {
                        throw fail("implausible number of dynamic symbols in DT_HASH (" + count + ")");
                    }
                } else {
                    count = sectionDynsymCount(shoff, shentsize, shnum, tags.syment);
                }
                symbols = readSymbols(symOffset, count, (int) tags.syment, strings);
            }
            return new ElfFile(name, identity, type, flags, interpreter, List.copyOf(needed), soname, rpath, runpath,
                    versions, symbols, isa, true);
        }

        /** What the dynamic segment's entries give, up to DT_NULL (names as offsets into the string table). */
        private static final class DynamicTags {
            final List<Long> neededOffsets = new ArrayList<>();
            long sonameOffset = -1;
            long rpathOffset = -1;
            long runpathOffset = -1;
            long strtab = -1;
            long strsz = -1;
            long symtab = -1;
            long syment;
            long hash = -1;
            long gnuHash = -1;
            long verneed = -1;
            long verneednum;
        }

        // A method of its own: the JIT compiles this loop in place (on-stack replacement) with everything after it in
        // its method, which in readDynamic cost the C2 compiler 0.7 s of CPU over a folder audit.
        private DynamicTags readDynamicTags(byte[] dyn, int entrySize) throws ElfFormatException {
            DynamicTags tags = new DynamicTags();
            tags.syment = is64 ? 24 : 16;
            for (int o = 0; o + entrySize <= dyn.length; o += entrySize) {
                long tag = is64 ? u64(dyn, o) : u32(dyn, o);
                long value = word(dyn, o + entrySize / 2);
                if (tag == DT_NULL) {
                    break;
                } else if (tag == DT_NEEDED) {
                    if (tags.neededOffsets.size() == MAX_NEEDED) {
                        throw fail("implausible number of DT_NEEDED entries (more than " + MAX_NEEDED + ")");
                    }
                    tags.neededOffsets.add(value);
                } else if (tag == DT_SONAME) {
                    tags.sonameOffset = value;
                } else if (tag == DT_RPATH) {
                    tags.rpathOffset = value;
                } else if (tag == DT_RUNPATH) {
                    tags.runpathOffset = value;
                } else if (tag == DT_STRTAB) {
                    tags.strtab = value;
                } else if (tag == DT_STRSZ) {
                    tags.strsz = value;
                } else if (tag == DT_SYMTAB) {
                    tags.symtab = value;
                } else if (tag == DT_SYMENT) {
                    tags.syment = value;
                } else if (tag == DT_HASH) {
                    tags.hash = value;
                } else if (tag == DT_GNU_HASH) {
                    tags.gnuHash = value;
                } else if (tag == DT_VERNEED) {
                    tags.verneed = value;
                } else if (tag == DT_VERNEEDNUM) {
                    tags.verneednum = value;
                }
            }
            return tags;
        }

        /**
         * The version requirements. Entries and their auxiliary entries are 16 bytes and a link is an
         * unsigned distance forwards, so links shorter than an entry (which would make entries overlap
         * or repeat) are refused, every chain moves forwards and ends within the file, and the counts
         * are capped: a crafted table cannot loop or make thousands of names from a few bytes.
         */
        private Map<String, List<String>> readVersionNeeds(long offset, long count, StringTable strings)
                throws IOException {
            if (Long.compareUnsigned(count, MAX_VERSION_FILES) > 0) {
                throw fail("implausible DT_VERNEEDNUM " + Long.toUnsignedString(count) + " (at most "
                        + MAX_VERSION_FILES + ")");
            }
            Map<String, Set<String>> result = new LinkedHashMap<>();
            long position = offset;
            int names = 0;
            for (long i = 0; i < count; i++) {
                byte[] vn = bytes(position, 16, ".gnu.version_r");
                int auxCount = u16(vn, 2);
                String file = string(strings, u32(vn, 4), ".gnu.version_r (a library name)");
                long aux = u32(vn, 8);
                long next = u32(vn, 12);
                Set<String> list = result.computeIfAbsent(file, k -> new LinkedHashSet<>());
                if (auxCount > 0 && aux < 16) {
                    throw fail(".gnu.version_r entry at offset " + position + " points to its versions at "
                            + aux + " bytes, inside itself");
                }
                long auxPosition = position + aux;
                for (int j = 0; j < auxCount; j++) {
                    if (++names > MAX_VERSION_NAMES) {
                        throw fail(".gnu.version_r requires implausibly many versions (more than "
                                + MAX_VERSION_NAMES + ")");
                    }
                    byte[] vna = bytes(auxPosition, 16, ".gnu.version_r auxiliary entry");
                    String name = string(strings, u32(vna, 8), ".gnu.version_r (a version name)");
                    list.add(name);
                    long auxNext = u32(vna, 12);
                    if (auxNext == 0) {
                        break;
                    }
                    if (auxNext < 16) {
                        throw fail(".gnu.version_r auxiliary entry at offset " + auxPosition + " links to the next "
                                + auxNext + " bytes on, inside itself");
                    }
                    auxPosition += auxNext;
                }
                if (next == 0) {
                    break;
                }
                if (next < 16) {
                    throw fail(".gnu.version_r entry at offset " + position + " links to the next " + next
                            + " bytes on, inside itself");
                }
                position += next;
            }
            Map<String, List<String>> frozen = new LinkedHashMap<>();
            result.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            return Collections.unmodifiableMap(frozen);
        }

        /**
         * The number of dynamic symbols a GNU hash table implies: one past the end of the chain of the
         * highest bucket. Buckets and chain are read in 64 KiB pieces, and the chain may not run past
         * the file or {@link #MAX_SYMBOLS}.
         */
        private long gnuHashSymbolCount(long offset) throws IOException {
            byte[] header = bytes(offset, 16, "DT_GNU_HASH");
            long nbuckets = u32(header, 0);
            long symoffset = u32(header, 4);
            long bloomSize = u32(header, 8);
            int wordSize = is64 ? 8 : 4;
            long bucketsOffset = offset + 16 + bloomSize * wordSize;
            checkRange(bucketsOffset, nbuckets * 4, "the DT_GNU_HASH buckets");
            long maxIndex = 0;
            for (long first = 0; first < nbuckets; first += CHUNK / 4) {
                int n = (int) Math.min(CHUNK / 4, nbuckets - first);
                byte[] buckets = piece(bucketsOffset + first * 4, n * 4, "the DT_GNU_HASH buckets");
                for (int i = 0; i < n; i++) {
                    maxIndex = Math.max(maxIndex, u32(buckets, i * 4));
                }
            }
            if (maxIndex < symoffset) {
                return symoffset;
            }
            long chains = bucketsOffset + nbuckets * 4;
            long index = maxIndex;
            long limit = sourceLimit();
            while (true) {
                long at = chains + (index - symoffset) * 4;
                if (index >= MAX_SYMBOLS) {
                    throw fail("the DT_GNU_HASH chain implies implausibly many dynamic symbols (over " + MAX_SYMBOLS + ")");
                }
                if (at + 4 > limit) {
                    throw fail("DT_GNU_HASH chain runs past the end of the file");
                }
                int n = (int) Math.min(CHUNK / 4, Math.min(MAX_SYMBOLS - index, (limit - at) / 4));
                byte[] words = piece(at, n * 4, "the DT_GNU_HASH chain");
                for (int i = 0; i < n; i++) {
                    if ((u32(words, i * 4) & 1) != 0) {
                        return index + i + 1;
                    }
                }
                index += n;
            }
        }

        private long sectionDynsymCount(long shoff, int shentsize, int shnum, long syment) throws IOException {
            if (shoff == 0 || shnum == 0) {
                throw fail("no hash table and no section headers tell the size of the dynamic symbol table");
            }
            if (shentsize < (is64 ? 64 : 40) || shentsize > MAX_HEADER_ENTRY) {
                throw fail("implausible section header entry size (" + shentsize + " bytes)");
            }
            byte[] table = bytes(shoff, shentsize * shnum, "the section header table");
            for (int i = 0; i < shnum; i++) {
                int o = i * shentsize;
                if (u32(table, o + 4) == SHT_DYNSYM) {
                    long size = is64 ? u64(table, o + 32) : u32(table, o + 20);
                    if (size < 0 || size / syment > MAX_SYMBOLS) {
                        throw fail("implausible size of .dynsym (" + Long.toUnsignedString(size) + " bytes)");
                    }
                    return size / syment;
                }
            }
            return 0;
        }

        /**
         * The symbol table is read in 64 KiB pieces. A filtered read looks at no more of each name than
         * the filter needs and keeps each distinct symbol once, so neither a huge table nor names that
         * share bytes make memory or time grow beyond the table's size.
         */
        private List<DynamicSymbol> readSymbols(long offset, long count, int entrySize, StringTable strings)
                throws IOException {
            if (count <= 1) {
                return List.of();
            }
            if (count > MAX_SYMBOLS) {
                throw fail("implausible number of dynamic symbols (" + count + ")");
            }
            checkRange(offset, count * entrySize, "the dynamic symbol table");
            boolean all = filter.keepsAll();
            // Names are resolved in string-table order, then put back in symbol order: the table is read front to
            // back once, where symbol order jumps across it (82 MB for tensorflow's largest library, which took 2 s
            // of small reads from an entry streamed to disk).
            int symbolCount = (int) (count - 1);
            long[] byName = new long[symbolCount];
            byte[] infos = new byte[symbolCount];
            BitSet defined = new BitSet(symbolCount);
            readSymbolEntries(offset, count, entrySize, strings, byName, infos, defined);
            Arrays.sort(byName);
            DynamicSymbol[] resolved = new DynamicSymbol[symbolCount];
            Set<DynamicSymbol> distinct = all ? null : new HashSet<>();
            resolveNames(strings, byName, infos, defined, resolved, distinct);
            List<DynamicSymbol> symbols = new ArrayList<>(all ? symbolCount : distinct.size());
            for (DynamicSymbol symbol : resolved) { // in symbol order; a filtered read lists each distinct one once
                if (symbol != null && (all || distinct.remove(symbol))) {
                    symbols.add(symbol);
                }
            }
            return Collections.unmodifiableList(symbols);
        }

        // The symbol loops are methods of their own: as one method they cost the JIT compiler about 1.9 s of
        // CPU over a folder of 73 wheels, more than reading the symbols.

        /** Each symbol's name offset (packed with its index, to sort by name), info byte and whether it is defined. */
        private void readSymbolEntries(long offset, long count, int entrySize, StringTable strings, long[] byName,
                                       byte[] infos, BitSet defined) throws IOException {
            int perPiece = Math.max(1, CHUNK / entrySize);
            int infoAt = is64 ? 4 : 12;
            int sectionAt = is64 ? 6 : 14;
            for (long first = 1; first < count; first += perPiece) {
                int n = (int) Math.min(perPiece, count - first);
                byte[] table = piece(offset + first * entrySize, n * entrySize, "the dynamic symbol table");
                for (int i = 0; i < n; i++) {
                    int o = i * entrySize;
                    int k = (int) (first - 1) + i;
                    long nameOffset = u32(table, o);
                    if (nameOffset >= strings.size()) {
                        throw fail("a symbol name points outside the dynamic string table (offset " + nameOffset + ")");
                    }
                    infos[k] = table[o + infoAt];
                    if (u16(table, o + sectionAt) != 0) {
                        defined.set(k);
                    }
                    byName[k] = nameOffset << SYMBOL_INDEX_BITS | k;
                }
            }
        }

        /** The symbols the filter keeps, at their index in {@code resolved}; {@code distinct} is null when it keeps all. */
        private void resolveNames(StringTable strings, long[] byName, byte[] infos, BitSet defined,
                                  DynamicSymbol[] resolved, Set<DynamicSymbol> distinct) throws IOException {
            byte[] name = new byte[filter.longestName() + 1];
            // A defined symbol is judged on its name's first few bytes (the prefixes), an import on up to the longest name.
            int definedLimit = filter.longestDefinedPrefix();
            for (long packed : byName) {
                int k = (int) (packed & ((1L << SYMBOL_INDEX_BITS) - 1));
                long nameOffset = packed >>> SYMBOL_INDEX_BITS;
                if (distinct != null) {
                    boolean isDefined = defined.get(k);
                    int limit = isDefined ? definedLimit : name.length;
                    int length = strings.prefix(nameOffset, name, limit);
                    boolean complete = length >= 0;
                    if (!filter.keep(name, complete ? length : limit, complete, isDefined)) {
                        continue;
                    }
                }
                int info = infos[k] & 0xff;
                resolved[k] = new DynamicSymbol(string(strings, nameOffset, "a symbol name"), defined.get(k), info >>> 4,
                        info & 0xf);
                if (distinct != null && distinct.add(resolved[k]) && distinct.size() > MAX_KEPT_SYMBOLS) {
                    throw fail("implausibly many distinct dynamic symbols of interest (over " + MAX_KEPT_SYMBOLS + ")");
                }
            }
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

        /** Fails unless {@code length} bytes from {@code offset} lie within the file. */
        private void checkRange(long offset, long length, String what) throws ElfFormatException {
            long size = source.size();
            if (offset < 0 || length < 0 || (size >= 0 && (offset > size || length > size - offset))) {
                throw fail(what + " at offset " + Long.toUnsignedString(offset) + " (" + Long.toUnsignedString(length)
                        + " bytes) lies beyond the end of the file (" + size + " bytes)");
            }
        }

        private long sourceLimit() {
            return source.size() >= 0 ? source.size() : Long.MAX_VALUE;
        }

        private byte[] bytes(long offset, int length, String what) throws IOException {
            return read(offset, length, what, null);
        }

        /**
         * As {@link #bytes}, into a buffer that the next call reuses: for the pieces of a table that a loop reads and
         * uses at once. A library's symbol and hash tables are read in 64 KiB pieces, and fresh arrays for them were
         * a tenth of a folder audit's allocation.
         */
        private byte[] piece(long offset, int length, String what) throws IOException {
            if (buffers.scratch == null || buffers.scratch.length < length) {
                buffers.scratch = new byte[Math.max(length, CHUNK)];
            }
            return read(offset, length, what, buffers.scratch);
        }

        private byte[] read(long offset, int length, String what, byte[] into) throws IOException {
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
            byte[] data = into != null ? into : new byte[length];
            try {
                source.read(offset, data, 0, length);
            } catch (EOFException e) {
                throw fail("truncated: " + what + " at offset " + offset + " (" + length + " bytes) is cut off ("
                        + e.getMessage() + ")");
            }
            return data;
        }

        private String string(StringTable strings, long offset, String what) throws IOException {
            if (offset < 0 || offset >= strings.size()) {
                throw fail(what + " points outside the dynamic string table (offset " + offset + ")");
            }
            return strings.string(offset, what);
        }

        private static String cString(byte[] data, int offset) {
            int end = offset;
            while (end < data.length && data[end] != 0) {
                end++;
            }
            return new String(data, offset, end - offset, StandardCharsets.UTF_8);
        }

        private List<String> splitPath(String value, String what) throws ElfFormatException {
            List<String> parts = new ArrayList<>();
            for (String part : value.split(":")) {
                if (!part.isEmpty()) {
                    if (parts.size() == MAX_PATH_ENTRIES) {
                        throw fail("implausible number of " + what + " entries (more than " + MAX_PATH_ENTRIES + ")");
                    }
                    parts.add(part);
                }
            }
            return List.copyOf(parts);
        }

        /**
         * The dynamic string table, read through a few cached 16 KiB blocks rather than whole (it can
         * be as large as the file). The bytes scanned for whole names are budgeted at four times the
         * table's size: names that overlap (offsets one byte apart in one long run) would otherwise
         * cost time and memory quadratic in the table's size. Repeated offsets share one string.
         */
        private final class StringTable {
            private static final int BLOCK_BITS = 14;
            private static final int BLOCK = 1 << BLOCK_BITS;
            private static final int SLOTS = 16;
            private final long base;
            private final long size;
            private final long[] tags = new long[SLOTS];
            private final byte[][] blocks = buffers.blocks;
            private final Map<Long, String> cache = new HashMap<>();
            private long budget;

            StringTable(long base, long size) {
                this.base = base;
                this.size = size;
                this.budget = 4 * size + MAX_NAME;
                Arrays.fill(tags, -1);
            }

            long size() {
                return size;
            }

            // Shifts and masks, not division: C1 compiles a long division by a constant to a runtime call.
            private byte[] block(long index) throws IOException {
                long block = index >>> BLOCK_BITS;
                int slot = (int) block & (SLOTS - 1);
                if (tags[slot] != block) {
                    long start = block << BLOCK_BITS;
                    int length = (int) Math.min(BLOCK, size - start);
                    if (blocks[slot] == null) {
                        blocks[slot] = new byte[BLOCK];
                    }
                    tags[slot] = -1;
                    read(base + start, blocks[slot], length);
                    tags[slot] = block;
                }
                return blocks[slot];
            }

            /** Where byte {@code index} of the table lies in its block. */
            private static int within(long index) {
                return (int) index & (BLOCK - 1);
            }

            private void read(long offset, byte[] target, int length) throws IOException {
                try {
                    source.read(offset, target, 0, length);
                } catch (EOFException e) {
                    throw fail("truncated: the dynamic string table at offset " + offset + " is cut off ("
                            + e.getMessage() + ")");
                }
            }

            /** Copies at most {@code limit} bytes of the name at {@code offset} into {@code target}: its length, or -1 when it is longer. */
            int prefix(long offset, byte[] target, int limit) throws IOException {
                int i = 0;
                while (i < limit) {
                    long index = offset + i;
                    if (index >= size) {
                        return i;
                    }
                    byte[] block = block(index);
                    int from = within(index);
                    int n = (int) Math.min(Math.min(BLOCK - from, limit - i), size - index);
                    for (int j = 0; j < n; j++) {
                        byte b = block[from + j];
                        if (b == 0) {
                            return i + j;
                        }
                        target[i + j] = b;
                    }
                    i += n;
                }
                return -1;
            }

            String string(long offset, String what) throws IOException {
                String known = cache.get(offset);
                if (known != null) {
                    return known;
                }
                long end = offset;
                while (end < size) {
                    byte[] block = block(end);
                    int from = within(end);
                    int n = (int) Math.min(BLOCK - from, size - end);
                    int j = 0;
                    while (j < n && block[from + j] != 0) {
                        j++;
                    }
                    end += j;
                    if (end - offset > MAX_NAME) {
                        throw fail(what + " at offset " + offset + " in the dynamic string table is longer than "
                                + MAX_NAME + " bytes");
                    }
                    if (j < n) {
                        break;
                    }
                }
                budget -= end - offset + 1;
                if (budget < 0) {
                    throw fail("the names read from the dynamic string table overlap implausibly (more than four"
                            + " times the table's " + size + " bytes)");
                }
                String value = decode(offset, (int) (end - offset));
                if (cache.size() < 65536) {
                    cache.put(offset, value);
                }
                return value;
            }

            /** The name of {@code length} bytes at {@code offset}: decoded in its block where it lies in one. */
            private String decode(long offset, int length) throws IOException {
                if (length == 0) {
                    return "";
                }
                if ((offset + length - 1) >>> BLOCK_BITS == offset >>> BLOCK_BITS) {
                    return new String(block(offset), within(offset), length, StandardCharsets.UTF_8);
                }
                byte[] name = new byte[length];
                for (int i = 0; i < length; i++) {
                    long index = offset + i;
                    name[i] = block(index)[within(index)];
                }
                return new String(name, StandardCharsets.UTF_8);
            }
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
