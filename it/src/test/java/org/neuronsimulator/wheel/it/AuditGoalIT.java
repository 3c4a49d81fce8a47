package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/** The audit goal run without a pom, as a user runs it on a folder of wheels. */
class AuditGoalIT {

    /** A folder holding the markupsafe 3.0.3 wheel of the local package index. */
    private static Path markupsafe(Path folder) throws IOException {
        Path wheels = Files.createDirectories(folder);
        ProcessResult download = ProcessRunner.of("python3", "-m", "pip", "download", "-q", "--no-deps",
                "--only-binary=:all:", "--index-url", "file:///opt/pypi/simple", "-d", wheels.toString(),
                "markupsafe==3.0.3").environment("PIP_EXTRA_INDEX_URL", "").timeout(Duration.ofMinutes(5)).run();
        assertTrue(download.succeeded(), download.tailText());
        return wheels;
    }

    @Test
    void auditsAFolderOfWheelsAndWritesJson() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/opt/pypi/simple")), "the local package index is missing");
        Path work = MavenInvocation.workDirectory().resolve("audit-goal");
        MavenInvocation.deleteTree(work);
        Path wheels = markupsafe(work.resolve("wheels"));
        Path json = work.resolve("report.json");
        MavenInvocation.Result result = MavenInvocation.in(work).args(MavenInvocation.goal("audit"))
                .property("neuron.wheel", wheels.toString()).property("neuron.audit.json", json.toString()).run();
        assertTrue(result.succeeded(), result.describe());
        assertTrue(result.log().contains("is consistent with the platform tag \"manylinux_"), result.log());
        String report = Files.readString(json);
        for (String key : new String[] {"wheel", "overallTag", "symbolTag", "versionedSymbols", "externalLibraries",
                "policyUpgrades"}) {
            assertTrue(report.contains("\"" + key + "\""), key + " missing in " + report);
        }
        Matcher tag = Pattern.compile("\"overallTag\" : \"(manylinux_2_(\\d+)_x86_64)\"").matcher(report);
        assertTrue(tag.find(), report);
        // The filename claims manylinux_2_28 at most; the audit finds at least that.
        assertTrue(Integer.parseInt(tag.group(2)) <= 28, report);
    }

    @Test
    void aCorruptWheelInAFolderFailsTheGoalButEveryWheelIsInTheJson() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/opt/pypi/simple")), "the local package index is missing");
        Path work = MavenInvocation.workDirectory().resolve("audit-mixed-folder");
        MavenInvocation.deleteTree(work);
        Path wheels = markupsafe(work.resolve("wheels"));
        // sorted first, so a goal that stopped at the first bad wheel would report nothing else
        Files.writeString(wheels.resolve("aaa_junk-1.0-cp311-cp311-linux_x86_64.whl"), "this is not a zip archive");
        Path json = work.resolve("report.json");
        MavenInvocation.Result result = MavenInvocation.in(work).args(MavenInvocation.goal("audit"))
                .property("neuron.wheel", wheels.toString()).property("neuron.audit.json", json.toString()).run();
        assertFalse(result.succeeded(), result.describe());
        assertTrue(result.log().contains("1 of 2 wheel(s) could not be audited"), result.log());
        String report = Files.readString(json);
        assertTrue(report.contains("\"wheel\" : \"aaa_junk-1.0-cp311-cp311-linux_x86_64.whl\""), report);
        assertTrue(report.contains("\"error\" : \""), report);
        assertTrue(Pattern.compile("\"overallTag\" : \"manylinux_2_\\d+_x86_64\"").matcher(report).find(), report);
    }

    @Test
    void aCorruptWheelFailsNamingTheFile() throws IOException {
        Path work = MavenInvocation.workDirectory().resolve("audit-corrupt");
        MavenInvocation.deleteTree(work);
        Files.createDirectories(work);
        Path junk = work.resolve("junk-1.0-cp311-cp311-linux_x86_64.whl");
        Files.writeString(junk, "this is not a zip archive");
        MavenInvocation.Result result = MavenInvocation.in(work).args(MavenInvocation.goal("audit"))
                .property("neuron.wheel", junk.toString()).run();
        assertFalse(result.succeeded(), result.describe());
        assertTrue(result.log().contains("junk-1.0-cp311-cp311-linux_x86_64.whl: not a readable zip archive"),
                result.log());
    }
}
