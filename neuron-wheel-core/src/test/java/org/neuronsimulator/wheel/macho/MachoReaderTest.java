package org.neuronsimulator.wheel.macho;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuronsimulator.wheel.elf.StreamByteSource;

/**
 * Every test binary is read and compared, load command by load command, with what
 * {@code llvm-otool-14 -l} prints for it (run here, on each slice of a fat file cut out at the
 * offsets {@code llvm-otool-14 -f} reports). The facts the audit relies on are asserted as well.
 */
class MachoReaderTest {

    @TempDir
    Path dir;

    static List<String> binaries() {
        return MachoTestFiles.ALL;
    }

    @ParameterizedTest
    @MethodSource("binaries")
    void everyBinaryReadsAsLlvmOtoolPrintsIt(String name) throws IOException {
        assumeTrue(MachoTestFiles.llvmToolsAvailable(), "llvm-otool-14 is needed (Debian package llvm-14)");
        Path file = MachoTestFiles.copy(name, dir.resolve(name));
        if (name.endsWith(".a")) {
            MachoFormatException e = assertThrows(MachoFormatException.class, () -> MachoReader.read(file));
            assertTrue(e.getMessage().contains("static archive"), e.getMessage());
            assertTrue(MachoTestFiles.otool("-l", file.toString()).contains("Archive : "), "otool sees an archive too");
            return;
        }
        MachoFile macho = MachoReader.read(file);
        List<Slice> slices;
        if (macho.fat()) {
            slices = fatArchitectures(MachoTestFiles.otool("-f", file.toString()));
            assertEquals(slices.size(), macho.slices().size(), "fat architectures of " + name);
        } else {
            slices = List.of(new Slice(0, Files.size(file)));
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < slices.size(); i++) {
            MachoSlice slice = macho.slices().get(i);
            Slice expected = slices.get(i);
            assertEquals(expected.offset, slice.offset(), name + " slice " + i + " offset");
            assertEquals(expected.size, slice.size(), name + " slice " + i + " size");
            Path thin = dir.resolve(name + "." + slice.architecture());
            Files.write(thin, Arrays.copyOfRange(bytes, (int) expected.offset, (int) (expected.offset + expected.size)));
            compare(name + " (" + slice.architecture() + ")", slice, MachoTestFiles.otool("-l", thin.toString()));
        }
    }

    @Test
    void factsTheAuditRelyOn() throws IOException {
        MachoFile libc = read("libc.dylib");
        assertEquals(List.of("x86_64"), libc.architectures());
        MachoSlice c = libc.slices().get(0);
        assertEquals(MachoSlice.MH_DYLIB, c.fileType());
        assertEquals("libc.dylib", c.installName().orElseThrow());
        assertEquals(List.of("liba.dylib", "libb.dylib", "/usr/lib/libc++.1.dylib", "/usr/lib/libSystem.B.dylib"),
                c.dependencies().stream().map(LoadCommand.Dylib::name).toList());
        assertEquals(MacosVersion.parse("10.9"), c.minimumMacos().orElseThrow());
        assertFalse(libc.isSigned());
        assertTrue(c.headerPadding() > 1000, "room to grow the load commands: " + c.headerPadding());

        assertEquals(MacosVersion.parse("12.0"), read("libc_12.dylib").slices().get(0).minimumMacos().orElseThrow());
        assertEquals(MacosVersion.parse("12.1"), read("liba_12_1.dylib").slices().get(0).minimumMacos().orElseThrow());
        assertEquals(MacosVersion.parse("12.0"), read("libam1_12.dylib").slices().get(0).minimumMacos().orElseThrow());

        MachoFile both = read("liba_both.dylib");
        assertTrue(both.fat());
        assertEquals(List.of("x86_64", "arm64"), both.architectures());
        assertEquals(MacosVersion.parse("10.9"), both.slice("x86_64").orElseThrow().minimumMacos().orElseThrow());
        assertEquals(MacosVersion.parse("11.0"), both.slice("arm64").orElseThrow().minimumMacos().orElseThrow());

        MachoFile oneSlice = read("libam1-arch.dylib");
        assertTrue(oneSlice.fat());
        assertEquals(List.of("arm64"), oneSlice.architectures());
        assertTrue(oneSlice.isSigned());

        MachoFile rpath = read("libextfunc_rpath.dylib");
        for (MachoSlice s : rpath.slices()) {
            assertEquals("@rpath/libextfunc_rpath.dylib", s.installName().orElseThrow());
            assertEquals(List.of("@executable_path/", "@loader_path/"), s.rpaths());
            assertEquals("@rpath/libextfunc2_rpath.dylib", s.dependencies().get(0).name());
        }

        MachoFile old = read("np-1.6.0_intel_lib__compiled_base.so");
        assertEquals(List.of("x86_64", "i386"), old.architectures());
        MachoSlice i386 = old.slice("i386").orElseThrow();
        assertFalse(i386.is64());
        assertEquals(MachoSlice.MH_BUNDLE, i386.fileType());
        assertEquals(MacosVersion.parse("10.6"), i386.minimumMacos().orElseThrow());
        assertTrue(i386.dependencies().stream().anyMatch(d -> d.name().equals("@loader_path/../.dylibs/libgcc_s.1.dylib")));

        MachoFile arm = read("np-1.24.1_arm_random__sfc64.cpython-311-darwin.so");
        assertEquals(MachoSlice.MH_BUNDLE, arm.slices().get(0).fileType());
        assertEquals(MacosVersion.parse("11.0"), arm.slices().get(0).minimumMacos().orElseThrow());
        assertTrue(arm.isSigned());

        assertEquals(MachoSlice.MH_EXECUTE, read("test-lib").slices().get(0).fileType());
        assertEquals(List.of("libc.dylib", "/usr/lib/libc++.1.dylib", "/usr/lib/libSystem.B.dylib"),
                read("test-lib").slices().get(0).dependencies().stream().map(LoadCommand.Dylib::name).toList());
        MachoFile object = read("a.o");
        assertEquals(MachoSlice.MH_OBJECT, object.slices().get(0).fileType());
        assertFalse(object.isLinked());
    }

