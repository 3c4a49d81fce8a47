package org.neuronsimulator.wheel.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.process.ProcessResult;

class ElfReaderTest {

    @TempDir
    static Path dir;
    static Path dependency;
    static Path extension;
    static Path extensionRpath;
    static Path program;

    static final String DEP = "int dep_value(int x) { return x * 3; }\n";
    static final String EXT = """
            #include <stdlib.h>
            int dep_value(int);
            void *grow(void *p, size_t n) { return reallocarray(p, n, 16); }
            int helper(void) { return dep_value(2); }
            void *PyInit_demo(void) { return grow(NULL, 4); }
            """;

    @BeforeAll
    static void build() throws IOException {
        assumeTrue(NativeBuild.gccAvailable(), "gcc is needed to build test objects");
        Path lib = Files.createDirectories(dir.resolve("lib"));
        dependency = NativeBuild.compile(dir, "dep", DEP, lib.resolve("libdep.so"),
                "-shared", "-fPIC", "-Wl,-soname,libdep.so.1");
        extension = NativeBuild.compile(dir, "ext", EXT, dir.resolve("demo.so"), "-shared", "-fPIC",
                "-L" + lib, "-ldep", "-Wl,-rpath,$ORIGIN/lib", "-Wl,--enable-new-dtags");
        extensionRpath = NativeBuild.compile(dir, "ext2", EXT, dir.resolve("demo2.so"), "-shared", "-fPIC",
                "-L" + lib, "-ldep", "-Wl,-rpath,$ORIGIN/../lib:/opt/x", "-Wl,--disable-new-dtags");
        program = NativeBuild.compile(dir, "main", "int main(void) { return 0; }\n", dir.resolve("main"));
    }

    @Test
    void readsDynamicInformationOfASharedLibrary() throws IOException {
        ElfFile elf = ElfReader.read(extension);
        assertEquals(3, elf.type());
        assertTrue(elf.dynamic());
        assertNull(elf.interpreter());
        assertTrue(elf.needed().contains("libdep.so.1"), elf.needed().toString());
        assertTrue(elf.needed().contains("libc.so.6"), elf.needed().toString());
        assertEquals(List.of("$ORIGIN/lib"), elf.runpath());
        assertEquals(List.of(), elf.rpath());
        assertTrue(elf.versionRequirements().get("libc.so.6").contains("GLIBC_2.26"),
                "reallocarray pulls in GLIBC_2.26: " + elf.versionRequirements());
        assertEquals("demo", elf.pythonModule());
        DynamicSymbol imported = find(elf, "dep_value");
        assertFalse(imported.defined());
        assertEquals(DynamicSymbol.STB_GLOBAL, imported.binding());
        assertTrue(find(elf, "helper").defined());
        if ("amd64".equals(System.getProperty("os.arch"))) {
            assertEquals(new ElfIdentity(64, true, ElfIdentity.EM_X86_64), elf.identity());
            assertEquals("x86_64", elf.identity().architecture());
        }
        assertEquals(readelfNeeded(extension), elf.needed());
        assertEquals(readelfVersions(extension), elf.versionRequirements());
    }

    @Test
    void readsSonameAndRpath() throws IOException {
        assertEquals("libdep.so.1", ElfReader.read(dependency).soname());
        ElfFile elf = ElfReader.read(extensionRpath);
        assertEquals(List.of("$ORIGIN/../lib", "/opt/x"), elf.rpath());
        assertTrue(elf.runpath().isEmpty());
        assertFalse(elf.usesRunpath());
    }

    @Test
    void readsTheInterpreterOfAnExecutable() throws IOException {
        ElfFile elf = ElfReader.read(program);
        assertNotNull(elf.interpreter());
        assertTrue(elf.interpreter().contains("ld-"), elf.interpreter());
        assertNull(elf.pythonModule());
    }

