package org.neuronsimulator.wheel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.process.ProcessResult;
import org.neuronsimulator.wheel.process.ProcessRunner;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code mvn verify} of the wheel-tests sample runs the {@code test} goal on hello-ext wheels built
 * for Python 3.9 and 3.12: serial commands, the MPI command under MPICH's {@code mpiexec -n 2}, the
 * GPU variant (skipped without a GPU), JUnit XML reports, and failsafe-like failure handling.
 */
class WheelTestGoalIT {

    static Path wheelhouse;

    @BeforeAll
    static void buildHelloWheels() throws IOException {
        MavenInvocation copy = MavenInvocation.ofSample("hello-ext", "hello-ext-for-wheel-tests");
        wheelhouse = MavenInvocation.workDirectory().resolve("wheel-tests-wheelhouse");
        MavenInvocation.deleteTree(wheelhouse);
        for (String python : List.of("python3.9", "python3.12")) {
            ProcessResult result = ProcessRunner.of(pyenvPython(python), "-m", "pip", "wheel", "--no-deps",
                            "--disable-pip-version-check", "-w", wheelhouse.toString(), copy.projectDirectory().toString())
                    .environment("PIP_RETRIES", "0") // the configured local index answers; fail fast elsewhere
                    .removeEnvironment("PYTHONPATH")
                    .tailLines(300)
                    .timeout(Duration.ofMinutes(5))
                    .run();
            assertTrue(result.succeeded(), () -> python + " -m pip wheel failed:\n" + result.tailText());
        }
        List<Path> built = wheels();
        assertEquals(2, built.size(), () -> "wheelhouse holds " + built);
    }

    /** pyenv's interpreter of that version (the build machines keep them there). */
    static String pyenvPython(String name) throws IOException {
        Path versions = Path.of(System.getProperty("user.home"), ".pyenv", "versions");
        try (Stream<Path> dirs = Files.list(versions)) {
            return dirs.map(d -> d.resolve("bin").resolve(name)).filter(Files::isExecutable).findFirst()
                    .map(Path::toString).orElse(name);
        }
    }

    static List<Path> wheels() throws IOException {
        try (Stream<Path> files = Files.list(wheelhouse)) {
            return files.filter(f -> f.toString().endsWith(".whl")).sorted().toList();
        }
    }

    @Test
    void verifyTestsBothWheelsAndWritesJUnitReports() throws Exception {
        MavenInvocation build = MavenInvocation.ofSample("wheel-tests", "wheel-tests-pass")
                .property("neuron.wheelhouse", wheelhouse.toString())
                .args("verify");
        MavenInvocation.Result result = build.run();
        assertTrue(result.succeeded(), result::describe);
        assertTrue(result.log().contains("Tests run: 14, Failures: 0, Skipped: "), result::describe);

        Map<String, Element> reports = reports(build.projectDirectory().resolve("target/wheel-test-reports"));
        for (String python : List.of("cp39", "cp312")) {
            Element serial = suite(reports, python, ".serial.xml");
            assertEquals("3", serial.getAttribute("tests"));
            assertEquals("0", serial.getAttribute("failures"));
            List<String> outputs = outputs(serial);
            assertEquals("5 hello, wheel tests", outputs.get(0).strip());
            assertEquals("skip=true", outputs.get(1).strip());
            assertTrue(outputs.get(2).contains("/site-packages/hello"), outputs.get(2));

            Element mpi = suite(reports, python, ".mpi_mpiexec_-n_2_.xml");
            assertEquals("0", mpi.getAttribute("failures"));
            String ranks = outputs(mpi).get(0);
            assertTrue(ranks.contains("rank 0 of 2") && ranks.contains("rank 1 of 2"), ranks);

            Element gpu = suite(reports, python, ".gpu.xml");
            assertEquals("1", gpu.getAttribute("tests"));
            assertEquals("0", gpu.getAttribute("failures"));
        }
        Path envs = build.projectDirectory().resolve("target/wheel-test-envs");
        if (Files.exists(envs)) {
            try (Stream<Path> left = Files.list(envs)) {
                assertEquals(List.of(), left.toList(), "test environments are removed");
            }
        }
    }

