package org.neuronsimulator.wheel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.repair.RepairOptions;

/** How the wheel goal turns its repair parameters into core options. */
class RepairParametersTest {

    private static WheelMojo mojo() {
        WheelMojo mojo = new WheelMojo(null);
        mojo.libSubdirectory = ".libs";
        mojo.updateTags = true;
        mojo.compressionLevel = 6;
        return mojo;
    }

    @Test
    void defaultsAreAuditwheelRepairsDefaults() {
        RepairOptions options = mojo().repairOptions();
        assertEquals(RepairOptions.defaults(), options);
    }

    @Test
    void everyParameterReachesTheOptions() {
        WheelMojo mojo = mojo();
        mojo.excludes = List.of("libgomp.so.1");
        mojo.platform = " manylinux2014 ";
        mojo.libSubdirectory = "/.libs";
        mojo.strip = true;
        mojo.onlyPlatform = true;
        mojo.updateTags = false;
        mojo.compressionLevel = 9;
        RepairOptions options = mojo.repairOptions();
        assertEquals(List.of("libgomp.so.1"), options.excludes());
        assertEquals("manylinux2014", options.platform());
        assertEquals("/.libs", options.libSubdirectory());
        assertTrue(options.strip());
        assertTrue(options.onlyPlatform());
        assertFalse(options.updateTags());
        assertEquals(9, options.compressionLevel());
    }

    @Test
    void valuesOutsideTheWheelOrRangeAreInvalidSettings() {
        WheelMojo mojo = mojo();
        mojo.libSubdirectory = "/../outside";
        InvalidSettingException folder = assertThrows(InvalidSettingException.class, mojo::repairOptions);
        assertEquals("neuron.libSubdirectory", folder.setting());
        assertTrue(folder.getMessage().contains("library subdirectory '/../outside'"), folder::getMessage);
        mojo.libSubdirectory = ".libs";
        mojo.compressionLevel = 11;
        InvalidSettingException level = assertThrows(InvalidSettingException.class, mojo::repairOptions);
        assertEquals("neuron.compressionLevel", level.setting());
        assertTrue(level.getMessage().contains("compression level must be 0-9, not 11"), level::getMessage);
    }
}