    @Test
    void readsOnlyThePrefixOfAStream() throws IOException {
        // Initialised data lies after the dynamic segment, so a reader that stops there never inflates it.
        String big = "char padding[8 << 20] = {1};\n" + EXT;
        Path padded = NativeBuild.compile(dir, "big", big, dir.resolve("big.so"), "-shared", "-fPIC",
                "-L" + dir.resolve("lib"), "-ldep");
        byte[] bytes = Files.readAllBytes(padded);
        try (StreamByteSource source = new StreamByteSource(() -> new ByteArrayInputStream(bytes), bytes.length)) {
            ElfFile elf = ElfReader.read("big.so", source);
            assertEquals("demo", elf.pythonModule());
            assertTrue(source.bytesConsumed() < bytes.length / 8,
                    "read " + source.bytesConsumed() + " of " + bytes.length + " bytes");
        }
    }

    @Test
    void streamReadsFurtherRegionsByReopening() throws IOException {
        byte[] bytes = new byte[StreamByteSource.MAX_PREFIX + 100_000];
        new Random(7).nextBytes(bytes);
        int[] opens = {0};
        try (StreamByteSource source = new StreamByteSource(() -> {
            opens[0]++;
            return new ByteArrayInputStream(bytes);
        }, bytes.length)) {
            byte[] far = new byte[16];
            source.read(bytes.length - 16, far, 0, 16);
            assertArrayEquals(Arrays.copyOfRange(bytes, bytes.length - 16, bytes.length), far);
            byte[] near = new byte[16];
            source.read(StreamByteSource.MAX_PREFIX + 10, near, 0, 16);
            assertArrayEquals(Arrays.copyOfRange(bytes, StreamByteSource.MAX_PREFIX + 10,
                    StreamByteSource.MAX_PREFIX + 26), near);
            assertEquals(2, opens[0]);
        }
    }

    private static void assertArrayEquals(byte[] expected, byte[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
    }

    @Test
    void reads32BitObjectsWhenTheCompilerCanMakeThem() throws IOException {
        Path out = dir.resolve("dep32.so");
        ProcessResult result = NativeBuild.tryCompile(dir, "dep32", DEP, out, "-m32", "-shared", "-fPIC",
                "-Wl,-soname,libdep32.so");
        if (!result.succeeded()) {
            // No 32-bit C library to link against: an object file still has a 32-bit ELF header.
            Path object = dir.resolve("dep32.o");
            assumeTrue(NativeBuild.tryCompile(dir, "dep32o", DEP, object, "-m32", "-c").succeeded(),
                    "gcc cannot make 32-bit objects here");
            ElfFile elf = ElfReader.read(object);
            assertEquals(32, elf.identity().bits());
            assertEquals("i686", elf.identity().architecture());
            assertFalse(elf.dynamic());
            return;
        }
        ElfFile elf = ElfReader.read(out);
        assertEquals(32, elf.identity().bits());
        assertEquals("libdep32.so", elf.soname());
        assertTrue(find(elf, "dep_value").defined());
    }

    @Test
    void readsTheX86IsaLevelNote() throws IOException {
        assumeTrue("amd64".equals(System.getProperty("os.arch")));
        Path out = dir.resolve("v3.so");
        ProcessResult result = NativeBuild.tryCompile(dir, "v3", "int f(int x) { return x + 1; }\n", out,
                "-shared", "-fPIC", "-march=x86-64-v3", "-Wl,-z,x86-64-v3");
        assumeTrue(result.succeeded(), "the assembler cannot write ISA notes");
        String notes = NativeBuild.run("readelf", "-n", out.toString());
        assumeTrue(notes.contains("x86 ISA needed"), "no ISA note was written");
        ElfFile elf = ElfReader.read(out);
        assertEquals(notes.contains("x86-64-v3") ? 3 : 1, elf.x86IsaLevel(), notes);
        assertEquals(1, ElfReader.read(dependency).x86IsaLevel());
    }

    @Test
    void truncatedDataIsAFormatError() throws IOException {
        byte[] bytes = Files.readAllBytes(extension);
        for (int length : new int[] {3, 20, 63, 200, 1000, bytes.length / 2}) {
            byte[] cut = Arrays.copyOf(bytes, length);
            ElfFormatException e = assertThrows(ElfFormatException.class,
                    () -> ElfReader.read("cut.so", new StreamByteSource(() -> new ByteArrayInputStream(cut), -1)));
            assertEquals("cut.so", e.file());
            ElfFormatException sized = assertThrows(ElfFormatException.class,
                    () -> ElfReader.read("cut.so", new StreamByteSource(() -> new ByteArrayInputStream(cut), cut.length)));
            assertTrue(sized.getMessage().startsWith("cut.so: "), sized.getMessage());
        }
    }

    @Test
    void randomBytesAreNotElf() throws IOException {
        byte[] bytes = new byte[4096];
        new Random(1).nextBytes(bytes);
        Path file = dir.resolve("random.so");
        Files.write(file, bytes);
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfReader.read(file));
        assertTrue(e.getMessage().contains("not an ELF file"), e.getMessage());
    }

