package org.neuronsimulator.wheel.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The parameters of goals that read the Python project's own settings: the project, and the image and platform that
 * choose which of its pyproject.toml {@code [tool.cibuildwheel]} options apply.
 */
public abstract class ProjectMojo extends DockerMojo {

    /**
     * The Python project (holds {@code pyproject.toml} or {@code setup.py}); its {@code [tool.cibuildwheel]} gives what
     * the pom leaves unset.
     */
    @Parameter(property = "neuron.sourceDirectory", defaultValue = "${project.basedir}")
    File sourceDirectory;

    /**
     * Docker image to build in (e.g. {@code quay.io/pypa/manylinux2014_x86_64}, or a short name such as
     * {@code manylinux_2_28}); unset: pyproject.toml's {@code manylinux-<arch>-image}, else build on the host. The test
     * goal runs the tests in it too, unless {@code neuron.test.image} names another; the wheel goal reads it to know
     * whether pyproject.toml's linux options apply.
     */
    @Parameter(property = "neuron.image")
    String image;
}
