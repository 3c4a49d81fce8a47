package org.neuronsimulator.wheel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RecordTest {

    private static final String SOURCE = "pkg-1.0.dist-info/RECORD in pkg-1.0-py3-none-any.whl";

    // Digests of "hello\n" and of the empty file, as Python's wheel tool writes them.
    private static final String HELLO_HASH = "sha256=WJG1tSLV3whtD_CxEPvZ0hu0_HFjrzTQgoai6Eb2vgM";
    private static final String EMPTY_HASH = "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU";

    @Test
    void hashesAsTheWheelSpecificationSays() throws IOException {
        assertEquals(HELLO_HASH, Record.sha256Hash("hello\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(EMPTY_HASH, Record.sha256Hash(new byte[0]));
        assertEquals(HELLO_HASH, Record.sha256Hash(new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8))));
        RecordDigest digest = RecordDigest.sha256();
        digest.update("hel".getBytes(StandardCharsets.UTF_8)).update("lo\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(6, digest.size());
        assertEquals(HELLO_HASH, digest.hash());
    }

    @Test
    void readsCsvWithQuotingAndWritesItBack() {
        String text = "pkg/__init__.py," + HELLO_HASH + ",6\n"
                + "\"pkg/a,b.txt\"," + EMPTY_HASH + ",0\n"
                + "\"pkg/say \"\"hi\"\".txt\"," + EMPTY_HASH + ",0\n"
                + "pkg-1.0.dist-info/RECORD,,\n";
        Record record = Record.parse(text, SOURCE);
        assertEquals(4, record.entries().size());
        assertEquals(List.of("pkg/__init__.py", "pkg/a,b.txt", "pkg/say \"hi\".txt", "pkg-1.0.dist-info/RECORD"),
                record.entries().stream().map(RecordEntry::path).toList());
        RecordEntry init = record.find("pkg/__init__.py").orElseThrow();
        assertEquals(Optional.of(HELLO_HASH), init.hash());
        assertEquals(OptionalLong.of(6), init.size());
        assertEquals(Optional.of("sha256"), init.hashAlgorithm());
        RecordEntry own = record.find("pkg-1.0.dist-info/RECORD").orElseThrow();
        assertFalse(own.isHashed());
        assertEquals(OptionalLong.empty(), own.size());
        assertEquals(Optional.empty(), record.find("missing"));
        assertEquals(text, record.serialize());
        assertEquals(record, Record.parse(text.replace("\n", "\r\n"), SOURCE));
    }

    @Test
    void buildsWithItsOwnRow() {
        Record record = Record.withOwnRow(List.of(RecordEntry.of("pkg/__init__.py", "hello\n".getBytes(StandardCharsets.UTF_8))),
                "pkg-1.0.dist-info/RECORD");
        assertEquals("pkg/__init__.py," + HELLO_HASH + ",6\npkg-1.0.dist-info/RECORD,,\n", record.serialize());
        Record changed = record.with(RecordEntry.of("pkg/__init__.py", EMPTY_HASH, 0)).without("pkg-1.0.dist-info/RECORD");
        assertEquals("pkg/__init__.py," + EMPTY_HASH + ",0\n", changed.serialize());
        assertThrows(InvalidMetadataException.class,
                () -> Record.of(List.of(RecordEntry.unhashed("a"), RecordEntry.unhashed("a"))));
    }

    @Test
    void verifiesContentAndSaysWhatDiffers() {
        RecordEntry entry = RecordEntry.of("pkg/__init__.py", HELLO_HASH, 6);
        assertEquals(Optional.empty(), entry.check("hello\n".getBytes(StandardCharsets.UTF_8)));
        Optional<String> changed = entry.check("HELLO\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(changed.orElseThrow().startsWith("pkg/__init__.py: hash in RECORD is " + HELLO_HASH), changed.get());
        assertFalse(changed.get().contains("size"), "same size: " + changed.get());
        Optional<String> both = entry.check(new byte[0]);
        assertTrue(both.orElseThrow().contains("size in RECORD is 6 but the content has 0 bytes"), both.get());
        assertTrue(both.get().contains("but the content has " + EMPTY_HASH), both.get());

        RecordEntry sha512 = RecordEntry.of("x", RecordDigest.forAlgorithm("sha512").update(new byte[] {1, 2}).hash(), 2);
        assertEquals(Optional.empty(), sha512.check(new byte[] {1, 2}));
        assertTrue(sha512.check(new byte[] {1, 3}).isPresent());
    }

    @Test
    void rejectsForbiddenAlgorithmsAndMalformedRows() {
        InvalidMetadataException md5 = assertThrows(InvalidMetadataException.class,
                () -> Record.parse("a.py,md5=1B2M2Y8AsgTpgAmY7PhCfg,0\n", SOURCE));
        assertTrue(md5.getMessage().startsWith(SOURCE + ", line 1: "), md5.getMessage());
        assertTrue(md5.getMessage().contains("md5"), md5.getMessage());
        InvalidMetadataException sha1 = assertThrows(InvalidMetadataException.class,
                () -> Record.parse("a.py,," + "\nb.py,SHA1=2jmj7l5rSw0yVb_vlWAYkK_YBwk,0\n", SOURCE));
        assertTrue(sha1.getMessage().contains("line 2"), sha1.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RecordDigest.forAlgorithm("sha1"));

        assertMalformed("a.py,sha256=x\n", "line 1: expected 3 columns");
        assertMalformed("a.py," + HELLO_HASH + ",six\n", "invalid size 'six'");
        assertMalformed("a.py," + HELLO_HASH + ",6\nb.py,,\na.py,,\n", "line 3: path a.py is already listed on line 1");
        assertMalformed("\"a.py,,\n", "unterminated quoted field");
        assertMalformed("\"a\"b.py,,\n", "text after a closing quote");
        assertMalformed(",,\n", "empty path");
        assertMalformed("a.py,nohash,1\n", "'<algorithm>=<digest>'");
    }

    private static void assertMalformed(String text, String expected) {
        InvalidMetadataException e = assertThrows(InvalidMetadataException.class, () -> Record.parse(text, SOURCE));
        assertTrue(e.getMessage().startsWith(SOURCE), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void skipsBlankLines() {
        Record record = Record.parse("a.py,,\n\nb.py,,\n", SOURCE);
        assertEquals(List.of("a.py", "b.py"), record.entries().stream().map(RecordEntry::path).toList());
    }
}