    @Test
    void sectionTableBeyondTheFileIsReported() throws IOException {
        byte[] bytes = Files.readAllBytes(extension);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(40, bytes.length + 4096L);
        Path file = dir.resolve("shoff.so");
        Files.write(file, bytes);
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfReader.read(file));
        assertTrue(e.getMessage().contains("section header table") && e.getMessage().contains("beyond the end"),
                e.getMessage());
    }

    @Test
    void randomMutationsNeverEscapeAsOtherExceptions() throws IOException {
        byte[] original = Files.readAllBytes(extension);
        Random random = new Random(20261121);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int errors = 0;
            for (int round = 0; round < 400; round++) {
                byte[] bytes = original.clone();
                int changes = 1 + random.nextInt(8);
                for (int i = 0; i < changes; i++) {
                    // Most damage where the headers and dynamic tables live.
                    int at = random.nextInt(random.nextBoolean() ? Math.min(bytes.length, 4096) : bytes.length);
                    bytes[at] = (byte) random.nextInt(256);
                }
                if (random.nextInt(10) == 0) {
                    bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
                }
                byte[] data = bytes;
                try {
                    ElfReader.read("mutant.so", new StreamByteSource(() -> new ByteArrayInputStream(data), data.length));
                } catch (ElfFormatException e) {
                    errors++;
                    assertTrue(e.getMessage().startsWith("mutant.so: "), e.getMessage());
                }
            }
            assertTrue(errors > 0, "some mutations must be detected");
        });
    }

    private static DynamicSymbol find(ElfFile elf, String name) {
        return elf.symbols().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no symbol " + name));
    }

    private static List<String> readelfNeeded(Path file) throws IOException {
        List<String> needed = new ArrayList<>();
        Matcher m = Pattern.compile("\\(NEEDED\\)\\s+Shared library: \\[(.*)]").matcher(NativeBuild.run("readelf", "-dW", file.toString()));
        while (m.find()) {
            needed.add(m.group(1));
        }
        return needed;
    }

    private static java.util.Map<String, List<String>> readelfVersions(Path file) throws IOException {
        java.util.Map<String, List<String>> versions = new java.util.LinkedHashMap<>();
        String current = null;
        for (String line : NativeBuild.run("readelf", "-VW", file.toString()).split("\n")) {
            Matcher file1 = Pattern.compile("File: (\\S+)\\s+Cnt:").matcher(line);
            Matcher name = Pattern.compile("Name: (\\S+)\\s+Flags:").matcher(line);
            if (file1.find()) {
                current = file1.group(1);
                versions.put(current, new ArrayList<>());
            } else if (name.find() && current != null) {
                versions.get(current).add(name.group(1));
            }
        }
        return versions;
    }
}
