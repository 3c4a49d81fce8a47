package org.neuronsimulator.wheel.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.neuronsimulator.wheel.builder.BuildCommand;
import org.neuronsimulator.wheel.builder.BuildFrontend;
import org.neuronsimulator.wheel.builder.BuildSelection;
import org.neuronsimulator.wheel.builder.EnvironmentAssignments;
import org.neuronsimulator.wheel.builder.container.ContainerNetwork;

/**
 * The plugin's effective settings for a project: each one from the pom when it gives it, else from the
 * project's {@code [tool.cibuildwheel]} (with the platform table on top), else the default, and each
 * with where it came from. Projects configured for cibuildwheel thereby build with no pom settings.
 */
public final class ProjectSettings {

    /** cibuildwheel options the plugin reads, besides the image options {@code manylinux-<arch>-image} and {@code musllinux-<arch>-image}. */
    public static final Set<String> MAPPED = Set.of("build", "skip", "enable", "free-threaded-support", "environment",
            "environment-pass", "before-all", "before-build", "build-frontend", "container-engine",
            "repair-wheel-command", "test-requires", "test-command");
    /** cibuildwheel options the plugin knows but has no counterpart for; they are reported and ignored. */
    public static final Set<String> UNSUPPORTED = Set.of("archs", "build-verbosity", "config-settings", "dependency-versions",
            "before-test", "test-sources", "test-extras", "test-groups", "test-skip", "test-environment", "overrides",
            "xbuild-tools", "pyodide-version", "audit-requires", "audit-command", "allow-empty", "platform",
            "output-dir", "project-requires-python");
    private static final Pattern IMAGE_KEY = Pattern.compile("(manylinux|musllinux)-(pypy_)?[a-z0-9_]+-image");
    /** Values of the image options that name a pinned official image rather than an image reference. */
    private static final Pattern SHORT_IMAGE = Pattern.compile(
            "manylinux(1|2010|2014|_2_(24|28|31|34|35|39))|musllinux_1_[12]");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(token|password|passwd|secret|credential|_key|apikey).*");

    private final Setting<String> image;
    private final Setting<List<String>> buildPatterns;
    private final Setting<List<String>> skipPatterns;
    private final Setting<List<String>> enable;
    private final Setting<List<String>> passEnvironment;
    private final Setting<Map<String, String>> environment;
    private final Setting<EnvironmentAssignments> assignments;
    private final Setting<List<String>> beforeAll;
    private final Setting<List<String>> beforeBuild;
    private final Setting<BuildFrontend> buildFrontend;
    private final Setting<ContainerNetwork> network;
    private final Setting<String> dockerHost;
    private final Setting<List<String>> excludes;
    private final Setting<String> platform;
    private final Setting<String> repairCommand;
    private final Setting<Boolean> repairSkip;
    private final Setting<List<String>> testRequirements;
    private final Setting<List<String>> testCommands;
    private final Setting<String> testImage;
    private final BuildSelection selection;
    private final List<String> warnings;

    private ProjectSettings(Builder b) {
        image = b.image;
        buildPatterns = b.buildPatterns;
        skipPatterns = b.skipPatterns;
        enable = b.enable;
        passEnvironment = b.passEnvironment;
        environment = b.environment;
        assignments = b.assignments;
        beforeAll = b.beforeAll;
        beforeBuild = b.beforeBuild;
        buildFrontend = b.buildFrontend;
        network = b.network;
        dockerHost = b.dockerHost;
        excludes = b.excludes;
        platform = b.platform;
        repairCommand = b.repairCommand;
        repairSkip = b.repairSkip;
        testRequirements = b.testRequirements;
        testCommands = b.testCommands;
        testImage = b.testImage;
        selection = b.selection;
        warnings = List.copyOf(b.warnings);
    }

