package org.neuronsimulator.wheel.macho;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.neuronsimulator.wheel.elf.ByteSource;

/**
 * Checks the embedded code signature of a Mach-O slice the way the kernel checks an ad hoc one: every
 * code directory's page hashes must match the slice's bytes up to its code limit, and the hashes of
 * the requirements and entitlements blobs must match those blobs. Certificates of a real (not ad hoc)
 * signature are not checked; that needs Apple's trust chain.
 */
public final class CodeSignatureVerifier {

    private static final int SUPER_BLOB = 0xfade0cc0;
    private static final int CODE_DIRECTORY = 0xfade0c02;
    private static final int CMS_SIGNATURE = 0x10000;
    private static final int CS_ADHOC = 0x2;
    private static final int CS_LINKER_SIGNED = 0x20000;
    private static final long MAX_SIGNATURE = 64L << 20;

    /**
     * What the signature of one slice says.
     *
     * @param valid        whether every hash matches
     * @param adhoc        whether it is an ad hoc signature (no certificate)
     * @param linkerSigned whether the linker (or a tool acting like it) made it
     * @param certificate  whether it carries a signature by a certificate (a non-empty CMS blob)
     * @param identifier   the signing identifier
     * @param problem      the first mismatch or inconsistency, empty when valid
     */
    public record Check(boolean valid, boolean adhoc, boolean linkerSigned, boolean certificate, String identifier,
                        String problem) {
    }

    private CodeSignatureVerifier() {
    }

    /**
     * Checks the slice's signature; empty when the slice has none.
     *
     * @param name   the file's name, for error messages
     * @param source the whole file the slice belongs to
     */
    public static Optional<Check> check(String name, ByteSource source, MachoSlice slice) throws IOException {
        Optional<LoadCommand.CodeSignature> command = slice.codeSignature();
        if (command.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Verifier(name, source, slice, command.get()).run());
        } catch (EOFException e) {
            throw new MachoFormatException(name, slice.architecture() + ": truncated code signature: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new MachoFormatException(name, slice.architecture() + ": malformed code signature (" + e + ")");
        }
    }

    private static final class Verifier {
        private final String name;
        private final ByteSource source;
        private final MachoSlice slice;
        private final LoadCommand.CodeSignature command;

        Verifier(String name, ByteSource source, MachoSlice slice, LoadCommand.CodeSignature command) {
            this.name = name;
            this.source = source;
            this.slice = slice;
            this.command = command;
        }

        Check run() throws IOException {
            long size = command.dataSize();
            if (size < 12 || size > MAX_SIGNATURE) {
                throw fail("a signature of " + size + " bytes");
            }
            long start = slice.offset() + command.dataOffset();
            if (source.size() >= 0 && start + size > source.size()) {
                throw fail("the signature (" + size + " bytes at " + start + ") lies beyond the end of the file");
            }
            byte[] head = new byte[12];
            source.read(start, head, 0, head.length);
            if (u32(head, 0) != SUPER_BLOB) {
                throw fail(String.format("the signature does not start with an embedded signature blob (0x%08x)", u32(head, 0)));
            }
            long length = u32(head, 4) & 0xFFFFFFFFL;
            long count = u32(head, 8) & 0xFFFFFFFFL;
            if (length > size || length < 12 || 12 + count * 8 > length) {
                throw fail("the signature's blob index (" + count + " entries, " + length + " bytes) does not fit in its "
                        + size + " bytes");
            }
            byte[] blob = new byte[(int) length];
            source.read(start, blob, 0, blob.length);
            List<int[]> blobs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int type = u32(blob, 12 + 8 * i);
                long offset = u32(blob, 16 + 8 * i) & 0xFFFFFFFFL;
                if (offset + 8 > length) {
                    throw fail("signature blob " + i + " starts beyond the signature");
                }
                long blobLength = u32(blob, (int) offset + 4) & 0xFFFFFFFFL;
                if (blobLength < 8 || offset + blobLength > length) {
                    throw fail("signature blob " + i + " (" + blobLength + " bytes at " + offset + ") does not fit");
                }
                blobs.add(new int[] {type, (int) offset, (int) blobLength});
            }
            String problem = "";
            boolean adhoc = false;
            boolean linker = false;
            String identifier = "";
            int directories = 0;
            for (int[] entry : blobs) {
                if (u32(blob, entry[1]) != CODE_DIRECTORY) {
                    continue;
                }
                directories++;
                byte[] cd = Arrays.copyOfRange(blob, entry[1], entry[1] + entry[2]);
                Directory directory = directory(cd);
                if (directories == 1) {
                    adhoc = (directory.flags & CS_ADHOC) != 0;
                    linker = (directory.flags & CS_LINKER_SIGNED) != 0;
                    identifier = directory.identifier;
                }
                String mismatch = verify(cd, directory, blob, blobs);
                if (problem.isEmpty() && mismatch != null) {
                    problem = mismatch;
                }
            }
            if (directories == 0) {
                throw fail("the signature holds no code directory");
            }
            boolean certificate = blobs.stream().anyMatch(b -> b[0] == CMS_SIGNATURE && b[2] > 8);
            return new Check(problem.isEmpty(), adhoc, linker, certificate, identifier, problem);
        }

