package org.neuronsimulator.wheel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CoreMetadataTest {

    private static final String V24 = """
            Metadata-Version: 2.4
            Name: NEURON
            Version: 9.0.0
            Summary: Empirically-based simulator for modeling neurons and networks
            Author-email: The NEURON team <neuron@example.org>
            License-Expression: BSD-3-Clause
            License-File: LICENSE
            License-File: licenses/third_party.txt
            Classifier: Programming Language :: Python :: 3
            Classifier: Operating System :: POSIX :: Linux
            Requires-Python: >=3.9
            Requires-Dist: numpy>=1.9.3
            Requires-Dist: mpi4py; extra == "mpi"
            Project-URL: Homepage, https://nrn.readthedocs.io
            Project-URL: Source, https://github.com/neuronsimulator/nrn
            Provides-Extra: mpi
            Dynamic: license-file
            Description-Content-Type: text/markdown

            # NEURON

            A simulator.

            Metadata-Version: this line is body text, not a field
            """;

    private static final String V12 = """
            Metadata-Version: 1.2
            Name: old-project
            Version: 1.0
            Summary: An old project
            Description: First line
                    Second line
                   \s
                    After a blank line
            License: Some license
                    that spans two lines
            Platform: UNKNOWN
            """;

    @Test
    void readsFieldsAndBody() {
        CoreMetadata m = CoreMetadata.parse(V24);
        assertEquals("2.4", m.metadataVersion());
        assertEquals("NEURON", m.name());
        assertEquals(Version.parse("9.0.0"), m.version());
        assertEquals(List.of("LICENSE", "licenses/third_party.txt"), m.get("license-file"));
        assertEquals(List.of("numpy>=1.9.3", "mpi4py; extra == \"mpi\""), m.get("Requires-Dist"));
        assertEquals(List.of("Homepage, https://nrn.readthedocs.io", "Source, https://github.com/neuronsimulator/nrn"),
                m.get("PROJECT-URL"));
        assertEquals(List.of("license-file"), m.get("Dynamic"));
        assertEquals(Optional.of("BSD-3-Clause"), m.first("license-expression"));
        assertEquals(Optional.empty(), m.first("Home-page"));
        assertEquals(List.of(), m.get("Keywords"));
        assertEquals(Optional.of("# NEURON\n\nA simulator.\n\nMetadata-Version: this line is body text, not a field\n"),
                m.description());
    }

    @Test
    void aRepeatedSingleUseFieldIsRefusedWithItsName() {
        String text = "Metadata-Version: 2.1\nName: twice\nVersion: 1.0\nSummary: one\nClassifier: A\nClassifier: B\nsummary: two\n";
        InvalidMetadataException error = assertThrows(InvalidMetadataException.class,
                () -> CoreMetadata.parse(text, "twice-1.0.dist-info/METADATA"));
        assertEquals("twice-1.0.dist-info/METADATA: field summary occurs more than once; it may occur once", error.getMessage());
        CoreMetadata.parse(text.replace("summary: two\n", "X-Custom: a\nX-Custom: b\n"));
    }

    @Test
    void readsFoldedFieldsOfOldVersions() {
        CoreMetadata m = CoreMetadata.parse(V12);
        assertEquals("1.2", m.metadataVersion());
        assertEquals(Optional.of("First line\nSecond line\n\nAfter a blank line"), m.description());
        assertEquals(Optional.of("Some license\nthat spans two lines"), m.first("License"));
        assertEquals(List.of("UNKNOWN"), m.get("Platform"));
    }

    @Test
    void readsTheOldPipeMargin() {
        String text = "Metadata-Version: 1.1\nName: piped\nVersion: 2\nDescription: Title\n       |\n       |  indented\nKeywords: x\n";
        assertEquals(Optional.of("Title\n\n  indented"), CoreMetadata.parse(text).description());
    }

    @Test
    void serialisesWhatItParsedUnchanged() {
        assertEquals(V24, CoreMetadata.parse(V24).serialize());
        assertEquals(V12, CoreMetadata.parse(V12).serialize());
        String crlf = V24.replace("\n", "\r\n");
        assertEquals(crlf, CoreMetadata.parse(crlf).serialize());
        String noFinalNewline = "Metadata-Version: 2.1\nName: a\nVersion: 1";
        assertEquals(noFinalNewline, CoreMetadata.parse(noFinalNewline).serialize());
    }

    @Test
    void replacesFieldsKeepingOrder() {
        CoreMetadata renamed = CoreMetadata.parse(V24).withName("neuron-nightly").withVersion(Version.parse("9.0.1.dev5"));
        String expected = V24.replace("Name: NEURON\n", "Name: neuron-nightly\n").replace("Version: 9.0.0\n", "Version: 9.0.1.dev5\n");
        assertEquals(expected, renamed.serialize());
        assertEquals("neuron-nightly", renamed.name());

        CoreMetadata more = CoreMetadata.parse(V24).with("Classifier", List.of("Programming Language :: Python :: 3", "License :: OSI Approved"));
        assertTrue(more.serialize().contains(
                "Classifier: Programming Language :: Python :: 3\nClassifier: License :: OSI Approved\nRequires-Python"),
                more.serialize());
        CoreMetadata appended = CoreMetadata.parse(V24).with("Keywords", List.of("neuroscience,simulation"));
        assertTrue(appended.serialize().contains("Description-Content-Type: text/markdown\nKeywords: neuroscience,simulation\n\n# NEURON"),
                appended.serialize());
        CoreMetadata removed = CoreMetadata.parse(V24).with("Dynamic", List.of());
        assertEquals(V24.replace("Dynamic: license-file\n", ""), removed.serialize());

        CoreMetadata crlf = CoreMetadata.parse(V24.replace("\n", "\r\n")).with("Keywords", List.of("k"));
        assertTrue(crlf.serialize().contains("Keywords: k\r\n\r\n# NEURON"), "new fields follow the file's line ends");
    }

    @Test
    void writesTheDescriptionWhereTheVersionWantsIt() {
        CoreMetadata modern = CoreMetadata.of("2.1", "pkg", Version.parse("1.0")).withDescription("Line 1\nLine 2\n");
        assertEquals("Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n\nLine 1\nLine 2\n", modern.serialize());
        assertEquals(modern, CoreMetadata.parse(modern.serialize()));

        CoreMetadata old = CoreMetadata.of("1.2", "pkg", Version.parse("1.0")).withDescription("Line 1\n\nLine 3");
        assertEquals("Metadata-Version: 1.2\nName: pkg\nVersion: 1.0\nDescription: Line 1\n        \n        Line 3\n",
                old.serialize());
        assertEquals(Optional.of("Line 1\n\nLine 3"), CoreMetadata.parse(old.serialize()).description());
    }

    @Test
    void rejectsBadDocumentsNamingTheSource() {
        String source = "pkg-1.0.dist-info/METADATA in pkg-1.0-py3-none-any.whl";
        InvalidMetadataException noVersion = assertThrows(InvalidMetadataException.class,
                () -> CoreMetadata.parse("Metadata-Version: 2.1\nName: pkg\n", source));
        assertTrue(noVersion.getMessage().startsWith(source + ": missing required field Version"), noVersion.getMessage());
        assertEquals(source, noVersion.sourceName());

        InvalidMetadataException badLine = assertThrows(InvalidMetadataException.class,
                () -> CoreMetadata.parse("Metadata-Version: 2.1\nName: pkg\nno colon here\n", source));
        assertTrue(badLine.getMessage().contains("line 3"), badLine.getMessage());

        assertThrows(InvalidMetadataException.class, () -> CoreMetadata.parse(" folded\nName: x\n", source));
        assertThrows(InvalidMetadataException.class,
                () -> CoreMetadata.parse("Metadata-Version: 2.1\nName: pkg\nVersion: not.a.version!\n", source));
        assertThrows(InvalidMetadataException.class,
                () -> CoreMetadata.parse("Metadata-Version: 3.0\nName: pkg\nVersion: 1\n", source));
        assertThrows(IllegalArgumentException.class, () -> CoreMetadata.parse(V24).with("Summary", List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> CoreMetadata.parse(V24).with("Summary", List.of("a\nb")));
        assertThrows(IllegalArgumentException.class, () -> CoreMetadata.parse(V24).withName("not valid"));
    }
}
