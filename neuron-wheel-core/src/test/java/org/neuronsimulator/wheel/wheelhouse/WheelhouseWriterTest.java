package org.neuronsimulator.wheel.wheelhouse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.archive.InvalidWheelException;
import org.neuronsimulator.wheel.archive.WheelArchive;
import org.neuronsimulator.wheel.archive.WheelContents;
import org.neuronsimulator.wheel.archive.WheelWriter;
import org.neuronsimulator.wheel.audit.HostLibraryResolver;
import org.neuronsimulator.wheel.model.Version;
import org.neuronsimulator.wheel.repair.RepairOptions;
import org.neuronsimulator.wheel.repair.WheelRepairException;

class WheelhouseWriterTest {

    static Path rawWheel(Path dir, String name, String version, String tag) throws IOException {
        String distInfo = name + "-" + version + ".dist-info";
        WheelContents contents = new WheelContents()
                .put("demo/__init__.py", "VALUE = 42\n".getBytes(StandardCharsets.UTF_8))
                .put(distInfo + "/METADATA", ("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n")
                        .getBytes(StandardCharsets.UTF_8))
                .put(distInfo + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\nTag: "
                        + tag + "\n").getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(dir);
        return new WheelWriter().write(contents, dir.resolve(name + "-" + version + "-" + tag + ".whl"));
    }

    static WheelhouseWriter writer(Path wheelhouse, Optional<String> name, Optional<Version> version) {
        return new WheelhouseWriter(new WheelhouseWriter.Settings(wheelhouse, name, version,
                WheelWriter.Options.defaults().sourceDateEpoch(1_700_000_000L)), Reporter.NONE);
    }

