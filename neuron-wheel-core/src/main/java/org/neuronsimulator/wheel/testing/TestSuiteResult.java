package org.neuronsimulator.wheel.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The results of one variant of one wheel (or requirement) on one interpreter: a JUnit test suite.
 *
 * @param subject     the wheel's file name or the requirement
 * @param python      the interpreter, e.g. {@code cp311}; {@code none} when no interpreter accepted the wheel
 * @param variant     {@code install}, {@code serial}, {@code mpi[mpiexec -n 2]}, {@code gpu}, ...
 * @param started     when the suite began
 * @param cases       one per command, in run order
 * @param reportFile  the JUnit XML file written for it (null until written)
 */
public record TestSuiteResult(String subject, String python, String variant, Instant started,
                              List<TestCaseResult> cases, Path reportFile) {

    public TestSuiteResult {
        cases = List.copyOf(cases);
    }

    public TestSuiteResult withReportFile(Path file) {
        return new TestSuiteResult(subject, python, variant, started, cases, file);
    }

    public long count(TestCaseResult.Status status) {
        return cases.stream().filter(c -> c.status() == status).count();
    }

    public boolean hasFailures() {
        return count(TestCaseResult.Status.FAILED) > 0;
    }

    public Duration duration() {
        return cases.stream().map(TestCaseResult::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /** {@code hello_ext-1.0-cp311-cp311-linux_x86_64.whl [cp311] serial}. */
    public String label() {
        return subject + " [" + python + "] " + variant;
    }
}
