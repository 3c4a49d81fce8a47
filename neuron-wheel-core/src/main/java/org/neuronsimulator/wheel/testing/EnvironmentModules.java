package org.neuronsimulator.wheel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * Environment modules (Lmod, or the Tcl Environment Modules) as a cluster's login shell has them:
 * the module system's shell initialisation is sourced in {@code /bin/sh}, {@code module purge} runs
 * when asked, then {@code module load} of the modules, and the environment that shell ends with is
 * taken over. It is loaded once, before the interpreters are looked for, so that a Python from a
 * module is found and the test environments are made on top of what the modules set.
 */
final class EnvironmentModules {

    /** Where the module systems keep their sh initialisation when {@code MODULESHOME} does not say. */
    static final List<Path> KNOWN_INITS = List.of(
            Path.of("/usr/share/lmod/lmod/init/sh"),
            Path.of("/opt/apps/lmod/lmod/init/sh"),
            Path.of("/usr/share/Modules/init/sh"),
            Path.of("/usr/share/modules/init/sh"));

    /**
     * Purges when asked, adds module folders, loads the modules and writes the environment, NUL-separated,
     * to the file named by the second argument. Arguments: init, out, purge (yes/no), the number of
     * folders, the folders, the modules.
     */
    private static final String SCRIPT = String.join("\n",
            "init=$1; out=$2; purge=$3; folders=$4; shift 4",
            ". \"$init\" || { echo \"sourcing $init failed\"; exit 90; }",
            "if [ \"$purge\" = yes ]; then module purge || { echo 'module purge failed'; exit 91; }; fi",
            "while [ \"$folders\" -gt 0 ]; do module use \"$1\" || exit 93; shift; folders=$((folders - 1)); done",
            "if [ $# -gt 0 ]; then module load \"$@\" || exit 92; fi",
            "env -0 > \"$out\"",
            "");

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Path init;

    private EnvironmentModules(Path init) {
        this.init = init;
    }

    /**
     * The module system of an environment: the configured init script, else {@code $MODULESHOME/init/sh},
     * else the first of {@link #KNOWN_INITS} present.
     *
     * @throws ClusterException when there is none
     */
    static EnvironmentModules find(String configuredInit, Map<String, String> environment) throws ClusterException {
        if (configuredInit != null && !configuredInit.isBlank()) {
            Path path = Path.of(configuredInit.strip());
            if (!Files.isReadable(path)) {
                throw new ClusterException("neuron.test.moduleInit=" + configuredInit.strip() + " is not a readable file");
            }
            return new EnvironmentModules(path);
        }
        List<Path> candidates = new ArrayList<>();
        String home = environment.get("MODULESHOME");
        if (home != null && !home.isBlank()) {
            candidates.add(Path.of(home, "init", "sh"));
        }
        candidates.addAll(KNOWN_INITS);
        for (Path candidate : candidates) {
            if (Files.isReadable(candidate)) {
                return new EnvironmentModules(candidate);
            }
        }
        throw new ClusterException("environment modules are asked for, but no module system is found: none of "
                + candidates + " exists; install Lmod (Debian: apt-get install lmod) or name its sh initialisation"
                + " with neuron.test.moduleInit");
    }

    Path init() {
        return init;
    }

    /**
     * The environment after {@code module purge} (when asked), {@code module use FOLDER} and
     * {@code module load MODULES} in a shell that starts from {@code environment}.
     *
     * @throws ClusterException with the module system's message when a module does not load
     */
    Map<String, String> load(List<String> modules, boolean purge, List<String> folders, Map<String, String> environment,
                             Path scratch) throws ClusterException, IOException {
        Files.createDirectories(scratch);
        Path out = Files.createTempFile(scratch, "module-environment", ".env");
        try {
            List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "sh", init.toString(), out.toString(),
                    purge ? "yes" : "no", String.valueOf(folders.size())));
            command.addAll(folders);
            command.addAll(modules);
            ProcessResult result = ShellEnvironment.runner(command, environment).tailLines(200).timeout(TIMEOUT).run();
            if (!result.succeeded()) {
                String what = result.exitCode() == 90 ? "sourcing " + init
                        : result.exitCode() == 91 ? "module purge"
                        : result.exitCode() == 93 ? "module use " + String.join(" ", folders)
                        : "module load " + String.join(" ", modules);
                // the module system's first lines say what is wrong; the rest is advice
                throw new ClusterException(what + " failed" + (result.timedOut() ? " (timed out)" : "") + ": "
                        + ShellEnvironment.message(result.tail(), " ", 3));
            }
            return ShellEnvironment.read(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