    @Test
    void writesOneFinalWheelPerRawWheelReproducibly(@TempDir Path work) throws Exception {
        Path a = rawWheel(work.resolve("raw/cp311"), "demo", "1.0", "cp311-cp311-linux_x86_64");
        Path b = rawWheel(work.resolve("raw/cp312"), "demo", "1.0", "cp312-cp312-linux_x86_64");
        List<Path> first = writer(work.resolve("house1"), Optional.empty(), Optional.empty()).write(List.of(a, b));
        List<Path> second = writer(work.resolve("house2"), Optional.empty(), Optional.empty()).write(List.of(a, b));
        assertEquals(List.of("demo-1.0-cp311-cp311-linux_x86_64.whl", "demo-1.0-cp312-cp312-linux_x86_64.whl"),
                first.stream().map(p -> p.getFileName().toString()).toList());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(Files.readAllBytes(first.get(i)), Files.readAllBytes(second.get(i)));
        }
    }

    @Test
    void renamesToTheRequestedDistributionAndVersion(@TempDir Path work) throws Exception {
        Path raw = rawWheel(work.resolve("raw"), "neuron", "9.0.0", "cp311-cp311-linux_x86_64");
        List<Path> written = writer(work.resolve("house"), Optional.of("neuron-gpu-nightly"),
                Optional.of(Version.parse("9.0.0.dev20261121"))).write(List.of(raw));
        assertEquals("neuron_gpu_nightly-9.0.0.dev20261121-cp311-cp311-linux_x86_64.whl",
                written.get(0).getFileName().toString());
        try (WheelArchive archive = WheelArchive.open(written.get(0))) {
            assertEquals("neuron-gpu-nightly", archive.metadata().name());
            assertEquals("9.0.0.dev20261121", archive.metadata().version().toString());
            assertTrue(archive.contents().contains("demo/__init__.py"));
        }
    }

    @Test
    void aBadRawWheelLeavesTheWheelhouseEmpty(@TempDir Path work) throws Exception {
        Path good = rawWheel(work.resolve("raw"), "demo", "1.0", "cp311-cp311-linux_x86_64");
        Path bad = work.resolve("raw/demo-1.0-cp312-cp312-linux_x86_64.whl");
        Files.writeString(bad, "this is not a zip archive");
        Path wheelhouse = work.resolve("house");
        InvalidWheelException error = assertThrows(InvalidWheelException.class,
                () -> writer(wheelhouse, Optional.empty(), Optional.empty()).write(List.of(good, bad)));
        assertTrue(error.getMessage().contains(bad.toString()), error.getMessage());
        assertEquals(List.of(), list(wheelhouse));
    }

    @Test
    void twoRawWheelsWithTheSameFinalNameAreRefused(@TempDir Path work) throws Exception {
        Path a = rawWheel(work.resolve("raw/one"), "demo", "1.0", "cp311-cp311-linux_x86_64");
        Path b = rawWheel(work.resolve("raw/two"), "demo", "1.0", "cp311-cp311-linux_x86_64");
        Path wheelhouse = work.resolve("house");
        IOException error = assertThrows(IOException.class,
                () -> writer(wheelhouse, Optional.empty(), Optional.empty()).write(List.of(a, b)));
        assertTrue(error.getMessage().contains("would both become"), error.getMessage());
        assertEquals(List.of(), list(wheelhouse));
    }

    @Test
    void anInvalidDistributionNameIsRefusedBeforeAnyWheelIsRead(@TempDir Path work) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> writer(work.resolve("house"), Optional.of("../evil"), Optional.empty()));
        assertTrue(e.getMessage().startsWith("neuron.distributionName '../evil' is not a valid project name"), e.getMessage());
    }

    @Test
    void leftoversOfAKilledRunAreRemoved(@TempDir Path work) throws Exception {
        Path pure = rawWheel(work.resolve("raw/pure"), "other", "2.0", "py3-none-any");
        WheelhouseWriter.Settings settings = repairing(work);
        Path partial = Files.createDirectories(settings.wheelhouse()).resolve(".other-2.0-py3-none-any.whl.tmp");
        Files.writeString(partial, "half a wheel");
        Path repairFolder = Files.createDirectories(settings.repair().get().stagingDirectory().resolve(".repair-123/lib"));
        Files.writeString(repairFolder.resolve("libx.so"), "half a library");
        new WheelhouseWriter(settings, Reporter.NONE).write(List.of(pure));
        assertTrue(Files.notExists(partial));
        assertTrue(Files.notExists(repairFolder.getParent()));
    }

    @Test
    void withRepairNonLinuxWheelsPassUnchanged(@TempDir Path work) throws Exception {
        Path pure = rawWheel(work.resolve("raw/pure"), "other", "2.0", "py3-none-any");
        List<Path> written = new WheelhouseWriter(repairing(work), Reporter.NONE).write(List.of(pure));
        assertEquals("other-2.0-py3-none-any.whl", written.get(0).getFileName().toString());
    }

    @Test
    void aLinuxWheelWithoutNativeCodeIsRefusedAndNothingIsWritten(@TempDir Path work) throws Exception {
        Path linux = rawWheel(work.resolve("raw/linux"), "demo", "1.0", "cp311-cp311-linux_x86_64");
        Path pure = rawWheel(work.resolve("raw/pure"), "other", "2.0", "py3-none-any");
        WheelRepairException error = assertThrows(WheelRepairException.class,
                () -> new WheelhouseWriter(repairing(work), Reporter.NONE).write(List.of(pure, linux)));
        assertTrue(error.getMessage().contains("demo-1.0-cp311-cp311-linux_x86_64.whl"), error.getMessage());
        assertEquals(List.of(), list(work.resolve("house")));
    }

    private static WheelhouseWriter.Settings repairing(Path work) {
        return new WheelhouseWriter.Settings(work.resolve("house"), Optional.empty(), Optional.empty(),
                WheelWriter.Options.defaults(), Optional.of(new WheelhouseWriter.Repair(
                        HostLibraryResolver.ofSystem(), RepairOptions.defaults(), work.resolve("staging"))));
    }

    static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
