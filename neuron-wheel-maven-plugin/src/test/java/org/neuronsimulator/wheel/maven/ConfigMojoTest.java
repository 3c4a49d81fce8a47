package org.neuronsimulator.wheel.maven;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config goal maps the goals' parameters and prints what core resolves; a bad file is a user error. */
class ConfigMojoTest {

    @TempDir
    Path project;

    /** Keeps what the goal logs. */
    static final class Lines extends SystemStreamLog {
        final List<String> lines = new ArrayList<>();

        @Override
        public void info(CharSequence content) {
            lines.add("[INFO] " + content);
        }

        @Override
        public void warn(CharSequence content) {
            lines.add("[WARN] " + content);
        }
    }

    @Test
    void pomParametersWinAndEverySettingShowsItsOrigin() throws Exception {
        Files.writeString(project.resolve("pyproject.toml"), """
                [tool.cibuildwheel]
                skip = "pp*"
                archs = ["auto64"]
                [tool.cibuildwheel.linux]
                manylinux-x86_64-image = "manylinux2014"
                repair-wheel-command = "auditwheel repair -w {dest_dir} {wheel} --exclude libgomp.so.1"
                """);
        ConfigMojo mojo = new ConfigMojo();
        mojo.sourceDirectory = project.toFile();
        mojo.network = "none";
        mojo.beforeAll = List.of("yum install -y bison");
        Lines log = new Lines();
        mojo.setLog(log);
        mojo.execute();
        String text = String.join("\n", log.lines);
        assertTrue(text.matches("(?s).*neuron\\.image\\s+quay\\.io/pypa/manylinux2014_x86_64  <- pyproject\\.toml "
                + "\\[tool\\.cibuildwheel\\.linux] manylinux-x86_64-image.*"), text);
        assertTrue(text.matches("(?s).*neuron\\.network\\s+none  <- pom \\(neuron\\.network\\).*"), text);
        assertTrue(text.matches("(?s).*neuron\\.beforeAll\\s+yum install -y bison  <- pom \\(neuron\\.beforeAll\\).*"), text);
        assertTrue(text.matches("(?s).*neuron\\.exclude\\s+libgomp\\.so\\.1  <- pyproject\\.toml .*"), text);
        assertTrue(text.contains("[WARN] pyproject.toml [tool.cibuildwheel] archs has no counterpart"), text);
    }

    @Test
    void aWrongTypeFailsTheGoalAsAUserError() throws Exception {
        Files.writeString(project.resolve("pyproject.toml"), "[tool.cibuildwheel]\nbefore-all = 42\n");
        ConfigMojo mojo = new ConfigMojo();
        mojo.sourceDirectory = project.toFile();
        mojo.setLog(new Lines());
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().endsWith("pyproject.toml [tool.cibuildwheel] before-all must be a string or an array of"
                + " strings, not an integer (42)"), e::getMessage);
    }
}
