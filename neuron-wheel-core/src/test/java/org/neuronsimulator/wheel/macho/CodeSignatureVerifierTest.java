package org.neuronsimulator.wheel.macho;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.elf.FileByteSource;
import org.neuronsimulator.wheel.process.ProcessRunner;

class CodeSignatureVerifierTest {

    @TempDir
    Path dir;

    @Test
    void theSignaturesMacosMadeVerify() throws IOException {
        Map<String, CodeSignatureVerifier.Check> checks = new LinkedHashMap<>();
        for (String name : MachoTestFiles.ALL) {
            if (name.endsWith(".a")) {
                continue;
            }
            checks.putAll(checks(MachoTestFiles.copy(name, dir.resolve(name))));
        }
        for (Map.Entry<String, CodeSignatureVerifier.Check> check : checks.entrySet()) {
            assertTrue(check.getValue().valid(), check.getKey() + ": " + check.getValue());
        }
        // ld64 signs arm64 output ad hoc ("linker-signed"); codesign -s - made the libextfunc ones
        assertTrue(checks.get("libam1.dylib arm64").adhoc());
        assertTrue(checks.get("libam1.dylib arm64").linkerSigned());
        assertTrue(checks.get("libextfunc2_rpath.dylib x86_64").adhoc());
        assertFalse(checks.get("libextfunc2_rpath.dylib x86_64").linkerSigned());
        assertTrue(checks.containsKey("libam1-arch.dylib arm64"));
        assertTrue(checks.values().stream().noneMatch(CodeSignatureVerifier.Check::certificate), "none signed by a certificate");
        assertFalse(checks.containsKey("libc.dylib x86_64"), "libc.dylib is not signed");
        assertEquals(10, checks.size(), checks.keySet().toString());
    }

    @Test
    void aChangedByteBreaksItsPage() throws IOException {
        byte[] bytes = MachoTestFiles.bytes("libam1.dylib");
        bytes[20000] ^= 1;
        Path file = Files.write(dir.resolve("libam1.dylib"), bytes);
        CodeSignatureVerifier.Check check = checks(file).get("libam1.dylib arm64");
        assertFalse(check.valid());
        assertEquals("page 4 (bytes 16384..20480) does not match its hash", check.problem());
    }

    /** What the repair relies on: LLVM's install-name tool signs its output ad hoc again. */
    @Test
    void llvmInstallNameToolSignsItsOutputAgain() throws IOException {
        assumeTrue(MachoTestFiles.llvmToolsAvailable(), "llvm-install-name-tool-14 is needed (Debian package llvm-14)");
        Path file = MachoTestFiles.copy("libextfunc_rpath.dylib", dir.resolve("libextfunc_rpath.dylib"));
        assertTrue(ProcessRunner.of(MachoTestFiles.INSTALL_NAME_TOOL, "-change", "@rpath/libextfunc2_rpath.dylib",
                "@loader_path/.dylibs/libextfunc2_rpath.dylib", "-delete_rpath", "@executable_path/", file.toString())
                .timeout(Duration.ofMinutes(1)).run().succeeded());
        Map<String, CodeSignatureVerifier.Check> checks = checks(file);
        assertEquals(2, checks.size());
        for (CodeSignatureVerifier.Check check : checks.values()) {
            assertTrue(check.valid(), check.toString());
            assertTrue(check.adhoc());
            assertEquals("libextfunc_rpath.dylib", check.identifier());
        }
        MachoFile rewritten = MachoReader.read(file);
        for (MachoSlice slice : rewritten.slices()) {
            assertEquals("@loader_path/.dylibs/libextfunc2_rpath.dylib", slice.dependencies().get(0).name());
            assertEquals(java.util.List.of("@loader_path/"), slice.rpaths());
        }
    }

    private static Map<String, CodeSignatureVerifier.Check> checks(Path file) throws IOException {
        Map<String, CodeSignatureVerifier.Check> checks = new LinkedHashMap<>();
        MachoFile macho = MachoReader.read(file);
        try (FileByteSource source = new FileByteSource(file)) {
            for (MachoSlice slice : macho.slices()) {
                Optional<CodeSignatureVerifier.Check> check = CodeSignatureVerifier.check(file.toString(), source, slice);
                check.ifPresent(c -> checks.put(file.getFileName() + " " + slice.architecture(), c));
            }
        }
        return checks;
    }
}