    /**
     * Merges the pom's values with the project's {@code [tool.cibuildwheel]}.
     *
     * @param pom             what the pom and command line give
     * @param table           the project's table for the platform being built
     * @param architecture    the machine of the builds ({@code x86_64}, {@code aarch64}, ...): which image option applies
     * @param hostEnvironment the host's variables (a Podman socket is looked for through them)
     * @throws ProjectConfigurationException naming the file and key of a value that is not understood
     */
    public static ProjectSettings resolve(PomSettings pom, CibuildwheelTable table, String architecture,
                                          Map<String, String> hostEnvironment) throws ProjectConfigurationException {
        Builder b = new Builder();
        for (String key : table.keys()) {
            if (UNSUPPORTED.contains(key)) {
                b.warnings.add(table.entry(key).orElseThrow().where(table.file())
                        + " has no counterpart in neuron-wheel-maven-plugin and is ignored");
            } else if (!MAPPED.contains(key) && !IMAGE_KEY.matcher(key).matches()) {
                b.warnings.add(table.entry(key).orElseThrow().where(table.file())
                        + " is not a cibuildwheel option and is ignored");
            }
        }

        b.buildPatterns = list("neuron.buildPatterns", pom.buildPatterns, table.strings("build"), List.of());
        b.skipPatterns = list("neuron.skipPatterns", pom.skipPatterns, table.strings("skip"), List.of());
        b.enable = enable(pom, table);
        b.selection = selection(b, table);
        b.image = image(pom, table, architecture, b.selection);
        b.passEnvironment = list("neuron.passEnv", names(pom.passEnvironment), table.strings("environment-pass")
                .map(v -> new CibuildwheelTable.Value<>(words(v.value()), v.source())), List.of());
        environment(pom, table, b);
        b.beforeAll = list("neuron.beforeAll", pom.beforeAll, table.strings("before-all"), List.of());
        b.beforeBuild = list("neuron.beforeBuild", pom.beforeBuild, table.strings("before-build"), List.of());
        b.buildFrontend = frontend(pom, table);
        containerEngine(pom, table, hostEnvironment, b);
        repair(pom, table, b);
        b.testRequirements = list("neuron.test.requirements", pom.testRequirements, table.strings("test-requires")
                .map(v -> new CibuildwheelTable.Value<>(words(v.value()), v.source())), List.of());
        b.testCommands = list("<commands>", pom.testCommands, table.strings("test-command"), List.of());
        if (Setting.isGiven(pom.testImage)) {
            b.testImage = Setting.pom("neuron.test.image", pom.testImage.strip());
        } else if (b.image.isSet() && image(new PomSettings(), table, architecture, b.selection).isSet()) {
            // the project builds in containers as cibuildwheel does, so it is tested in the build image as there
            b.testImage = new Setting<>("neuron.test.image", b.image.value(), b.image.origin(),
                    b.image.source() + " (the build image: pyproject.toml names one, tests run in it)");
        } else {
            b.testImage = Setting.defaulted("neuron.test.image", null);
        }
        return new ProjectSettings(b);
    }

    /**
     * Reads {@code <projectDirectory>/pyproject.toml} for the platform being built and merges it with the pom's
     * values: the {@code linux} table for container builds and Linux hosts, the {@code macos} table for host
     * builds on macOS.
     *
     * @param dockerPlatform {@code neuron.docker.platform}, which chooses the architecture of the image option
     * @throws ProjectConfigurationException naming the file and key of a value that is not understood
     */
    public static ProjectSettings load(Path projectDirectory, PomSettings pom, String dockerPlatform,
                                       Map<String, String> hostEnvironment) throws ProjectConfigurationException {
        boolean macHost = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
        CibuildwheelTable.Platform platform = macHost && !Setting.isGiven(pom.image)
                ? CibuildwheelTable.Platform.MACOS : CibuildwheelTable.Platform.LINUX;
        CibuildwheelTable table = CibuildwheelTable.read(projectDirectory.resolve("pyproject.toml"), platform);
        return resolve(pom, table, architecture(dockerPlatform, System.getProperty("os.arch", "amd64")),
                hostEnvironment);
    }

    /** Settings of a project without {@code [tool.cibuildwheel]}: the pom's values and the defaults. */
    public static ProjectSettings fromPom(PomSettings pom) {
        try {
            return resolve(pom, CibuildwheelTable.empty(Path.of("pyproject.toml"), CibuildwheelTable.Platform.LINUX),
                    "x86_64", Map.of());
        } catch (ProjectConfigurationException e) {
            throw new IllegalStateException("an empty table cannot be wrong", e);
        }
    }

