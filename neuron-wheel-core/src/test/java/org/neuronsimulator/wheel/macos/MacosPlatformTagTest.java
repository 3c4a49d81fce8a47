package org.neuronsimulator.wheel.macos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.macho.MacosVersion;

class MacosPlatformTagTest {

    private static MacosVersion v(String text) {
        return MacosVersion.parse(text);
    }

    @Test
    void tagsNameVersionsAndArchitectures() {
        MacosPlatformTag universal = MacosPlatformTag.parse("macosx_10_9_universal2");
        assertEquals(List.of("x86_64", "arm64"), universal.architectures());
        assertEquals(v("10.9"), universal.minimumFor("x86_64"));
        assertEquals(v("11.0"), universal.minimumFor("arm64"));
        assertEquals(List.of("i386", "x86_64"), MacosPlatformTag.parse("macosx_10_6_intel").architectures());
        assertEquals("macosx_12_0_arm64", MacosPlatformTag.format(v("12.3"), "arm64"));
        assertEquals("macosx_10_15_x86_64", MacosPlatformTag.format(v("10.15"), "x86_64"));
        assertThrows(IllegalArgumentException.class, () -> MacosPlatformTag.parse("manylinux_2_17_x86_64"));
        assertThrows(IllegalArgumentException.class, () -> MacosPlatformTag.parse("macosx_10_9_sparc"));
    }

    @Test
    void architecturesJoinIntoUniversal2WhereOneVersionServesBoth() {
        assertEquals(List.of("macosx_10_9_universal2"), MacosPlatformTag.tagsFor(versions("x86_64", "10.9", "arm64", "11.0")));
        assertEquals(List.of("macosx_12_0_universal2"), MacosPlatformTag.tagsFor(versions("x86_64", "12.0", "arm64", "12.0")));
        assertEquals(List.of("macosx_10_9_x86_64", "macosx_12_0_arm64"),
                MacosPlatformTag.tagsFor(versions("x86_64", "10.9", "arm64", "12.0")));
        assertEquals(List.of("macosx_10_6_intel"), MacosPlatformTag.tagsFor(versions("i386", "10.6", "x86_64", "10.6")));
        assertEquals(List.of("macosx_11_0_arm64"), MacosPlatformTag.tagsFor(versions("arm64", "10.9")));
    }

    @Test
    void targetsComeFromThePlatformThenTheSettingThenTheEnvironment() {
        Map<String, String> env = Map.of("MACOSX_DEPLOYMENT_TARGET", "10.13");
        assertEquals(Optional.of(v("11.0")), MacosRepairOptions.target("macosx_11_0_arm64", "10.9", env));
        assertEquals(Optional.of(v("10.9")), MacosRepairOptions.target("manylinux2014", "10.9", env));
        assertEquals(Optional.of(v("10.13")), MacosRepairOptions.target(null, " ", env));
        assertEquals(Optional.empty(), MacosRepairOptions.target(null, null, Map.of()));
        assertEquals(List.of("x86_64", "arm64"), MacosRepairOptions.architectures("universal2"));
        assertEquals(List.of("arm64", "x86_64"), MacosRepairOptions.architectures("arm64, x86_64"));
    }

    private static Map<String, MacosVersion> versions(String... pairs) {
        Map<String, MacosVersion> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], v(pairs[i + 1]));
        }
        return map;
    }
}
