package org.neuronsimulator.wheel.macos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.neuronsimulator.wheel.archive.EntrySource;
import org.neuronsimulator.wheel.archive.WheelContents;
import org.neuronsimulator.wheel.archive.WheelWriter;
import org.neuronsimulator.wheel.macho.MachoTestFiles;

/** Writes macOS wheels around the Mach-O test binaries built on macOS. */
public final class MacosTestWheels {

    private MacosTestWheels() {
    }

    /**
     * Writes {@code <name>-1.0-cp311-cp311-<platform>.whl} into {@code directory}: a package
     * {@code <name>/__init__.py} plus the test binaries named by {@code binaries} (wheel path → test
     * binary) and the text files of {@code files}.
     */
    public static Path write(Path directory, String name, String platform, Map<String, String> binaries,
                             Map<String, String> files) throws IOException {
        WheelContents contents = new WheelContents();
        contents.put(name + "/__init__.py", ("# " + name + "\n").getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, String> file : files.entrySet()) {
            contents.put(file.getKey(), file.getValue().getBytes(StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, String> binary : binaries.entrySet()) {
            contents.put(binary.getKey(), EntrySource.of(MachoTestFiles.bytes(binary.getValue())), 0100755);
        }
        String distInfo = name + "-1.0.dist-info";
        contents.put(distInfo + "/METADATA", ("Metadata-Version: 2.1\nName: " + name + "\nVersion: 1.0\n")
                .getBytes(StandardCharsets.UTF_8));
        StringBuilder wheel = new StringBuilder("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\n");
        List<String> tags = new ArrayList<>();
        for (String p : platform.split("\\.")) {
            tags.add("cp311-cp311-" + p);
        }
        tags.forEach(tag -> wheel.append("Tag: ").append(tag).append('\n'));
        contents.put(distInfo + "/WHEEL", wheel.toString().getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(directory);
        return new WheelWriter(WheelWriter.Options.defaults().sourceDateEpoch(1_700_000_000L))
                .write(contents, directory.resolve(name + "-1.0-cp311-cp311-" + platform + ".whl"));
    }

    /** Copies test binaries into a folder that stands for a library folder of the Mac that built the wheel. */
    public static Path libraries(Path directory, String... names) throws IOException {
        Files.createDirectories(directory);
        for (String name : names) {
            MachoTestFiles.copy(name, directory.resolve(name));
        }
        return directory;
    }
}
