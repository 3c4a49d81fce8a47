package org.neuronsimulator.wheel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.codehaus.plexus.util.xml.Xpp3DomBuilder;
import org.junit.jupiter.api.Test;

/**
 * One property, one value across goals: where several goals read the same {@code -D} property (the wheelhouse the
 * wheel goal writes and the test and upload goals read, the excludes the audit and wheel goals apply), the generated
 * plugin descriptor gives it the same default and type in each, so one command line configures them all alike.
 */
class SharedPropertiesTest {

    @Test
    void aPropertyReadBySeveralGoalsHasOneDefaultAndOneType() throws Exception {
        Path descriptor = Path.of("target/classes/META-INF/maven/plugin.xml");
        assertTrue(Files.isRegularFile(descriptor), "the plugin descriptor is generated before the tests");
        Xpp3Dom plugin;
        try (Reader reader = Files.newBufferedReader(descriptor)) {
            plugin = Xpp3DomBuilder.build(reader);
        }
        Map<String, Set<String>> declarations = new TreeMap<>();
        Map<String, List<String>> goals = new TreeMap<>();
        for (Xpp3Dom mojo : plugin.getChild("mojos").getChildren("mojo")) {
            Xpp3Dom configuration = mojo.getChild("configuration");
            if (configuration == null) {
                continue;
            }
            for (Xpp3Dom parameter : configuration.getChildren()) {
                String value = parameter.getValue();
                if (value == null || !value.startsWith("${neuron.")) {
                    continue;
                }
                String property = value.substring(2, value.length() - 1);
                declarations.computeIfAbsent(property, p -> new TreeSet<>()).add(parameter.getAttribute("implementation")
                        + " default " + parameter.getAttribute("default-value"));
                goals.computeIfAbsent(property, p -> new ArrayList<>()).add(mojo.getChild("goal").getValue());
            }
        }
        List<String> differing = new ArrayList<>();
        declarations.forEach((property, kinds) -> {
            if (kinds.size() > 1) {
                differing.add(property + " in " + goals.get(property) + ": " + kinds);
            }
        });
        assertEquals(List.of(), differing);
        assertTrue(goals.get("neuron.wheelhouse").containsAll(List.of("wheel", "test", "upload")), goals::toString);
        assertEquals(7, goals.get("neuron.skip").size(), goals::toString); // every goal but help
    }
}
