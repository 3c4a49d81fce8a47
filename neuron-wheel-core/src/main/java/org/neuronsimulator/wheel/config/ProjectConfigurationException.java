package org.neuronsimulator.wheel.config;

/** A project's configuration file cannot be read or holds a value of the wrong kind; the message names the file and key. */
public class ProjectConfigurationException extends Exception {

    private static final long serialVersionUID = 1L;

    public ProjectConfigurationException(String message) {
        super(message);
    }

    public ProjectConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
