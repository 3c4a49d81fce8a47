package org.neuronsimulator.wheel.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * One test command's outcome: a JUnit test case.
 *
 * @param name     what ran (the command as configured, or a set-up step)
 * @param status   passed, failed or skipped
 * @param message  why it failed or was skipped; empty when it passed
 * @param output   the command's combined output (stdout and stderr)
 * @param duration wall time
 */
public record TestCaseResult(String name, Status status, String message, String output, Duration duration) {

    public enum Status { PASSED, FAILED, SKIPPED }

    public TestCaseResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        message = message == null ? "" : message;
        output = output == null ? "" : output;
        duration = duration == null ? Duration.ZERO : duration;
    }

    public static TestCaseResult passed(String name, String output, Duration duration) {
        return new TestCaseResult(name, Status.PASSED, "", output, duration);
    }

    public static TestCaseResult failed(String name, String message, String output, Duration duration) {
        return new TestCaseResult(name, Status.FAILED, message, output, duration);
    }

    public static TestCaseResult skipped(String name, String message) {
        return new TestCaseResult(name, Status.SKIPPED, message, "", Duration.ZERO);
    }
}
