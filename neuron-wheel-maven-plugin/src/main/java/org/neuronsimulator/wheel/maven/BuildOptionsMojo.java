package org.neuronsimulator.wheel.maven;

import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.config.PomSettings;

/**
 * The build parameters that pyproject.toml's {@code [tool.cibuildwheel]} can also give (the pom's win): which
 * identifiers build, the frontend, the environment, the commands before the builds, and the repair command.
 */
public abstract class BuildOptionsMojo extends ContainerMojo {

    /**
     * The build frontend: {@code pip} (default) or {@code build} (pypa/build, installed per Python into a virtual
     * environment), optionally with arguments: {@code build; args: --no-isolation}.
     */
    @Parameter(property = "neuron.buildFrontend")
    String buildFrontend;

    /** Extra environment variables for the build command (taken as they are). Unset: pyproject.toml's {@code environment}. */
    @Parameter
    Map<String, String> environment = Map.of();

    /** Build selectors on identifiers such as {@code cp312-manylinux_x86_64} ({@code cp31?-*}, {@code {cp,pp}3*}); unset: every one. */
    @Parameter(property = "neuron.buildPatterns")
    List<String> buildPatterns;

    /** Skip selectors on identifiers ({@code pp*}, {@code *t-*}, {@code *musllinux*}). */
    @Parameter(property = "neuron.skipPatterns")
    List<String> skipPatterns;

    /** Groups built only when enabled: {@code pypy}, {@code graalpy}, {@code cpython-freethreading}, {@code all}. */
    @Parameter(property = "neuron.enable")
    List<String> enable;

    /** Shell commands run once per build container (or once on the host) before any build, e.g. installing system packages. */
    @Parameter(property = "neuron.beforeAll")
    List<String> beforeAll;

    /**
     * Shell commands run before each Python's build, e.g. {@code {python} -m pip install -r requirements.txt};
     * {@code python} and {@code pip} on the PATH are that Python's.
     */
    @Parameter(property = "neuron.beforeBuild")
    List<String> beforeBuild;

    /**
     * A command run on each built wheel instead of the {@code wheel} goal's repair ({@code {wheel}}, {@code {dest_dir}}
     * placeholders); the wheels it writes to {@code {dest_dir}} are the build's results.
     */
    @Parameter(property = "neuron.repairCommand")
    String repairCommand;

    /** What the pom gives for the settings pyproject.toml can also give. */
    PomSettings pomSettings() {
        return new PomSettings().image(image).buildPatterns(buildPatterns).skipPatterns(skipPatterns).enable(enable)
                .passEnvironment(passEnvironment).environment(environment).beforeAll(beforeAll).beforeBuild(beforeBuild)
                .buildFrontend(buildFrontend).network(network).dockerHost(dockerHost).repairCommand(repairCommand);
    }
}
