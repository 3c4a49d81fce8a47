package org.neuronsimulator.wheel.builder.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuronsimulator.wheel.builder.container.DockerTestSupport.TEST_IMAGE;
import static org.neuronsimulator.wheel.builder.container.DockerTestSupport.freshDirectory;
import static org.neuronsimulator.wheel.builder.container.DockerTestSupport.leftoverContainers;
import static org.neuronsimulator.wheel.builder.container.DockerTestSupport.projectFixture;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.RecordingReporter;
import org.neuronsimulator.wheel.builder.BuildCommand;
import org.neuronsimulator.wheel.builder.BuildFailedException;
import org.neuronsimulator.wheel.builder.BuildRequest;
import org.neuronsimulator.wheel.builder.BuildSelection;
import org.neuronsimulator.wheel.builder.BuiltWheel;
import org.neuronsimulator.wheel.builder.EnvironmentAssignments;
import org.neuronsimulator.wheel.builder.PythonSelector;

/**
 * The steps around container builds, on the real engine and the local test image (CPython 3.10 and 3.12):
 * networks, before-all and before-build commands, selection by identifier, the repair command, the
 * caches and the evaluated environment.
 */
class ContainerBuildStepsTest {

    private static DockerEngine engine;

    @BeforeAll
    static void connect() {
        engine = DockerTestSupport.localEngineOrSkip();
    }

    @AfterAll
    static void disconnect() throws IOException {
        if (engine != null) {
            engine.close();
        }
    }

    private static BuildRequest request(Path out, String pythons, String command) {
        return new BuildRequest(projectFixture("hello-ctr"), out, PythonSelector.parse(pythons),
                command == null ? BuildCommand.defaultCommand() : BuildCommand.parse(command), Map.of(),
                Duration.ofMinutes(5));
    }

    private static String keptContainer(RecordingReporter reporter) {
        return reporter.lines().stream().filter(l -> l.startsWith("[INFO] kept container ")).findFirst()
                .map(l -> l.split(" ")[3]).orElseThrow(() -> new AssertionError(reporter.text()));
    }

    @Test
    void containersGetTheNetworkTheyAreGiven() throws Exception {
        Path out = freshDirectory("networks");
        String network = "neuron-wheel-test-net-" + ProcessHandle.current().pid();
        engine.client().createNetworkCmd().withName(network).withLabels(Map.of(BuildContainer.LABEL, "test")).exec();
        try {
            for (ContainerNetwork choice : List.of(ContainerNetwork.DEFAULT, ContainerNetwork.HOST,
                    ContainerNetwork.parse(network), ContainerNetwork.NONE)) {
                var reporter = new RecordingReporter();
                ContainerBuildOptions options = ContainerBuildOptions.builder(TEST_IMAGE).pullPolicy(PullPolicy.NEVER)
                        .network(choice).keepContainers(true).build();
                new ContainerWheelBuilder(engine, options, Map.of(), reporter).build(request(out, "3.12",
                        "sh -c \"cat /proc/net/dev > {outdir}/net-0-py3-none-any.whl\""));
                String kept = keptContainer(reporter);
                try {
                    InspectContainerResponse container = engine.client().inspectContainerCmd(kept).exec();
                    String mode = container.getHostConfig().getNetworkMode();
                    assertEquals(choice.isDefault() ? "default" : choice.name(), mode, choice::name);
                    if (!choice.isDefault()) { // an engine started with --bridge=none disables the default network itself
                        assertEquals(choice.isNone(), Boolean.TRUE.equals(container.getConfig().getNetworkDisabled()),
                                choice::name);
                    }
                    assertTrue(reporter.text().contains(choice.describe()), reporter::text);
                } finally {
                    engine.client().removeContainerCmd(kept).withForce(true).exec();
                }
                // /proc/net/dev: two header lines, then one line per interface; "none" has only the loopback
                long interfaces = Files.readAllLines(out.resolve("cp312/net-0-py3-none-any.whl")).size() - 2;
                if (!choice.isDefault()) {
                    assertEquals(choice.isNone(), interfaces == 1, () -> choice + ": " + interfaces + " interfaces");
                }
            }
        } finally {
            engine.client().removeNetworkCmd(network).exec();
        }
        assertEquals(List.of(), leftoverContainers(engine));
    }

