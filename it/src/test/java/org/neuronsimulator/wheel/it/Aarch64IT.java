package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.elf.ElfFile;
import org.neuronsimulator.wheel.elf.ElfIdentity;
import org.neuronsimulator.wheel.elf.ElfReader;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * aarch64 wheels for real, under QEMU user emulation: {@code mvn verify -Paarch64} of the imgonly-ext
 * sample builds its C extension in the linux/arm64 test image that .ci/setup.d/60-arm64.sh builds,
 * repairs it with the library grafted from that image, and tests the wheel in a container of the same
 * image. Skipped only where this machine cannot run arm64 containers (no engine, QEMU not registered).
 */
class Aarch64IT {

    static final String IMAGE = "neuron-wheel-test/bookworm-aarch64:1";
    private static final Path QEMU_AARCH64 = Path.of("/proc/sys/fs/binfmt_misc/qemu-aarch64");

    @BeforeAll
    static void emulationWorks() throws IOException {
        TestImage.requireEngine();
        if (!Files.isRegularFile(QEMU_AARCH64) || !Files.readString(QEMU_AARCH64).contains("enabled")) {
            Assumptions.abort("skipped: qemu-aarch64 is not registered with the kernel (.ci/setup.d/60-arm64.sh"
                    + " registers it where the machine allows)");
        }
        assertTrue(ProcessRunner.of("docker", "image", "inspect", IMAGE).run().succeeded(),
                "arm64 test image " + IMAGE + " missing: run .ci/setup.d/60-arm64.sh");
    }

    @Test
    void verifyBuildsRepairsAndTestsAnAarch64WheelInTheEmulatedImage() throws IOException {
        assertFalse(Files.exists(Path.of("/opt/imgonly/lib/libimgonly.so.1")), "the host must not have libimgonly");
        MavenInvocation build = MavenInvocation.ofSample("imgonly-ext", "imgonly-ext-aarch64")
                .args("verify", "-Paarch64")
                .timeout(Duration.ofMinutes(40));
        MavenInvocation.Result result = build.run();
        assertTrue(result.succeeded(), result::describe);
        assertTrue(result.log().contains("image " + IMAGE + " is linux/arm64 and the engine linux/amd64: its programs run"
                + " under emulation"), result::describe);
        assertTrue(result.log().contains("libraries resolve as in the build image"), result::describe);

        List<Path> wheels = HelloExtHostBuildIT.listWheels(build.projectDirectory().resolve("target/wheelhouse"));
        assertEquals(1, wheels.size(), () -> "wheelhouse: " + wheels);
        Path wheel = wheels.get(0);
        Matcher name = Pattern.compile("imgonly_ext-1\\.0\\.0-cp311-cp311-(manylinux2014_aarch64\\.)?(manylinux_2_(\\d+)_aarch64)(\\.[a-z0-9_.]+)?\\.whl")
                .matcher(wheel.getFileName().toString());
        assertTrue(name.matches(), wheel::toString);
        referenceTag(wheel).ifPresent(tag -> assertEquals(tag, name.group(2), "the reference auditwheel's tag"));

        // both the extension and the grafted library are aarch64 code, read from their ELF headers
        Path unpacked = Files.createDirectories(build.projectDirectory().resolve("target/unpacked"));
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            ZipEntry extension = zip.stream().filter(e -> e.getName().matches("imgonly_ext\\.cpython-311-aarch64-linux-gnu\\.so"))
                    .findFirst().orElseThrow(() -> new AssertionError("no extension in " + wheel));
            ZipEntry grafted = zip.stream().filter(e -> e.getName().matches("imgonly_ext\\.libs/libimgonly-[0-9a-f]{8}\\.so\\.1"))
                    .findFirst().orElseThrow(() -> new AssertionError("no grafted libimgonly in " + wheel));
            ElfFile extensionElf = readElf(zip, extension, unpacked);
            ElfFile graftedElf = readElf(zip, grafted, unpacked);
            for (ElfFile elf : List.of(extensionElf, graftedElf)) {
                assertEquals(ElfIdentity.EM_AARCH64, elf.identity().machine(), elf::toString);
                assertEquals("aarch64", elf.identity().architecture(), elf::toString);
            }
            String graftedName = grafted.getName().substring(grafted.getName().indexOf('/') + 1);
            assertTrue(extensionElf.needed().contains(graftedName), () -> "DT_NEEDED: " + extensionElf.needed());
        }