    private static Setting<List<String>> list(String property, List<String> pomValue,
                                              Optional<CibuildwheelTable.Value<List<String>>> pyproject,
                                              List<String> fallback) {
        List<String> given = pomValue == null ? List.of() : pomValue.stream()
                .filter(v -> v != null && !v.isBlank()).map(String::strip).toList();
        if (!given.isEmpty()) {
            return Setting.pom(property, given);
        }
        if (pyproject.isPresent()) {
            return new Setting<>(property, pyproject.get().value(), Origin.PYPROJECT, pyproject.get().source());
        }
        return Setting.defaulted(property, fallback);
    }

    /** Comma-separated items of a list property, each stripped. */
    private static List<String> names(List<String> values) {
        if (values == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (String value : values) {
            if (value != null) {
                for (String item : value.split(",")) {
                    if (!item.isBlank()) {
                        names.add(item.strip());
                    }
                }
            }
        }
        return names;
    }

    /** cibuildwheel's space-separated string form, item by item. */
    private static List<String> words(List<String> items) {
        List<String> words = new ArrayList<>();
        for (String item : items) {
            for (String word : item.strip().split("\\s+")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        return words;
    }

    private static Setting<List<String>> enable(PomSettings pom, CibuildwheelTable table)
            throws ProjectConfigurationException {
        Setting<List<String>> setting = list("neuron.enable", pom.enable, table.strings("enable")
                .map(v -> new CibuildwheelTable.Value<>(words(v.value()), v.source())), List.of());
        Optional<CibuildwheelTable.Value<Boolean>> freeThreaded = table.bool("free-threaded-support");
        if (setting.origin() != Origin.POM && freeThreaded.isPresent() && freeThreaded.get().value()) {
            List<String> groups = new ArrayList<>(setting.value());
            groups.add(BuildSelection.Group.CPYTHON_FREETHREADING.word());
            String source = setting.origin() == Origin.PYPROJECT ? setting.source() + ", " + freeThreaded.get().source()
                    : freeThreaded.get().source();
            return new Setting<>("neuron.enable", List.copyOf(groups), Origin.PYPROJECT, source);
        }
        return setting;
    }

    private static BuildSelection selection(Builder b, CibuildwheelTable table) throws ProjectConfigurationException {
        try {
            BuildSelection.of(b.buildPatterns.value(), List.of(), List.of());
        } catch (IllegalArgumentException e) {
            throw failure(b.buildPatterns, table, e);
        }
        try {
            BuildSelection.of(List.of(), b.skipPatterns.value(), List.of());
        } catch (IllegalArgumentException e) {
            throw failure(b.skipPatterns, table, e);
        }
        try {
            return BuildSelection.of(b.buildPatterns.value(), b.skipPatterns.value(), b.enable.value());
        } catch (IllegalArgumentException e) {
            throw failure(b.enable, table, e);
        }
    }

    private static ProjectConfigurationException failure(Setting<?> setting, CibuildwheelTable table,
                                                         IllegalArgumentException e) {
        String where = setting.property();
        if (setting.origin() == Origin.PYPROJECT) { // the source, with the file's whole path
            where = table.file() + setting.source().substring(table.file().getFileName().toString().length());
        }
        return new ProjectConfigurationException(where + ": " + e.getMessage(), e);
    }

    /**
     * The image: the pom's, else the project's manylinux image for the architecture, else its musllinux one
     * (also when the skip selectors leave no manylinux build).
     */
    private static Setting<String> image(PomSettings pom, CibuildwheelTable table, String architecture,
                                         BuildSelection selection) throws ProjectConfigurationException {
        if (Setting.isGiven(pom.image)) {
            return Setting.pom("neuron.image", imageReference(pom.image.strip(), architecture));
        }
        if (table.platform() != CibuildwheelTable.Platform.LINUX) {
            return Setting.defaulted("neuron.image", null); // cibuildwheel builds other platforms on the host
        }
        Optional<CibuildwheelTable.Value<String>> manylinux = table.string("manylinux-" + architecture + "-image");
        Optional<CibuildwheelTable.Value<String>> musllinux = table.string("musllinux-" + architecture + "-image");
        boolean manylinuxBuilt = selection.selects(new org.neuronsimulator.wheel.builder.BuildIdentifier("cp312",
                "manylinux_" + architecture));
        Optional<CibuildwheelTable.Value<String>> chosen = manylinux.isPresent() && (manylinuxBuilt || musllinux.isEmpty())
                ? manylinux : musllinux;
        if (chosen.isEmpty() || chosen.get().value().isBlank()) {
            return Setting.defaulted("neuron.image", null);
        }
        return new Setting<>("neuron.image", imageReference(chosen.get().value().strip(), architecture), Origin.PYPROJECT,
                chosen.get().source());
    }

    /**
     * An image option's value as an image reference: the pinned names of the official images
     * ({@code manylinux2014}, {@code manylinux_2_28}, {@code musllinux_1_2}, ...) become
     * {@code quay.io/pypa/<name>_<architecture>}; anything else is taken as it is.
     */
    public static String imageReference(String value, String architecture) {
        return SHORT_IMAGE.matcher(value).matches() ? "quay.io/pypa/" + value + "_" + architecture : value;
    }

    /**
     * The architecture of the builds: that of {@code neuron.docker.platform} ({@code linux/arm64}), else the
     * JVM's ({@code amd64}), in the spelling of manylinux image names ({@code aarch64}, {@code x86_64}).
     */
    public static String architecture(String dockerPlatform, String osArch) {
        String arch = dockerPlatform != null && !dockerPlatform.isBlank()
                ? dockerPlatform.strip().replaceFirst("^[a-z]+/", "") : osArch;
        return switch (arch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64" -> "x86_64";
            case "arm64", "aarch64", "arm64/v8" -> "aarch64";
            case "386", "i386", "i686", "x86" -> "i686";
            case "arm/v7", "armv7l", "arm" -> "armv7l";
            case "ppc64le", "ppc64el" -> "ppc64le";
            default -> arch.toLowerCase(Locale.ROOT);
        };
    }

    private static void environment(PomSettings pom, CibuildwheelTable table, Builder b)
            throws ProjectConfigurationException {
        if (Setting.isGiven(pom.environment)) {
            b.environment = Setting.pom("<environment>", Map.copyOf(pom.environment));
            b.assignments = new Setting<>("<environment>", EnvironmentAssignments.NONE, Origin.POM,
                    "pom (<environment>)");
            return;
        }
        b.environment = Setting.defaulted("<environment>", Map.of());
        Optional<CibuildwheelTable.Value<Object>> value = table.stringOrTable("environment");
        if (value.isEmpty()) {
            b.assignments = Setting.defaulted("<environment>", EnvironmentAssignments.NONE);
            return;
        }
        CibuildwheelTable.Entry entry = table.entry("environment").orElseThrow();
        try {
            EnvironmentAssignments parsed;
            if (value.get().value() instanceof String text) {
                parsed = EnvironmentAssignments.parse(text);
            } else {
                Map<String, String> values = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> item : table.table(entry).entrySet()) {
                    if (!item.getValue().isTextual()) {
                        throw new ProjectConfigurationException(entry.located(table.file()) + "." + item.getKey()
                                + " must be a string");
                    }
                    values.put(item.getKey(), item.getValue().asText());
                }
                parsed = EnvironmentAssignments.of(values);
            }
            b.assignments = new Setting<>("<environment>", parsed, Origin.PYPROJECT, value.get().source());
        } catch (IllegalArgumentException e) {
            throw table.invalid(entry, e.getMessage());
        }
    }

    private static Setting<BuildFrontend> frontend(PomSettings pom, CibuildwheelTable table)
            throws ProjectConfigurationException {
        if (Setting.isGiven(pom.buildFrontend)) {
            try {
                return Setting.pom("neuron.buildFrontend", BuildFrontend.parse(pom.buildFrontend));
            } catch (IllegalArgumentException e) {
                throw new ProjectConfigurationException("neuron.buildFrontend: " + e.getMessage(), e);
            }
        }
        Optional<CibuildwheelTable.Value<Object>> value = table.stringOrTable("build-frontend");
        if (value.isEmpty()) {
            return Setting.defaulted("neuron.buildFrontend", BuildFrontend.PIP);
        }
        CibuildwheelTable.Entry entry = table.entry("build-frontend").orElseThrow();
        try {
            BuildFrontend frontend;
            if (value.get().value() instanceof String text) {
                frontend = BuildFrontend.parse(text);
            } else {
                Map<String, JsonNode> fields = table.table(entry);
                JsonNode name = fields.get("name");
                if (name == null || !name.isTextual()) {
                    throw table.invalid(entry, "the table needs a string 'name' (pip or build)");
                }
                List<String> arguments = new ArrayList<>();
                JsonNode args = fields.get("args");
                if (args != null) {
                    if (args.isTextual()) {
                        arguments.addAll(BuildCommand.parse(args.asText()).template());
                    } else {
                        args.forEach(a -> arguments.add(a.asText()));
                    }
                }
                frontend = new BuildFrontend(name.asText().strip().toLowerCase(Locale.ROOT), arguments);
            }
            return new Setting<>("neuron.buildFrontend", frontend, Origin.PYPROJECT, value.get().source());
        } catch (IllegalArgumentException e) {
            throw table.invalid(entry, e.getMessage());
        }
    }

    /**
     * The network from the pom, else from {@code container-engine}'s {@code create-args}
     * ({@code --network=host}); a {@code podman} engine points the Docker connection at Podman's socket
     * when neither the pom nor {@code DOCKER_HOST} names an engine.
     */
    private static void containerEngine(PomSettings pom, CibuildwheelTable table, Map<String, String> hostEnvironment,
                                        Builder b) throws ProjectConfigurationException {
        Optional<CibuildwheelTable.Value<Object>> value = table.stringOrTable("container-engine");
        String engineName = null;
        List<String> createArgs = new ArrayList<>();
        if (value.isPresent()) {
            CibuildwheelTable.Entry entry = table.entry("container-engine").orElseThrow();
            if (value.get().value() instanceof String text) {
                String[] parts = text.split(";");
                engineName = parts[0].strip();
                for (int i = 1; i < parts.length; i++) {
                    String option = parts[i].strip();
                    if (option.startsWith("create_args:")) {
                        createArgs.addAll(BuildCommand.splitWordsOf(option.substring("create_args:".length())));
                    }
                }
            } else {
                Map<String, JsonNode> fields = table.table(entry);
                JsonNode name = fields.get("name");
                if (name == null || !name.isTextual()) {
                    throw table.invalid(entry, "the table needs a string 'name' (docker or podman)");
                }
                engineName = name.asText().strip();
                JsonNode args = fields.getOrDefault("create-args", fields.get("create_args"));
                if (args != null) {
                    if (args.isTextual()) {
                        createArgs.addAll(BuildCommand.splitWordsOf(args.asText()));
                    } else {
                        args.forEach(a -> createArgs.add(a.asText()));
                    }
                }
            }
            if (!engineName.equals("docker") && !engineName.equals("podman")) {
                throw table.invalid(entry, "'" + engineName + "' is not docker or podman");
            }
        }
        String pyprojectNetwork = null;
        for (int i = 0; i < createArgs.size(); i++) {
            String arg = createArgs.get(i);
            if ((arg.equals("--network") || arg.equals("--net")) && i + 1 < createArgs.size()) {
                pyprojectNetwork = createArgs.get(i + 1);
            } else if (arg.startsWith("--network=") || arg.startsWith("--net=")) {
                pyprojectNetwork = arg.substring(arg.indexOf('=') + 1);
            }
        }
        if (Setting.isGiven(pom.network)) {
            try {
                b.network = Setting.pom("neuron.network", ContainerNetwork.parse(pom.network));
            } catch (IllegalArgumentException e) {
                throw new ProjectConfigurationException(e.getMessage(), e);
            }
        } else if (pyprojectNetwork != null) {
            try {
                b.network = new Setting<>("neuron.network", ContainerNetwork.parse(pyprojectNetwork), Origin.PYPROJECT,
                        value.orElseThrow().source() + " (create-args)");
            } catch (IllegalArgumentException e) {
                throw table.invalid(table.entry("container-engine").orElseThrow(), e.getMessage());
            }
        } else {
            b.network = Setting.defaulted("neuron.network", ContainerNetwork.DEFAULT);
        }
        if (Setting.isGiven(pom.dockerHost)) {
            b.dockerHost = Setting.pom("neuron.docker.host", pom.dockerHost.strip());
        } else if ("podman".equals(engineName) && !Setting.isGiven(hostEnvironment.get("DOCKER_HOST"))) {
            String runtime = hostEnvironment.get("XDG_RUNTIME_DIR");
            boolean root = "root".equals(hostEnvironment.getOrDefault("USER", System.getProperty("user.name")));
            String socket = root || !Setting.isGiven(runtime) ? "unix:///run/podman/podman.sock"
                    : "unix://" + runtime + "/podman/podman.sock";
            b.dockerHost = new Setting<>("neuron.docker.host", socket, Origin.PYPROJECT,
                    value.orElseThrow().source() + " (Podman's API socket)");
        } else {
            b.dockerHost = Setting.defaulted("neuron.docker.host", null);
        }
    }

    private static void repair(PomSettings pom, CibuildwheelTable table, Builder b)
            throws ProjectConfigurationException {
        Optional<CibuildwheelTable.Value<List<String>>> value = table.strings("repair-wheel-command");
        RepairCommand parsed = value.map(v -> RepairCommand.parse(v.value())).orElse(null);
        String source = value.map(CibuildwheelTable.Value::source).orElse(null);
        List<String> pomExcludes = names(pom.excludes);
        if (Setting.isGiven(pomExcludes)) {
            b.excludes = Setting.pom("neuron.exclude", pomExcludes);
        } else if (parsed != null && !parsed.excludes().isEmpty()) {
            b.excludes = new Setting<>("neuron.exclude", parsed.excludes(), Origin.PYPROJECT, source);
        } else {
            b.excludes = Setting.defaulted("neuron.exclude", List.of());
        }
        if (Setting.isGiven(pom.platform)) {
            b.platform = Setting.pom("neuron.platform", pom.platform.strip());
        } else if (parsed != null && parsed.platform() != null) {
            b.platform = new Setting<>("neuron.platform", parsed.platform(), Origin.PYPROJECT, source);
        } else {
            b.platform = Setting.defaulted("neuron.platform", null);
        }
        if (Setting.isGiven(pom.repairCommand)) {
            b.repairCommand = Setting.pom("neuron.repairCommand", pom.repairCommand.strip());
        } else if (parsed != null && !parsed.command().isEmpty()) {
            b.repairCommand = new Setting<>("neuron.repairCommand", parsed.command(), Origin.PYPROJECT, source);
        } else {
            b.repairCommand = Setting.defaulted("neuron.repairCommand", "");
        }
        if (pom.repairSkip != null) {
            b.repairSkip = Setting.pom("neuron.repair.skip", pom.repairSkip);
        } else if (b.repairCommand.isSet()) {
            b.repairSkip = new Setting<>("neuron.repair.skip", true, b.repairCommand.origin(),
                    b.repairCommand.source() + " (the build ran the repair command)");
        } else if (parsed != null && parsed.skip()) {
            b.repairSkip = new Setting<>("neuron.repair.skip", true, Origin.PYPROJECT, source + " (empty: no repair)");
        } else {
            b.repairSkip = Setting.defaulted("neuron.repair.skip", false);
        }
    }

    public Setting<String> image() {
        return image;
    }

    public Setting<List<String>> buildPatterns() {
        return buildPatterns;
    }

    public Setting<List<String>> skipPatterns() {
        return skipPatterns;
    }

    public Setting<List<String>> enable() {
        return enable;
    }

    /** The build selection made of build, skip and enable. */
    public BuildSelection selection() {
        return selection;
    }

    public Setting<List<String>> passEnvironment() {
        return passEnvironment;
    }

    /** The pom's {@code <environment>}, taken as it is. */
    public Setting<Map<String, String>> environment() {
        return environment;
    }

    /** The project's {@code environment} assignments, used when the pom has no {@code <environment>}. */
    public Setting<EnvironmentAssignments> assignments() {
        return assignments;
    }

    public Setting<List<String>> beforeAll() {
        return beforeAll;
    }

    public Setting<List<String>> beforeBuild() {
        return beforeBuild;
    }

    public Setting<BuildFrontend> buildFrontend() {
        return buildFrontend;
    }

    public Setting<ContainerNetwork> network() {
        return network;
    }

    public Setting<String> dockerHost() {
        return dockerHost;
    }

    public Setting<List<String>> excludes() {
        return excludes;
    }

    public Setting<String> platform() {
        return platform;
    }

    public Setting<String> repairCommand() {
        return repairCommand;
    }

    public Setting<Boolean> repairSkip() {
        return repairSkip;
    }

    public Setting<List<String>> testRequirements() {
        return testRequirements;
    }

    public Setting<List<String>> testCommands() {
        return testCommands;
    }

    public Setting<String> testImage() {
        return testImage;
    }

    /** Options of the file that are ignored, one sentence each. */
    public List<String> warnings() {
        return warnings;
    }

    /** Every setting, in the order the config goal prints them. */
    public List<Setting<?>> all() {
        Setting<?> env = environment.isSet() ? environment : assignments;
        return List.of(image, buildPatterns, skipPatterns, enable, network, dockerHost, passEnvironment, env,
                beforeAll, beforeBuild, buildFrontend, repairCommand, excludes, platform, repairSkip, testImage,
                testRequirements, testCommands);
    }

    /** One line per setting the project's pyproject.toml gives: {@code property = value (from source)}. */
    public List<String> describeFromPyproject() {
        return describeFromPyproject(all());
    }

    /** {@link #describeFromPyproject()} for some settings only. */
    public static List<String> describeFromPyproject(List<Setting<?>> settings) {
        List<String> lines = new ArrayList<>();
        for (Setting<?> setting : settings) {
            if (setting.origin() == Origin.PYPROJECT) {
                lines.add(setting.property() + " = " + display(setting) + " (from " + setting.source() + ")");
            }
        }
        return lines;
    }

    /** A table of the effective settings, one per line: property, value, origin; secret-looking values hidden. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        int width = 0;
        for (Setting<?> setting : all()) {
            width = Math.max(width, setting.property().length());
        }
        for (Setting<?> setting : all()) {
            lines.add(String.format("%-" + width + "s  %s  <- %s", setting.property(), display(setting),
                    setting.source()));
        }
        return lines;
    }

    private static String display(Setting<?> setting) {
        Object value = setting.value();
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            List<String> items = new ArrayList<>();
            map.forEach((k, v) -> items.add(k + "=" + (SECRET_NAME.matcher(String.valueOf(k)).matches() ? "***" : v)));
            return String.join(", ", items);
        }
        if (value instanceof EnvironmentAssignments env) {
            if (env.isEmpty()) {
                return "(none)";
            }
            List<String> items = new ArrayList<>();
            for (EnvironmentAssignments.Assignment a : env.assignments()) {
                items.add(SECRET_NAME.matcher(a.name()).matches() ? a.name() + "=***" : a.toString());
            }
            return String.join(" ", items);
        }
        return setting.display();
    }

    private static final class Builder {
        Setting<String> image;
        Setting<List<String>> buildPatterns;
        Setting<List<String>> skipPatterns;
        Setting<List<String>> enable;
        Setting<List<String>> passEnvironment;
        Setting<Map<String, String>> environment;
        Setting<EnvironmentAssignments> assignments;
        Setting<List<String>> beforeAll;
        Setting<List<String>> beforeBuild;
        Setting<BuildFrontend> buildFrontend;
        Setting<ContainerNetwork> network;
        Setting<String> dockerHost;
        Setting<List<String>> excludes;
        Setting<String> platform;
        Setting<String> repairCommand;
        Setting<Boolean> repairSkip;
        Setting<List<String>> testRequirements;
        Setting<List<String>> testCommands;
        Setting<String> testImage;
        BuildSelection selection;
        final List<String> warnings = new ArrayList<>();
    }
}
