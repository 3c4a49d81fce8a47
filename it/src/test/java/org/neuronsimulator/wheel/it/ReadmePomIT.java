package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.publish.PypiTestServer;

/** The pom of the README's "Using it", verbatim, through the whole lifecycle up to {@code mvn deploy}. */
class ReadmePomIT {

    private static final String TOKEN = "pypi-AgEIcHlwaS5vcmcCJHJlYWRtZS1wb20tZGVwbG95LXRva2Vu";

    static String readmePom() throws IOException {
        String readme = Files.readString(MavenInvocation.samplesDirectory().resolve("../../README.md").normalize());
        int using = readme.indexOf("## Using it");
        Matcher xml = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(using >= 0 && xml.find(using), "README has no pom under 'Using it'");
        return xml.group(1);
    }

    @Test
    void deployBuildsTestsAndUploadsWithTheReadmesPom() throws IOException {
        MavenInvocation maven = MavenInvocation.ofSample("hello-ext", "readme-pom");
        Path project = maven.projectDirectory();
        Files.writeString(project.resolve("pom.xml"), readmePom());
        try (PypiTestServer server = new PypiTestServer(project.resolve("index")).user("__token__", TOKEN)) {
            MavenInvocation.Result result = maven.args("-B", "deploy")
                    .property("neuron.repositoryUrl", server.uploadUrl())
                    .property("neuron.upload.verifyTimeout", "30")
                    .env("TWINE_USERNAME", "__token__").env("TWINE_PASSWORD", TOKEN)
                    .run();
            assertTrue(result.succeeded(), result.describe());
            assertTrue(result.log().contains("Skipping artifact deployment"), "maven-deploy-plugin did not skip");
            Map<String, List<String>> listing = server.listing();
            List<String> files = listing.get("hello-ext-nightly");
            assertEquals(1, files == null ? 0 : files.size(), listing.toString());
            assertTrue(files.get(0).startsWith("hello_ext_nightly-") && files.get(0).contains("manylinux_"), files.toString());
        }
    }
}
