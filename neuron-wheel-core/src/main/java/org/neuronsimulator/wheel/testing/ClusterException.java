package org.neuronsimulator.wheel.testing;

/**
 * The cluster around a test run failed it: the scheduler refused the allocation or ended it early (its
 * time limit), or an environment module does not load. The message carries the scheduler's or the
 * module system's own words.
 */
public class ClusterException extends Exception {

    private static final long serialVersionUID = 1L;

    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
