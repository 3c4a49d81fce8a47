package org.neuronsimulator.wheel.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.archive.PrefixInflater;
import org.neuronsimulator.wheel.archive.ZipArchive;
import org.neuronsimulator.wheel.archive.ZipEntryInfo;
import org.neuronsimulator.wheel.elf.ElfFile;
import org.neuronsimulator.wheel.elf.ElfReader;
import org.neuronsimulator.wheel.elf.StreamByteSource;

/**
 * The audit's native reads against its streaming reads: every ELF object of the real wheels must
 * read the same through {@link EntryHeadSource} (libdeflate, inflated as far as the reads reach) as
 * through {@link StreamByteSource} (zlib), and the native reads must stop short of whole entries; only
 * objects whose head lies beyond the native cap may be streamed.
 */
class EntryHeadSourceTest {

    @Test
    void nativeAndStreamingReadsGiveTheSameObjects() throws Exception {
        assumeTrue(Files.isDirectory(RealWheelsTest.INDEX), "the local package index is missing");
        assumeTrue(PrefixInflater.create().map(i -> {
            i.close();
            return true;
        }).orElse(false), "no native libdeflate binding here");
        Path folder = RealWheelsTest.download();
        List<Path> wheels;
        try (Stream<Path> files = Files.list(folder)) {
            wheels = files.filter(f -> f.toString().endsWith(".whl")).sorted().toList();
        }
        int objects = 0;
        long inflated = 0;
        long whole = 0;
        int[] streamedObjects = {0};
        try (PrefixInflater inflater = PrefixInflater.create().orElseThrow()) {
            for (Path wheel : wheels) {
                try (ZipArchive zip = ZipArchive.open(wheel)) {
                    for (ZipEntryInfo entry : zip.entries()) {
                        if (!entry.name().contains(".so") || entry.size() < 64) {
                            continue;
                        }
                        ElfFile streamed;
                        try (StreamByteSource source = new StreamByteSource(() -> zip.openEntry(entry), entry.size())) {
                            streamed = ElfReader.read(entry.name(), source);
                        }
                        // Only a head beyond the native cap goes to the stream.
                        try (EntryHeadSource source = new EntryHeadSource(inflater, zip, entry, () -> {
                            if (entry.size() <= PrefixInflater.MAX_PREFIX) {
                                throw new AssertionError(entry.name() + ": fell back to streaming");
                            }
                            streamedObjects[0]++;
                            return new StreamByteSource(() -> zip.openEntry(entry), entry.size());
                        })) {
                            assertEquals(streamed, ElfReader.read(entry.name(), source), wheel.getFileName() + " " + entry.name());
                            inflated += source.bytesConsumed();
                        }
                        whole += entry.size();
                        objects++;
                    }
                }
            }
        }
        assertTrue(objects > 100, "only " + objects + " objects");
        assertTrue(streamedObjects[0] < objects / 10, streamedObjects[0] + " of " + objects + " objects streamed");
        assertTrue(inflated < whole, "inflated " + inflated + " bytes of " + whole);
    }
}
