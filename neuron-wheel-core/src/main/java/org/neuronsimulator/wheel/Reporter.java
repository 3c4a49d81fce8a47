package org.neuronsimulator.wheel;

/**
 * Where core code reports progress. The Maven plugin adapts its {@code Log} to this; tests and
 * command-line callers can use {@link #NONE} or collect lines.
 */
public interface Reporter {

    Reporter NONE = new Reporter() {
        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message) {
        }

        @Override
        public void debug(String message) {
        }
    };

    void info(String message);

    void warn(String message);

    void debug(String message);

    /** A problem that fails the step once the others are reported; a warning where no error level exists. */
    default void error(String message) {
        warn(message);
    }
}
