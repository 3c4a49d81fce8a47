package org.neuronsimulator.wheel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.InvalidSettingException;

class SettingValuesTest {

    @Test
    void listItemsAreAlsoSplitAtCommas() {
        assertEquals(List.of("MPI_HOME", "CC", "/a:/b"), SettingValues.list(List.of("MPI_HOME, CC", " /a:/b ")));
        assertEquals(List.of("x"), SettingValues.list(Arrays.asList(null, " ,, ", "x")));
        assertEquals(List.of(), SettingValues.list(null));
    }

    @Test
    void foldersLieBelowTheBaseUnlessAbsoluteEvenWhenMavenLeftTheBasedirUnresolved() {
        Path base = Path.of("/work/run");
        assertEquals(Path.of("/work/run/target/wheelhouse"), SettingValues.folder(base, "${project.basedir}/target/wheelhouse"));
        assertEquals(base, SettingValues.folder(base, "${project.basedir}"));
        assertEquals(Path.of("/work/run/wheels"), SettingValues.folder(base, "wheels"));
        assertEquals(Path.of("/srv/wheels"), SettingValues.folder(base, "/srv/wheels"));
    }

    @Test
    void durationsTakeAUnitAndFallBackWhenUnset() {
        Duration hour = Duration.ofMinutes(60);
        assertEquals(hour, SettingValues.duration("neuron.build.timeout", null, hour));
        assertEquals(hour, SettingValues.duration("neuron.build.timeout", " ", hour));
        assertEquals(Duration.ofSeconds(90), SettingValues.duration("neuron.build.timeout", "90s", hour));
        assertEquals(Duration.ofMinutes(20), SettingValues.duration("neuron.build.timeout", " 20 M ", hour));
        assertEquals(Duration.ofHours(2), SettingValues.duration("neuron.build.timeout", "2h", hour));
    }

    @Test
    void aDurationWithoutUnitNamesTheSetting() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> SettingValues.duration("neuron.build.timeout", "soon", Duration.ZERO));
        assertEquals("neuron.build.timeout", e.setting());
        assertEquals("neuron.build.timeout: 'soon' is not a duration like 90s, 20m or 2h", e.getMessage());
        assertThrows(InvalidSettingException.class, () -> SettingValues.duration("t", "90", Duration.ZERO));
        assertThrows(InvalidSettingException.class, () -> SettingValues.duration("t", "-5m", Duration.ZERO));
    }

    @Test
    void assignmentsKeepTheirOrderAndTheValueAfterTheFirstEquals() {
        assertEquals(List.of("A", "B"), List.copyOf(SettingValues.assignments("args", List.of("A=1,B=x=y")).keySet()));
        assertEquals(Map.of("A", "2", "B", "x=y"), SettingValues.assignments("args", List.of("A=1", "B=x=y", "A=2")));
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> SettingValues.assignments("neuron.image.buildArgs", List.of("=1")));
        assertEquals("neuron.image.buildArgs: '=1' is not NAME=value", e.getMessage());
    }
}
