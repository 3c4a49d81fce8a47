package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.neuronsimulator.wheel.it.MavenInvocation.MavenVersion;

/**
 * The README's main job: {@code mvn package} of the hello-ext sample on the host, on the machine's
 * Maven and on Maven 3.9, leaves an installable wheel whose tags the building interpreter accepts.
 */
class HelloExtHostBuildIT {

    @ParameterizedTest
    @EnumSource(MavenVersion.class)
    void packageBuildsAnInstallableWheel(MavenVersion maven) throws IOException {
        MavenInvocation build = MavenInvocation.ofSample("hello-ext", "hello-ext-" + maven).maven(maven).args("package");
        MavenInvocation.Result result = build.run();
        assertTrue(result.succeeded(), result::describe);

        Path wheelhouse = build.projectDirectory().resolve("target/wheelhouse");
        List<Path> wheels = listWheels(wheelhouse);
        assertEquals(1, wheels.size(), () -> "wheelhouse " + wheelhouse + " holds " + wheels);
        Path wheel = wheels.get(0);
        assertTrue(wheel.getFileName().toString().startsWith("hello_ext-1.2.0-cp311-cp311-"), wheel::toString);

        Venv venv = Venv.create("python3", build.projectDirectory().resolve("target/venv-check"));
        String accepted = venv.python("-c",
                "from pip._vendor.packaging import tags; print('\\n'.join(str(t) for t in tags.sys_tags()))");
        Set<String> acceptedTags = Set.of(accepted.split("\\R"));
        Set<String> wheelTags = wheelTags(wheel.getFileName().toString());
        assertTrue(wheelTags.stream().anyMatch(acceptedTags::contains),
                () -> "interpreter accepts none of " + wheelTags);

        venv.pip("install", "--no-index", wheel.toString());
        assertEquals("5 hello, maven", venv.python("-c",
                "import hello; print(hello.add(2, 3), hello.greet('maven'))").strip());
    }

    static List<Path> listWheels(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".whl")).sorted().collect(Collectors.toList());
        }
    }

    /** Expands the compressed tag sets of a wheel filename (independently of the code under test). */
    static Set<String> wheelTags(String filename) {
        String[] parts = filename.substring(0, filename.length() - ".whl".length()).split("-");
        int n = parts.length;
        Set<String> tags = new java.util.HashSet<>();
        for (String python : parts[n - 3].split("\\.")) {
            for (String abi : parts[n - 2].split("\\.")) {
                for (String platform : parts[n - 1].split("\\.")) {
                    tags.add(python + "-" + abi + "-" + platform);
                }
            }
        }
        return tags;
    }
}