    @Test
    void aZipEntryIsReadOnlyAsFarAsTheLoadCommands() throws IOException {
        byte[] bytes = MachoTestFiles.bytes("libextfunc_rpath.dylib");
        long[] consumed = new long[1];
        MachoFile viaStream;
        try (StreamByteSource source = new StreamByteSource(() -> new ByteArrayInputStream(bytes), bytes.length)) {
            viaStream = MachoReader.read("libextfunc_rpath.dylib", source);
            consumed[0] = source.bytesConsumed();
        }
        assertEquals(read("libextfunc_rpath.dylib"), withName(viaStream, "libextfunc_rpath.dylib"));
        MachoSlice last = viaStream.slices().get(viaStream.slices().size() - 1);
        long end = last.offset() + last.headerSize() + last.commandsSize();
        assertTrue(consumed[0] < bytes.length, consumed[0] + " of " + bytes.length + " bytes read");
        assertTrue(consumed[0] >= end, "the last slice's commands end at " + end);
    }

    @Test
    void aJavaClassFileIsNoFatBinary() {
        byte[] classFile = {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 61};
        assertFalse(MachoReader.hasMachoMagic(classFile, classFile.length));
        assertTrue(MachoReader.hasMachoMagic(MachoTestFiles.bytes("liba_both.dylib"), 8));
        assertTrue(MachoReader.hasMachoMagic(MachoTestFiles.bytes("libc.dylib"), 8));
        assertFalse(MachoReader.hasMachoMagic(MachoTestFiles.bytes("liba.a"), 8));
    }

    @Test
    void malformedCommandsNameTheFileAndTheCommand() throws IOException {
        byte[] bytes = MachoTestFiles.bytes("libc.dylib");
        // load command 10 is LC_LOAD_DYLIB liba.dylib; point its name past the command
        int at = commandOffset(bytes, 10);
        bytes[at + 8] = (byte) 200;
        Path file = Files.write(dir.resolve("broken.dylib"), bytes);
        MachoFormatException e = assertThrows(MachoFormatException.class, () -> MachoReader.read(file));
        assertEquals(file.toString(), e.file());
        assertTrue(e.reason().contains("load command 10 (LC_LOAD_DYLIB): string offset 200"), e.reason());

        Path truncated = Files.write(dir.resolve("short.dylib"), Arrays.copyOf(MachoTestFiles.bytes("libc.dylib"), 600));
        e = assertThrows(MachoFormatException.class, () -> MachoReader.read(truncated));
        assertTrue(e.reason().contains("do not fit in the 600-byte file"), e.reason());
    }

    private static int commandOffset(byte[] thin, int index) {
        int offset = 32;
        for (int i = 0; i < index; i++) {
            offset += (thin[offset + 4] & 0xFF) | (thin[offset + 5] & 0xFF) << 8;
        }
        return offset;
    }

    private static MachoFile withName(MachoFile file, String name) {
        return new MachoFile(name, file.fat(), file.slices());
    }

    private MachoFile read(String name) throws IOException {
        return withName(MachoReader.read(MachoTestFiles.copy(name, dir.resolve(name))), name);
    }

    private record Slice(long offset, long size) {
    }

