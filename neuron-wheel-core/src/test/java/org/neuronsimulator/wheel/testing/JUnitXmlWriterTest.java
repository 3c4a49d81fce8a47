package org.neuronsimulator.wheel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JUnitXmlWriterTest {

    @Test
    void outputWithMarkupAndTerminalCodesStaysWellFormedAndDuplicateNamesAreNumbered(@TempDir Path dir) throws IOException {
        String output = "<b>&amp; \u001b[31mred\u001b[0m ]]> done\u0000";
        TestSuiteResult suite = new TestSuiteResult("neuron-9.0-cp311-cp311-manylinux_2_17_x86_64.whl", "cp311",
                "mpi[mpiexec -n 2]", Instant.parse("2026-01-02T03:04:05.678Z"), List.of(
                TestCaseResult.failed("{python} -c 'x'", "exit code 1", output, Duration.ofMillis(1500)),
                TestCaseResult.passed("{python} -c 'x'", "", Duration.ofMillis(20)),
                TestCaseResult.skipped("nrniv -c 'quit()'", "no GPU detected: nvidia-smi is not installed")), null);

        TestSuiteResult written = JUnitXmlWriter.write(suite, dir);

        assertEquals(dir.resolve("TEST-neuron-9_0-cp311-cp311-manylinux_2_17_x86_64_whl.cp311.mpi_mpiexec_-n_2_.xml"),
                written.reportFile());
        JUnitReport report = JUnitReport.parse(written.reportFile());
        assertEquals(3, report.tests());
        assertEquals(1, report.failures());
        assertEquals(1, report.skipped());
        assertEquals(List.of("{python} -c 'x'", "{python} -c 'x' [2]", "nrniv -c 'quit()'"),
                report.cases().stream().map(JUnitReport.Case::name).toList());
        JUnitReport.Case failed = report.cases().get(0);
        assertEquals("<b>&amp; ?[31mred?[0m ]]> done?", failed.failureText());
        assertEquals(1.5, failed.time());
        assertEquals("no GPU detected: nvidia-smi is not installed", report.cases().get(2).message());
        String xml = Files.readString(written.reportFile());
        assertTrue(xml.contains("timestamp=\"2026-01-02T03:04:05\""), xml);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no partial file left behind");
        }
    }
}
