package org.neuronsimulator.wheel.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Everything a wheel test run produced: its suites (each with its JUnit XML file) and a summary. */
public record WheelTestOutcome(List<TestSuiteResult> suites) {

    public WheelTestOutcome {
        suites = List.copyOf(suites);
    }

    public boolean hasFailures() {
        return suites.stream().anyMatch(TestSuiteResult::hasFailures);
    }

    public List<TestSuiteResult> failedSuites() {
        return suites.stream().filter(TestSuiteResult::hasFailures).toList();
    }

    /** The failed suites and their report files, one line each under a heading. */
    public String failureMessage() {
        StringBuilder message = new StringBuilder("There are wheel test failures:");
        for (TestSuiteResult suite : failedSuites()) {
            message.append("\n  ").append(suite.label()).append(" -> ").append(suite.reportFile());
        }
        return message.toString();
    }

    public long total(TestCaseResult.Status status) {
        return suites.stream().mapToLong(s -> s.count(status)).sum();
    }

    /** A fixed-width table, one row per suite, with a totals line. */
    public List<String> summaryTable() {
        int subjectWidth = "wheel".length();
        int variantWidth = "variant".length();
        int pythonWidth = "python".length();
        for (TestSuiteResult s : suites) {
            subjectWidth = Math.max(subjectWidth, s.subject().length());
            variantWidth = Math.max(variantWidth, s.variant().length());
            pythonWidth = Math.max(pythonWidth, s.python().length());
        }
        String format = "%-" + subjectWidth + "s  %-" + pythonWidth + "s  %-" + variantWidth + "s  %6s  %6s  %7s  %9s  %s";
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, format, "wheel", "python", "variant", "passed", "failed", "skipped",
                "time", "result"));
        for (TestSuiteResult s : suites) {
            String result = s.hasFailures() ? "FAILED"
                    : s.count(TestCaseResult.Status.PASSED) == 0 && !s.cases().isEmpty() ? "SKIPPED" : "ok";
            lines.add(String.format(Locale.ROOT, format, s.subject(), s.python(), s.variant(),
                    s.count(TestCaseResult.Status.PASSED), s.count(TestCaseResult.Status.FAILED),
                    s.count(TestCaseResult.Status.SKIPPED),
                    String.format(Locale.ROOT, "%.1f s", s.duration().toMillis() / 1000.0), result));
        }
        lines.add(String.format(Locale.ROOT, "Tests run: %d, Failures: %d, Skipped: %d",
                total(TestCaseResult.Status.PASSED) + total(TestCaseResult.Status.FAILED)
                        + total(TestCaseResult.Status.SKIPPED),
                total(TestCaseResult.Status.FAILED), total(TestCaseResult.Status.SKIPPED)));
        return lines;
    }
}