        private record Directory(int flags, long hashOffset, String identifier, long specialSlots, long codeSlots,
                                 long codeLimit, int hashSize, int hashType, int pageShift) {
        }

        private Directory directory(byte[] cd) throws MachoFormatException {
            if (cd.length < 44) {
                throw fail("a code directory of " + cd.length + " bytes");
            }
            int version = u32(cd, 8);
            int flags = u32(cd, 12);
            long hashOffset = u32(cd, 16) & 0xFFFFFFFFL;
            long identOffset = u32(cd, 20) & 0xFFFFFFFFL;
            long special = u32(cd, 24) & 0xFFFFFFFFL;
            long slots = u32(cd, 28) & 0xFFFFFFFFL;
            long limit = u32(cd, 32) & 0xFFFFFFFFL;
            int hashSize = cd[36] & 0xFF;
            int hashType = cd[37] & 0xFF;
            int pageShift = cd[39] & 0xFF;
            if (Integer.compareUnsigned(version, 0x20300) >= 0 && cd.length >= 64) {
                long limit64 = ((long) u32(cd, 56) << 32) | (u32(cd, 60) & 0xFFFFFFFFL);
                if (limit64 != 0) {
                    limit = limit64;
                }
            }
            if (hashSize != digestLength(hashType)) {
                throw fail("a code directory with hash type " + hashType + " and hash size " + hashSize);
            }
            if (hashOffset < special * hashSize || hashOffset + slots * hashSize > cd.length) {
                throw fail("code directory hashes (" + special + " special, " + slots + " code) lie outside it");
            }
            if (identOffset >= cd.length) {
                throw fail("the code directory's identifier lies outside it");
            }
            int end = (int) identOffset;
            while (end < cd.length && cd[end] != 0) {
                end++;
            }
            String identifier = new String(cd, (int) identOffset, end - (int) identOffset, StandardCharsets.UTF_8);
            if (pageShift != 0 && (pageShift < 9 || pageShift > 30)) {
                throw fail("a code directory page size of 2^" + pageShift);
            }
            return new Directory(flags, hashOffset, identifier, special, slots, limit, hashSize, hashType, pageShift);
        }

        /** The first mismatch, or null. */
        private String verify(byte[] cd, Directory d, byte[] signature, List<int[]> blobs) throws IOException {
            long sliceSize = slice.size() >= 0 ? slice.size() : source.size() - slice.offset();
            if (d.codeLimit > sliceSize || d.codeLimit > command.dataOffset()) {
                return "the code limit " + d.codeLimit + " reaches past the code (signature at " + command.dataOffset() + ")";
            }
            long page = d.pageShift == 0 ? Math.max(1, d.codeLimit) : 1L << d.pageShift;
            long expectedSlots = (d.codeLimit + page - 1) / page;
            if (expectedSlots != d.codeSlots) {
                return "the code directory has " + d.codeSlots + " page hashes for " + d.codeLimit + " bytes in pages of "
                        + page;
            }
            MessageDigest digest = digest(d.hashType);
            byte[] buffer = new byte[(int) Math.min(page, 1 << 20)];
            for (long i = 0; i < d.codeSlots; i++) {
                long from = i * page;
                long to = Math.min(from + page, d.codeLimit);
                for (long at = from; at < to; ) {
                    int n = (int) Math.min(buffer.length, to - at);
                    source.read(slice.offset() + at, buffer, 0, n);
                    digest.update(buffer, 0, n);
                    at += n;
                }
                byte[] actual = Arrays.copyOf(digest.digest(), d.hashSize);
                int at = (int) (d.hashOffset + i * d.hashSize);
                if (!Arrays.equals(actual, 0, d.hashSize, cd, at, at + d.hashSize)) {
                    return "page " + i + " (bytes " + from + ".." + to + ") does not match its hash";
                }
            }
            for (long slot = 1; slot <= d.specialSlots; slot++) {
                int at = (int) (d.hashOffset - slot * d.hashSize);
                byte[] expected = Arrays.copyOfRange(cd, at, at + d.hashSize);
                int[] special = null;
                for (int[] entry : blobs) {
                    if (entry[0] == slot) {
                        special = entry;
                    }
                }
                if (special == null) {
                    // Info.plist and resources live outside the binary; other empty slots hash to zeros.
                    continue;
                }
                digest.update(signature, special[1], special[2]);
                byte[] actual = Arrays.copyOf(digest.digest(), d.hashSize);
                if (!Arrays.equals(actual, expected)) {
                    return "special slot " + slot + " does not match its blob";
                }
            }
            return null;
        }

        private MachoFormatException fail(String reason) {
            return new MachoFormatException(name, slice.architecture() + ": " + reason);
        }
    }

    private static int digestLength(int hashType) {
        return switch (hashType) {
            case 1, 3 -> 20;
            case 2 -> 32;
            case 4 -> 48;
            default -> -1;
        };
    }

    private static MessageDigest digest(int hashType) {
        try {
            return MessageDigest.getInstance(switch (hashType) {
                case 1 -> "SHA-1";
                case 4 -> "SHA-384";
                default -> "SHA-256";
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int u32(byte[] b, int o) {
        return MachoReader.u32be(b, o);
    }
}