    private static List<Slice> fatArchitectures(String otoolF) {
        List<Slice> slices = new ArrayList<>();
        Matcher m = Pattern.compile("architecture \\d+\\n(?:\\s+\\S.*\\n)*?\\s+offset (\\d+)\\n\\s+size (\\d+)").matcher(otoolF);
        while (m.find()) {
            slices.add(new Slice(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        }
        return slices;
    }

    private static final Pattern FIELD = Pattern.compile("^(cmd|cmdsize|name|path|segname|vmaddr|vmsize|fileoff|filesize"
            + "|nsects|version|sdk|minos|platform|ntools|dataoff|datasize|uuid|current version|compatibility version"
            + "|time stamp)(?:\\s+(.*))?$");

    /** Compares the slice with {@code otool -l} output of the same bytes. */
    private static void compare(String what, MachoSlice slice, String otool) {
        String[] lines = otool.split("\n");
        int header = Arrays.asList(lines).indexOf("Mach header");
        assertTrue(header >= 0, what + ": no Mach header in\n" + otool);
        String[] h = lines[header + 2].trim().split("\\s+");
        assertEquals(String.format("0x%08x", slice.is64() ? 0xfeedfacf : 0xfeedface), h[0], what + " magic");
        assertEquals(Integer.toString(slice.cpuType()), h[1], what + " cputype");
        assertEquals(Integer.toString(slice.cpuSubtype() & 0x00FFFFFF), h[2], what + " cpusubtype");
        assertEquals(Integer.toString(slice.fileType()), h[4], what + " filetype");
        assertEquals(Integer.toString(slice.commands().size()), h[5], what + " ncmds");
        assertEquals(Long.toString(slice.commandsSize()), h[6], what + " sizeofcmds");
        assertEquals(String.format("0x%08x", slice.flags()), h[7], what + " flags");

        List<Map<String, String>> commands = new ArrayList<>();
        Map<String, String> current = null;
        boolean inSection = false;
        for (int i = header + 3; i < lines.length; i++) {
            String line = lines[i].trim();
            if (lines[i].startsWith("Load command ")) {
                current = new LinkedHashMap<>();
                commands.add(current);
                inSection = false;
            } else if (lines[i].equals("Section")) {
                inSection = true;
            } else if (current != null && !inSection) {
                Matcher m = FIELD.matcher(line);
                if (m.matches()) {
                    current.putIfAbsent(m.group(1), m.group(2) == null ? "" : m.group(2));
                }
            }
        }
        assertEquals(slice.commands().size(), commands.size(), what + ": load commands");
        for (int i = 0; i < commands.size(); i++) {
            Map<String, String> expected = commands.get(i);
            LoadCommand actual = slice.commands().get(i);
            String label = what + " load command " + i;
            assertEquals(expected.get("cmd"), actual.typeName(), label);
            assertEquals(expected.get("cmdsize"), Long.toString(actual.size()), label + " cmdsize");
            if (actual instanceof LoadCommand.Dylib d) {
                assertEquals(expected.get("name"), d.name() + " (offset 24)", label);
                assertEquals(expected.get("current version"), dylibVersion(d.currentVersion()), label);
                assertEquals(expected.get("compatibility version"), dylibVersion(d.compatibilityVersion()), label);
                assertTrue(expected.get("time stamp").startsWith(d.timestamp() + " "), label);
            } else if (actual instanceof LoadCommand.Rpath r) {
                assertEquals(expected.get("path"), r.path() + " (offset 12)", label);
            } else if (actual instanceof LoadCommand.Dylinker d) {
                assertEquals(expected.get("name"), d.name() + " (offset 12)", label);
            } else if (actual instanceof LoadCommand.VersionMin v) {
                assertEquals(expected.get("version"), v.version().toString(), label);
                assertEquals(expected.get("sdk"), v.sdk().packed() == 0 ? "n/a" : v.sdk().toString(), label);
            } else if (actual instanceof LoadCommand.BuildVersion b) {
                assertEquals(expected.get("platform"), b.platformName(), label);
                assertEquals(expected.get("minos"), b.minimum().toString(), label);
                assertEquals(expected.get("sdk"), b.sdk().packed() == 0 ? "n/a" : b.sdk().toString(), label);
                assertEquals(expected.get("ntools"), Integer.toString(b.tools().size()), label);
            } else if (actual instanceof LoadCommand.CodeSignature c) {
                assertEquals(expected.get("dataoff"), Long.toString(c.dataOffset()), label);
                assertEquals(expected.get("datasize"), Long.toString(c.dataSize()), label);
            } else if (actual instanceof LoadCommand.Segment g) {
                assertEquals(expected.get("segname"), g.segmentName(), label);
                assertEquals(expected.get("vmaddr"), slice.is64() ? String.format("0x%016x", g.vmAddress())
                        : String.format("0x%08x", g.vmAddress()), label);
                assertEquals(expected.get("fileoff"), Long.toString(g.fileOffset()), label);
                assertEquals(expected.get("filesize"), Long.toString(g.fileSize()), label);
                assertEquals(expected.get("nsects"), Integer.toString(g.sectionCount()), label);
            } else if (actual instanceof LoadCommand.Uuid u) {
                assertEquals(expected.get("uuid"), u.uuid(), label);
            }
        }
    }

    private static String dylibVersion(long packed) {
        return (packed >>> 16) + "." + ((packed >>> 8) & 0xFF) + "." + (packed & 0xFF);
    }
}
