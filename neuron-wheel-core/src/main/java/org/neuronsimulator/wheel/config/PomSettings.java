package org.neuronsimulator.wheel.config;

import java.util.List;
import java.util.Map;

/**
 * The values a pom (or the command line) gives for the settings {@code [tool.cibuildwheel]} can also
 * give; null, blank and empty count as not given. Each goal fills in what it has.
 */
public final class PomSettings {

    String image;
    List<String> buildPatterns;
    List<String> skipPatterns;
    List<String> enable;
    List<String> passEnvironment;
    Map<String, String> environment;
    List<String> beforeAll;
    List<String> beforeBuild;
    String buildFrontend;
    String network;
    String dockerHost;
    List<String> excludes;
    String platform;
    String repairCommand;
    Boolean repairSkip;
    List<String> testRequirements;
    List<String> testCommands;
    String testImage;

    public PomSettings image(String value) {
        image = value;
        return this;
    }

    public PomSettings buildPatterns(List<String> value) {
        buildPatterns = value;
        return this;
    }

    public PomSettings skipPatterns(List<String> value) {
        skipPatterns = value;
        return this;
    }

    public PomSettings enable(List<String> value) {
        enable = value;
        return this;
    }

    public PomSettings passEnvironment(List<String> value) {
        passEnvironment = value;
        return this;
    }

    public PomSettings environment(Map<String, String> value) {
        environment = value;
        return this;
    }

    public PomSettings beforeAll(List<String> value) {
        beforeAll = value;
        return this;
    }

    public PomSettings beforeBuild(List<String> value) {
        beforeBuild = value;
        return this;
    }

    public PomSettings buildFrontend(String value) {
        buildFrontend = value;
        return this;
    }

    public PomSettings network(String value) {
        network = value;
        return this;
    }

    public PomSettings dockerHost(String value) {
        dockerHost = value;
        return this;
    }

    public PomSettings excludes(List<String> value) {
        excludes = value;
        return this;
    }

    public PomSettings platform(String value) {
        platform = value;
        return this;
    }

    public PomSettings repairCommand(String value) {
        repairCommand = value;
        return this;
    }

    public PomSettings repairSkip(Boolean value) {
        repairSkip = value;
        return this;
    }

    public PomSettings testRequirements(List<String> value) {
        testRequirements = value;
        return this;
    }

    public PomSettings testCommands(List<String> value) {
        testCommands = value;
        return this;
    }

    public PomSettings testImage(String value) {
        testImage = value;
        return this;
    }
}
