package org.neuronsimulator.wheel.builder;

import java.io.IOException;
import java.util.List;

/** Builds raw wheels for the selected Pythons: on the host, or inside a container image. */
public interface WheelBuilder {

    /**
     * @throws BuildFailedException when a build command fails, with the tail of its log
     * @throws IOException          when the build cannot be started or its results not collected
     */
    List<BuiltWheel> build(BuildRequest request) throws IOException, BuildFailedException;
}
