package org.neuronsimulator.wheel.builder.container;

import java.io.IOException;

/** No Docker engine answers where one was expected; the message says how to start one or build without it. */
public class DockerUnavailableException extends IOException {

    private static final long serialVersionUID = 1L;

    public DockerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