    @Test
    void anUnknownNetworkFailsBeforeAnyContainerExists() throws Exception {
        ContainerBuildOptions options = ContainerBuildOptions.builder(TEST_IMAGE).pullPolicy(PullPolicy.NEVER)
                .network(ContainerNetwork.parse("no-such-network-here")).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ContainerWheelBuilder(engine,
                options, Map.of(), new RecordingReporter()).build(request(freshDirectory("unknown-net"), "3.12", null)));
        assertTrue(e.getMessage().startsWith("neuron.network=no-such-network-here: the Docker engine at "), e::getMessage);
        assertTrue(e.getMessage().contains("has no network of that name (it has: default, "), e::getMessage);
        assertTrue(e.getMessage().contains("docker network create no-such-network-here"), e::getMessage);
        assertEquals(List.of(), leftoverContainers(engine));
    }

    @Test
    void beforeAllRunsOncePerContainerAndBeforeBuildPerPythonWithItsPythonFirstOnThePath() throws Exception {
        Path out = freshDirectory("before-steps");
        var reporter = new RecordingReporter();
        ContainerBuildOptions options = ContainerBuildOptions.builder(TEST_IMAGE).pullPolicy(PullPolicy.NEVER)
                .network(ContainerNetwork.NONE).build();
        BuildRequest request = request(out, "", "sh -c \"cat /opt/steps.txt > {outdir}/steps-0-py3-none-any.whl\"")
                .withBeforeSteps(List.of("echo before-all ran in {project} >> /opt/steps.txt", "echo second step"),
                        List.of("python -c 'import sys; print(\"before-build\", sys.version_info[:2])' >> /opt/steps.txt",
                                "{python} -c 'print(\"placeholder python works\")'"));
        List<BuiltWheel> wheels = new ContainerWheelBuilder(engine, options, Map.of(), reporter).build(request);
        assertEquals(List.of("cp310", "cp312"), wheels.stream().map(BuiltWheel::pythonTag).toList());
        assertEquals("before-all ran in /project\nbefore-build (3, 10)", Files.readString(wheels.get(0).file()).strip());
        assertEquals("before-all ran in /project\nbefore-build (3, 10)\nbefore-build (3, 12)",
                Files.readString(wheels.get(1).file()).strip());
        List<String> lines = reporter.lines();
        assertTrue(lines.contains("[INFO] [before-all] second step"), reporter::text);
        assertTrue(lines.contains("[INFO] [cp312] placeholder python works"), reporter::text);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("[INFO] [cp310] before-build step 1 of 2: python -c")),
                reporter::text);
        assertEquals(List.of(), leftoverContainers(engine));
    }

    @Test
    void aFailingBeforeAllNamesTheStepAndLeavesNoContainer() throws Exception {
        BuildRequest request = request(freshDirectory("before-all-fails"), "", null)
                .withBeforeSteps(List.of("true", "echo cannot install bison; exit 7"), List.of());
        BuildFailedException e = assertThrows(BuildFailedException.class, () -> new ContainerWheelBuilder(engine,
                ContainerBuildOptions.builder(TEST_IMAGE).pullPolicy(PullPolicy.NEVER).parallel(2).build(), Map.of(),
                new RecordingReporter()).build(request));
        assertTrue(e.getMessage().startsWith("[before-all] before-all step 2 of 2 (echo cannot install bison; exit 7)"
                + " failed with exit code 7 in image " + TEST_IMAGE), e::getMessage);
        assertTrue(e.logTail().contains("cannot install bison"), e.logTail()::toString);
        assertEquals(List.of(), leftoverContainers(engine));
    }

    @Test
    void aFailingBeforeBuildNamesThePythonAndTheStep() throws Exception {
        BuildRequest request = request(freshDirectory("before-build-fails"), "3.12", null)
                .withBeforeSteps(List.of(), List.of("{python} -m pip install no-such-requirement-anywhere"));
        BuildFailedException e = assertThrows(BuildFailedException.class, () -> new ContainerWheelBuilder(engine,
                ContainerBuildOptions.builder(TEST_IMAGE).pullPolicy(PullPolicy.NEVER).network(ContainerNetwork.NONE)
                        .build(), Map.of(), new RecordingReporter()).build(request));
        assertTrue(e.getMessage().startsWith("[cp312] before-build step 1 of 1 (/opt/python/cp312-cp312/bin/python -m pip"
                + " install no-such-requirement-anywhere) failed with exit code 1"), e::getMessage);
        assertEquals(List.of(), leftoverContainers(engine));
    }

    @Test
    void buildAndSkipSelectorsChooseByIdentifierAndTheLogSaysWhy() throws Exception {
        Path out = freshDirectory("selection");
        var reporter = new RecordingReporter();
        BuildRequest request = request(out, "", null)
                .withSelection(BuildSelection.of(List.of("cp3*-manylinux_x86_64"), List.of("cp310-*"), List.of()));
        List<BuiltWheel> wheels = new ContainerWheelBuilder(engine, ContainerBuildOptions.builder(TEST_IMAGE)
                .pullPolicy(PullPolicy.NEVER).network(ContainerNetwork.NONE).build(), Map.of(), reporter).build(request);
        assertEquals(List.of("cp312"), wheels.stream().map(BuiltWheel::pythonTag).toList());
        assertTrue(reporter.lines().contains("[INFO] skipping cp310-manylinux_x86_64 (/opt/python/cp310-cp310/bin/python):"
                + " matches the skip selector cp310-*"), reporter::text);
        assertTrue(reporter.text().contains("building cp312-manylinux_x86_64"), reporter::text);

        IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class, () -> new ContainerWheelBuilder(
                engine, ContainerBuildOptions.builder(TEST_IMAGE).pullPolicy(PullPolicy.NEVER).build(), Map.of(),
                new RecordingReporter()).build(request.withSelection(BuildSelection.of(List.of("*musllinux*"), List.of(),
                List.of()))));
        assertTrue(nothing.getMessage().contains("matches no interpreter in image " + TEST_IMAGE + " (it has: cp310, cp312)"),
                nothing::getMessage);
        assertTrue(nothing.getMessage().contains("cp310-manylinux_x86_64: matches no build selector (*musllinux*)"),
                nothing::getMessage);
        assertEquals(List.of(), leftoverContainers(engine));
    }

    @Test
    void aRepairCommandRunsOnEachWheelAndItsOutputIsTheResult() throws Exception {
        Path out = freshDirectory("repair-command");
        var reporter = new RecordingReporter();
        BuildRequest request = request(out, "3.12", null).withRepairCommand(
                "cp {wheel} {dest_dir}/hello_ctr-0.3.0-cp312-cp312-manylinux_2_36_x86_64.whl && echo repaired {wheel}");
        List<BuiltWheel> wheels = new ContainerWheelBuilder(engine, ContainerBuildOptions.builder(TEST_IMAGE)
                .pullPolicy(PullPolicy.NEVER).build(), Map.of(), reporter).build(request);
        assertEquals(1, wheels.size());
        assertEquals("hello_ctr-0.3.0-cp312-cp312-manylinux_2_36_x86_64.whl", wheels.get(0).file().getFileName().toString());
        assertTrue(reporter.text().contains("[cp312] repaired /neuron-wheel/out/cp312/hello_ctr-0.3.0-cp312-cp312-linux_x86_64.whl"),
                reporter::text);

        BuildFailedException failed = assertThrows(BuildFailedException.class, () -> new ContainerWheelBuilder(engine,
                ContainerBuildOptions.builder(TEST_IMAGE).pullPolicy(PullPolicy.NEVER).build(), Map.of(),
                new RecordingReporter()).build(request.withRepairCommand("auditwheel repair -w {dest_dir} {wheel}")));
        assertTrue(failed.getMessage().startsWith("[cp312] repair command (auditwheel repair -w /neuron-wheel/repaired/cp312"),
                failed::getMessage);
        assertEquals(List.of(), leftoverContainers(engine));
    }

    @Test
    void passedGlobsAssignmentsAndThePipCacheReachTheBuild() throws Exception {
        Path out = freshDirectory("environment-steps");
        Path pipCache = out.resolve("pip-cache");
        var reporter = new RecordingReporter();
        ContainerBuildOptions options = ContainerBuildOptions.builder(TEST_IMAGE).pullPolicy(PullPolicy.NEVER)
                .passEnvironment(List.of("PIP_*", "NOT_SET_ANYWHERE")).pipCache(pipCache.toString()).build();
        String report = "sh -c \"echo $PIP_INDEX_URL $PIP_TRUSTED_HOST $OTHER $PIP_CACHE_DIR $PREFIX $INCLUDE"
                + " ${NOT_SET_ANYWHERE-unset} > {outdir}/env-0-py3-none-any.whl; touch $PIP_CACHE_DIR/written\"";
        BuildRequest request = request(out, "3.10", report).withAssignments(
                EnvironmentAssignments.parse("PREFIX=/opt/dep INCLUDE=$PREFIX/include:$HOME"));
        List<BuiltWheel> wheels = new ContainerWheelBuilder(engine, options, Map.of("PIP_INDEX_URL",
                "http://127.0.0.1:9/simple", "PIP_TRUSTED_HOST", "127.0.0.1", "OTHER", "not passed"), reporter)
                .build(request);
        assertEquals("http://127.0.0.1:9/simple 127.0.0.1 " + ContainerWheelBuilder.PIP_CACHE_PATH
                + " /opt/dep /opt/dep/include:/root unset", Files.readString(wheels.get(0).file()).strip());
        assertTrue(Files.exists(pipCache.resolve("written")), "the pip cache is the host folder");
        assertFalse(reporter.text().contains("127.0.0.1:9"), "variable values stay out of the log");
        assertEquals(List.of(), leftoverContainers(engine));
    }
}
