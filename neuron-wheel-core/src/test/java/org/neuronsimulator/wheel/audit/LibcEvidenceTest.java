package org.neuronsimulator.wheel.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.elf.ElfFile;
import org.neuronsimulator.wheel.elf.ElfIdentity;

class LibcEvidenceTest {

    private static ElfFile elf(String name, String interpreter, String... needed) {
        return new ElfFile(name, new ElfIdentity(64, true, ElfIdentity.EM_X86_64), 3, 0, interpreter, List.of(needed),
                null, List.of(), List.of(), Map.of(), List.of(), 0, true);
    }

    private static Optional<Libc> of(String path, String interpreter, String... needed) {
        return LibcEvidence.of(path, elf(path, interpreter, needed));
    }

    @Test
    void linkageNamesTheLibc() {
        assertEquals(Optional.of(Libc.GLIBC), of("a/x.so", null, "libm.so.6", "libc.so.6"));
        assertEquals(Optional.of(Libc.MUSL), of("a/x.so", null, "libc.musl-x86_64.so.1"));
        assertEquals(Optional.of(Libc.MUSL), of("a/prog", "/lib/ld-musl-x86_64.so.1"));
        assertEquals(Optional.of(Libc.GLIBC), of("a/prog", "/lib64/ld-linux-x86-64.so.2"));
        assertEquals(Optional.of(Libc.GLIBC), of("a/x.so", null, "ld64.so.2"));
        assertEquals(Optional.empty(), of("a/libhelper.so", null, "libfoo.so.1"));
    }

    @Test
    void anExtensionSuffixTellsWhenNothingElseDoes() {
        assertEquals(Optional.of(Libc.MUSL), of("a/x.cpython-312-x86_64-linux-musl.so", null));
        assertEquals(Optional.of(Libc.MUSL), of("a/x.cpython-312-arm-linux-musleabihf.so", null));
        assertEquals(Optional.of(Libc.GLIBC), of("a/x.cpython-311-x86_64-linux-gnu.so", null));
        assertEquals(Optional.of(Libc.GLIBC), of("a/x.cpython-313t-aarch64-linux-gnu.so", null));
        // CPython 3.10 and older called musl builds -linux-gnu as well.
        assertEquals(Optional.empty(), of("a/x.cpython-310-x86_64-linux-gnu.so", null));
        assertEquals(Optional.empty(), of("a/x.abi3.so", null));
        // musl's linkage wins over an old -gnu suffix.
        assertEquals(Optional.of(Libc.MUSL), of("a/x.cpython-39-x86_64-linux-gnu.so", null, "libc.musl-x86_64.so.1"));
    }

    @Test
    void contradictionsNameTheFile() {
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> of("pkg/x.so", null, "libc.so.6", "libc.musl-x86_64.so.1"));
        assertEquals("pkg/x.so is linked against both glibc (DT_NEEDED libc.so.6) and musl"
                + " (DT_NEEDED libc.musl-x86_64.so.1)", both.getMessage());
        IllegalArgumentException suffix = assertThrows(IllegalArgumentException.class,
                () -> of("pkg/x.cpython-312-x86_64-linux-gnu.so", null, "libc.musl-x86_64.so.1"));
        assertTrue(suffix.getMessage().startsWith("pkg/x.cpython-312-x86_64-linux-gnu.so: its file name names glibc"
                + " but it is linked against musl"), suffix.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> of("pkg/prog", "/lib/ld-musl-x86_64.so.1", "libc.so.6"));
    }
}