    @Test
    void aFailingCommandFailsTheBuildAfterTheOtherTestsRan() throws Exception {
        MavenInvocation build = MavenInvocation.ofSample("wheel-tests", "wheel-tests-fail")
                .property("neuron.wheelhouse", wheelhouse.toString())
                .property("sample.extraCommand", "echo broken on purpose; exit 7")
                .args("verify");
        MavenInvocation.Result result = build.run();
        assertFalse(result.succeeded(), result::describe);
        assertTrue(result.log().contains("There are wheel test failures:"), result::describe);

        Map<String, Element> reports = reports(build.projectDirectory().resolve("target/wheel-test-reports"));
        for (String python : List.of("cp39", "cp312")) {
            Element serial = suite(reports, python, ".serial.xml");
            assertEquals("1", serial.getAttribute("failures"));
            NodeList cases = serial.getElementsByTagName("testcase");
            Element failed = (Element) cases.item(1);
            Element failure = (Element) failed.getElementsByTagName("failure").item(0);
            assertNotNull(failure, "the second command's failure is in the report");
            assertEquals("exit code 7", failure.getAttribute("message"));
            assertTrue(failure.getTextContent().contains("broken on purpose"), failure::getTextContent);
            // the command after the failing one and the MPI variant still ran
            assertTrue(outputs(serial).get(2).contains("installed in"), serial::toString);
            assertEquals("0", suite(reports, python, ".mpi_mpiexec_-n_2_.xml").getAttribute("failures"));
        }
    }

    @Test
    void failureIgnoreReportsWithoutFailingAndSkipITsRunsNothing() throws Exception {
        MavenInvocation ignored = MavenInvocation.ofSample("wheel-tests", "wheel-tests-ignore")
                .property("neuron.wheelhouse", wheelhouse.toString())
                .property("neuron.python", "3.12")
                .property("sample.extraCommand", "exit 3")
                .property("neuron.test.failureIgnore", "true")
                .args("verify");
        MavenInvocation.Result result = ignored.run();
        assertTrue(result.succeeded(), result::describe);
        assertTrue(result.log().contains("neuron.test.failureIgnore is set"), result::describe);
        Map<String, Element> reports = reports(ignored.projectDirectory().resolve("target/wheel-test-reports"));
        assertEquals("1", suite(reports, "cp312", ".serial.xml").getAttribute("failures"));
        // the cp39 wheel has no accepting interpreter among those selected: a failure, not a silent pass
        Element none = suite(reports, "none", ".install.xml");
        assertEquals("1", none.getAttribute("failures"));
        assertTrue(result.log().contains("no selected interpreter accepts hello_ext-1.2.0-cp39-cp39-"), result::describe);

        MavenInvocation skipped = MavenInvocation.ofSample("wheel-tests", "wheel-tests-skip")
                .property("neuron.wheelhouse", wheelhouse.toString())
                .args("verify", "-DskipITs");
        MavenInvocation.Result skipResult = skipped.run();
        assertTrue(skipResult.succeeded(), skipResult::describe);
        assertTrue(skipResult.log().contains("skipITs is set: wheel tests skipped"), skipResult::describe);
        assertFalse(Files.exists(skipped.projectDirectory().resolve("target/wheel-test-reports")));
    }

    @Test
    void offlineRequirementTestingFromARemoteIndexIsRefusedClearly() throws Exception {
        MavenInvocation build = MavenInvocation.ofSample("wheel-tests", "wheel-tests-offline")
                .property("neuron.test.requirement", "neuron==8.2.0")
                .property("neuron.test.index", "https://test.pypi.org/simple/")
                .args("-o", "verify");
        MavenInvocation.Result result = build.run();
        assertFalse(result.succeeded(), result::describe);
        assertTrue(result.log().contains("the run is offline (-o) but neuron.test.index=https://test.pypi.org/simple/"
                + " needs the network"), result::describe);
        assertFalse(Files.exists(build.projectDirectory().resolve("target/wheel-test-envs")), "nothing was set up");
    }