        // the test goal installed and imported it in an arm64 container, loading the grafted copy
        Path reports = build.projectDirectory().resolve("target/wheel-test-reports");
        String prefix = "TEST-" + wheel.getFileName().toString().replaceAll("[^A-Za-z0-9_+=-]+", "_") + ".cp311.";
        String install = Files.readString(reports.resolve(prefix + "install.xml"));
        String serial = Files.readString(reports.resolve(prefix + "serial.xml"));
        assertTrue(install.contains("failures=\"0\"") && install.contains("tests=\"2\""), install);
        assertTrue(serial.contains("failures=\"0\"") && serial.contains("tests=\"1\""), serial);
        assertTrue(serial.contains("aarch64 42"), serial);
        assertEquals("", leftoverContainers(), "containers left behind");
    }

    @Test
    void anImageOfAnotherArchitectureFailsBeforeAnyContainerIsMade() throws IOException {
        MavenInvocation build = MavenInvocation.ofSample("imgonly-ext", "imgonly-ext-wrong-platform")
                .args("package")
                .property("neuron.image", TestImage.NAME)
                .property("neuron.docker.platform", "linux/arm64");
        MavenInvocation.Result result = build.run();
        assertFalse(result.succeeded(), result::describe);
        assertTrue(result.log().contains("image " + TestImage.NAME + " is linux/amd64, but neuron.docker.platform=linux/arm64"
                + " asks for linux/arm64"), result::describe);
        assertFalse(result.log().contains("exec format error"), result::describe);
        assertFalse(result.log().contains("ready in"), "a container was made: " + result.log());
        assertEquals("", leftoverContainers(), "containers left behind");
    }

    private static ElfFile readElf(ZipFile zip, ZipEntry entry, Path folder) throws IOException {
        Path file = folder.resolve(entry.getName().replace('/', '_'));
        try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return ElfReader.read(file);
    }

    /** The tag the reference auditwheel ({@code ../shared/tools/auditwheel/auditwheel show}) gives, where it is present. */
    static java.util.Optional<String> referenceTag(Path wheel) throws IOException {
        Path tool = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && tool == null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/tools/auditwheel/auditwheel").normalize();
            if (Files.exists(dir.resolve("pom.xml")) && Files.isExecutable(candidate)) {
                tool = candidate;
            }
        }
        if (tool == null) {
            System.err.println("reference auditwheel not present beside the checkout: tag compared with the pattern only");
            return java.util.Optional.empty();
        }
        ProcessResult shown = ProcessRunner.of(tool.toString(), "show", wheel.toString()).tailLines(400)
                .timeout(Duration.ofMinutes(5)).run();
        assertTrue(shown.succeeded(), shown::tailText);
        Matcher tag = Pattern.compile("consistent with the\\s+following platform tag:\\s+\"([^\"]+)\"").matcher(shown.tailText());
        assertTrue(tag.find(), shown::tailText);
        return java.util.Optional.of(tag.group(1));
    }

    /** Containers of this test's projects that still exist. */
    static String leftoverContainers() throws IOException {
        ProcessResult listed = ProcessRunner.of("docker", "ps", "-a", "--filter", "label=org.neuronsimulator.wheel.builder",
                "--format", "{{.Label \"org.neuronsimulator.wheel.project\"}} {{.Names}}").tailLines(1000).run();
        assertTrue(listed.succeeded(), listed::tailText);
        String work = MavenInvocation.workDirectory().toString();
        return String.join("\n", listed.tail().stream().filter(line -> line.startsWith(work)).toList());
    }
}
