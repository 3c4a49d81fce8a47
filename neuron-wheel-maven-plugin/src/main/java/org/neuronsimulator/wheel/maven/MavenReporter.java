package org.neuronsimulator.wheel.maven;

import org.apache.maven.plugin.logging.Log;
import org.neuronsimulator.wheel.Reporter;

/** Core progress reports into Maven's log. */
final class MavenReporter implements Reporter {

    private final Log log;

    MavenReporter(Log log) {
        this.log = log;
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void warn(String message) {
        log.warn(message);
    }

    @Override
    public void error(String message) {
        log.error(message);
    }

    @Override
    public void debug(String message) {
        log.debug(message);
    }
}
