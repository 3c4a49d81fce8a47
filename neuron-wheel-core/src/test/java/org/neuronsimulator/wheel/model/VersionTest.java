package org.neuronsimulator.wheel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "1.0|1.0",
        "v1.0|1.0",
        "V2|2",
        "'  1.0\t'|1.0",
        "1!2.0|1!2.0",
        "0!1.0|1.0",
        "01.002.0003|1.2.3",
        "1.0a1|1.0a1",
        "1.0alpha1|1.0a1",
        "1.0-ALPHA.1|1.0a1",
        "1.0b|1.0b0",
        "1.0beta2|1.0b2",
        "1.0c1|1.0rc1",
        "1.0pre1|1.0rc1",
        "1.0preview1|1.0rc1",
        "1.0_RC_1|1.0rc1",
        "1.0-1|1.0.post1",
        "1.0.post|1.0.post0",
        "1.0rev3|1.0.post3",
        "1.0-r4|1.0.post4",
        "1.0.dev|1.0.dev0",
        "1.0DEV7|1.0.dev7",
        "1.0a1-1.dev2|1.0a1.post1.dev2",
        "1.0+ABC.001-x_2|1.0+abc.1.x.2",
        "1.0+0|1.0+0",
        "2!1.0rc1.post2.dev3+local.7|2!1.0rc1.post2.dev3+local.7",
    })
    void normalises(String input, String expected) {
        assertEquals(expected, Version.parse(input).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "1.", ".1", "1..0", "1.0+", "1.0+a..b", "1.0+a_", "a1.0", "1.0-", "1.0.post--",
        "1.0a1a2", "1.0dev1post1", "1.0 1", "1,0", "one", "1.0-dev--", "v", "1!", "!1.0", "1.0+ab+cd", "\u0661.0",
        "1.0.post1.post2", "1.0+\u00e9", "vv1.0"})
    void rejects(String input) {
        InvalidVersionException e = assertThrows(InvalidVersionException.class, () -> Version.parse(input));
        assertTrue(e.getMessage().contains("'" + input + "'"), e.getMessage());
        assertEquals(input, e.input());
        assertFalse(Version.isValid(input));
    }

    @Test
    void exposesItsParts() {
        Version v = Version.parse("3!1.2.0rc4.post5.dev6+Ubuntu-007");
        assertEquals(3, v.epoch());
        assertEquals(List.of(1, 2, 0), v.release());
        assertEquals(Optional.of(new Version.PreRelease("rc", 4)), v.preRelease());
        assertEquals(OptionalLong.of(5), v.postRelease());
        assertEquals(OptionalLong.of(6), v.devRelease());
        assertEquals(Optional.of("ubuntu.7"), v.local());
        assertTrue(v.isPreRelease());
        assertTrue(v.isPostRelease());
        assertTrue(v.isDevRelease());
        assertTrue(v.hasLocal());
        assertEquals("3!1.2.0rc4.post5.dev6", v.publicVersion().toString());
        assertEquals("3!1.2.0", v.baseVersion().toString());
        assertEquals("3!1.2.0rc4.post5.dev6", v.withoutLocal().toString());
        assertEquals("3!1.2.0rc4.post5.dev9+ubuntu.7", v.withDevRelease(9).toString());
        assertEquals("1.0+cpu.2", Version.parse("1.0").withLocal("CPU-02").toString());
    }

    @Test
    void plainReleaseIsNeitherPreNorPost() {
        Version v = Version.parse("2.0");
        assertFalse(v.isPreRelease());
        assertFalse(v.isPostRelease());
        assertFalse(v.isDevRelease());
        assertFalse(v.hasLocal());
        assertEquals(Optional.empty(), v.preRelease());
        assertTrue(Version.parse("2.0.dev1").isPreRelease(), "a dev release counts as a pre-release");
    }

    @Test
    void ordersAsPep440() {
        List<String> ordered = List.of(
                "1.0.dev0", "1.0.dev1", "1.0a1.dev1", "1.0a1", "1.0a1.post1.dev1", "1.0a1.post1", "1.0a2",
                "1.0b1", "1.0rc1.dev3", "1.0rc1", "1.0", "1.0+a", "1.0+a.b", "1.0+b", "1.0+0", "1.0+1.a",
                "1.0+1.0", "1.0+2", "1.0+10", "1.0.post1.dev0", "1.0.post1", "1.0.post2", "1.0.1.dev0",
                "1.0.1", "1.1", "2.0", "1!0.1");
        List<Version> shuffled = new ArrayList<>(ordered.stream().map(Version::parse).toList());
        Collections.shuffle(shuffled, new java.util.Random(7));
        Collections.sort(shuffled);
        assertEquals(ordered, shuffled.stream().map(Version::toString).toList());
    }

    @Test
    void trailingZerosAreEqual() {
        Version a = Version.parse("1.0");
        Version b = Version.parse("1.0.0.0");
        Version c = Version.parse("1");
        assertEquals(0, a.compareTo(b));
        assertEquals(a, b);
        assertEquals(a, c);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("1.0.0.0", b.toString(), "the written form keeps its zeros");
        assertNotEquals(Version.parse("1.0+0"), a);
        assertEquals(Version.parse("1.0+01"), Version.parse("1.0+1"));
        assertEquals(Version.parse("1.0a"), Version.parse("1.0a0"));
    }

    @Test
    void keepsLargeNumbers() {
        Version v = Version.parse("2024.20240611123045.dev20240611123045");
        assertEquals(List.of(2024L, 20240611123045L), v.releaseNumbers());
        assertEquals(OptionalLong.of(20240611123045L), v.devRelease());
        assertThrows(ArithmeticException.class, v::release);
        InvalidVersionException e = assertThrows(InvalidVersionException.class,
                () -> Version.parse("1.1234567890123456789012"));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void buildsFromParts() {
        Version v = Version.of(0, List.of(9, 0), new Version.PreRelease("a", 1), null, 5L, null);
        assertEquals("9.0a1.dev5", v.toString());
        assertThrows(IllegalArgumentException.class, () -> new Version.PreRelease("alpha", 1));
        assertThrows(IllegalArgumentException.class, () -> Version.of(0, List.of(), null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> Version.parse("1.0").withLocal("a..b"));
    }
}