    @Test
    void withoutAPomTheGoalTestsTheInstallationOfADownloadedWheelhouse() throws Exception {
        Path folder = MavenInvocation.workDirectory().resolve("wheel-tests-pomless");
        MavenInvocation.deleteTree(folder);
        Path downloaded = Files.createDirectories(folder.resolve("wheelhouse"));
        Path cp312 = wheels().stream().filter(w -> w.getFileName().toString().contains("-cp312-")).findFirst().orElseThrow();
        Files.copy(cp312, downloaded.resolve(cp312.getFileName()));

        MavenInvocation.Result result = MavenInvocation.in(folder)
                .args(MavenInvocation.goal("test"), "-Dneuron.wheelhouse=wheelhouse", "-Dneuron.python=3.12",
                        "-Dneuron.test.pipOptions=--no-index")
                .run();

        assertTrue(result.succeeded(), result::describe);
        assertTrue(result.log().contains("no test commands configured"), result::describe);
        Map<String, Element> reports = reports(folder.resolve("target/wheel-test-reports"));
        assertEquals(1, reports.size(), reports::toString);
        Element install = suite(reports, "cp312", ".install.xml");
        assertEquals("2", install.getAttribute("tests"));
        assertEquals("0", install.getAttribute("failures"));
    }

    @Test
    void withATestImageTheWheelsAreTestedInsideAContainerOfIt() throws Exception {
        TestImage.requireEngineAndImage();
        String image = TestImage.NAME;
        // the image has CPython 3.10 and 3.12: test the cp312 wheel there
        Path only312 = MavenInvocation.workDirectory().resolve("wheel-tests-image-wheelhouse");
        MavenInvocation.deleteTree(only312);
        Files.createDirectories(only312);
        Path cp312 = wheels().stream().filter(w -> w.getFileName().toString().contains("-cp312-")).findFirst().orElseThrow();
        Files.copy(cp312, only312.resolve(cp312.getFileName()));

        MavenInvocation build = MavenInvocation.ofSample("wheel-tests", "wheel-tests-image")
                .property("neuron.wheelhouse", only312.toString())
                .property("neuron.test.image", image)
                .property("neuron.pull", "never")
                .property("neuron.python", "3.12")
                .args("verify");
        MavenInvocation.Result result = build.run();

        assertTrue(result.succeeded(), result::describe);
        java.util.regex.Matcher name = java.util.regex.Pattern.compile("testing in container (\\S+) of ").matcher(result.log());
        assertTrue(name.find(), result::describe);
        Map<String, Element> reports = reports(build.projectDirectory().resolve("target/wheel-test-reports"));
        assertEquals(4, reports.size(), reports::toString);
        Element serial = suite(reports, "cp312", ".serial.xml");
        assertEquals("3", serial.getAttribute("tests"));
        assertEquals("0", serial.getAttribute("failures"));
        List<String> outputs = outputs(serial);
        assertEquals("5 hello, wheel tests", outputs.get(0).strip());
        assertTrue(outputs.get(2).contains("installed in /neuron-wheel/test-envs/"), outputs.get(2));
        Element mpi = suite(reports, "cp312", ".mpi_mpiexec_-n_2_.xml");
        assertEquals("1", mpi.getAttribute("skipped"));
        assertTrue(result.log().contains("MPI launcher 'mpiexec' is not installed (not found on PATH in container "
                + name.group(1)), result::describe);
        ProcessResult left = ProcessRunner.of("docker", "ps", "-a", "-q", "--filter", "name=" + name.group(1))
                .tailLines(20).run();
        assertTrue(left.succeeded() && left.tailText().isBlank(), () -> "container left: " + left.tailText());
    }

    /** Every report, parsed by the JDK's XML parser, by file name. */
    static Map<String, Element> reports(Path dir) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        Map<String, Element> byName = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("TEST-")).toList()) {
                Element root = factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
                assertEquals("testsuite", root.getTagName(), file::toString);
                assertEquals(root.getAttribute("tests"),
                        Integer.toString(root.getElementsByTagName("testcase").getLength()), file::toString);
                byName.put(file.getFileName().toString(), root);
            }
        }
        return byName;
    }

    static Element suite(Map<String, Element> reports, String python, String suffix) {
        return reports.entrySet().stream()
                .filter(e -> e.getKey().contains("." + python + ".") && e.getKey().endsWith(suffix))
                .map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no report *" + python + "*" + suffix + " among " + reports.keySet()));
    }

    static List<String> outputs(Element suite) {
        List<String> outputs = new ArrayList<>();
        NodeList cases = suite.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            NodeList out = ((Element) cases.item(i)).getElementsByTagName("system-out");
            outputs.add(out.getLength() == 0 ? "" : out.item(0).getTextContent());
        }
        return outputs;
    }
}
