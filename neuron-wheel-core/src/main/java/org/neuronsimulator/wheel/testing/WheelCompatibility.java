package org.neuronsimulator.wheel.testing;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.neuronsimulator.wheel.builder.PythonInterpreter;
import org.neuronsimulator.wheel.model.Tag;
import org.neuronsimulator.wheel.model.WheelFileName;

/** Whether an interpreter can install a wheel, judged by the wheel's filename tags. */
final class WheelCompatibility {

    private WheelCompatibility() {
    }

    /**
     * The wheel's expanded tags as {@code interpreter-abi-platform} strings.
     *
     * @throws org.neuronsimulator.wheel.model.InvalidWheelFileNameException when the name is no wheel name
     */
    static Set<String> tags(Path wheel) {
        Set<String> tags = new LinkedHashSet<>();
        for (Tag tag : WheelFileName.parse(wheel.getFileName().toString()).tags()) {
            tags.add(tag.toString());
        }
        return tags;
    }

    /** The wheel's distribution name (as escaped in its filename; importlib.metadata finds it by that). */
    static String distribution(Path wheel) {
        return WheelFileName.parse(wheel.getFileName().toString()).distribution();
    }

    /**
     * True when one of the wheel's tags is among those the interpreter accepts; an interpreter whose
     * tags are unknown (no packaging module to ask) is given the chance and pip decides.
     */
    static boolean accepts(PythonInterpreter python, Set<String> wheelTags) {
        if (python.supportedTags().isEmpty()) {
            return true;
        }
        for (String tag : python.supportedTags()) {
            if (wheelTags.contains(tag)) {
                return true;
            }
        }
        return false;
    }
}
