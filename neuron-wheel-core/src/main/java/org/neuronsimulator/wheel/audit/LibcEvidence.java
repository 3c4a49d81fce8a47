package org.neuronsimulator.wheel.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.neuronsimulator.wheel.elf.ElfFile;

/**
 * Which C library one ELF object was built for, from what it names: its interpreter
 * ({@code PT_INTERP}), the C library or loader in its {@code DT_NEEDED}, and, for an extension, the
 * platform part of its file name ({@code .cpython-312-x86_64-linux-musl.so}). The file name counts
 * only where it can tell: CPython before 3.11 named musl extensions {@code -linux-gnu} too.
 */
final class LibcEvidence {

    private LibcEvidence() {
    }

    /**
     * The C library of {@code elf}, empty when nothing in it tells.
     *
     * @throws IllegalArgumentException naming the contradiction when its names disagree
     */
    static Optional<Libc> of(String path, ElfFile elf) {
        List<String> glibc = new ArrayList<>();
        List<String> musl = new ArrayList<>();
        String interpreter = elf.interpreter();
        if (interpreter != null && !interpreter.isEmpty()) {
            String base = WheelPaths.baseName(interpreter);
            (base.startsWith("ld-musl-") ? musl : glibc).add("interpreter " + interpreter);
        }
        for (String needed : elf.needed()) {
            if (needed.startsWith("libc.musl-") || needed.startsWith("ld-musl-")) {
                musl.add("DT_NEEDED " + needed);
            } else if (needed.equals("libc.so.6") || needed.startsWith("ld-linux-") || needed.startsWith("ld64.so.")) {
                glibc.add("DT_NEEDED " + needed);
            }
        }
        if (!glibc.isEmpty() && !musl.isEmpty()) {
            throw new IllegalArgumentException(path + " is linked against both glibc (" + String.join(", ", glibc)
                    + ") and musl (" + String.join(", ", musl) + ")");
        }
        Libc linked = !musl.isEmpty() ? Libc.MUSL : !glibc.isEmpty() ? Libc.GLIBC : null;
        Libc named = fromFileName(WheelPaths.baseName(path));
        if (linked != null && named != null && linked != named) {
            throw new IllegalArgumentException(path + ": its file name names " + describe(named) + " but it is linked"
                    + " against " + describe(linked) + " (" + String.join(", ", linked == Libc.MUSL ? musl : glibc) + ")");
        }
        return Optional.ofNullable(linked != null ? linked : named);
    }

    /** The libc an extension's platform suffix names, or null when it names none for sure. */
    static Libc fromFileName(String name) {
        if (name.endsWith("-linux-musl.so") || name.endsWith("-linux-musleabihf.so")) {
            return Libc.MUSL;
        }
        if (name.endsWith("-linux-gnu.so") || name.endsWith("-linux-gnueabihf.so")) {
            // <module>.cpython-311-x86_64-linux-gnu.so: only from 3.11 on does -gnu rule musl out.
            String stem = name.substring(0, name.length() - ".so".length());
            String[] soabi = stem.substring(stem.lastIndexOf('.') + 1).split("-");
            if (soabi.length > 1 && soabi[0].equals("cpython") && soabi[1].length() >= 3
                    && soabi[1].charAt(0) == '3' && Character.isDigit(soabi[1].charAt(1))
                    && Character.isDigit(soabi[1].charAt(2))
                    && Integer.parseInt(soabi[1].substring(1, 3)) >= 11) {
                return Libc.GLIBC;
            }
        }
        return null;
    }

    private static String describe(Libc libc) {
        return libc == Libc.MUSL ? "musl" : "glibc";
    }
}
