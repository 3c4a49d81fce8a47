package org.neuronsimulator.wheel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neuronsimulator.wheel.InvalidSettingException;

class TestSubjectTest {

    @Test
    void onlyIndexesOffThisMachineNeedTheNetwork() {
        assertTrue(TestSubject.needsNetwork("https://test.pypi.org/simple/"));
        assertTrue(TestSubject.needsNetwork(" http://10.0.0.5:8080/simple "));
        assertFalse(TestSubject.needsNetwork("http://localhost:8080/simple/"));
        assertFalse(TestSubject.needsNetwork("http://127.0.0.1:3141/root/pypi/"));
        assertFalse(TestSubject.needsNetwork("http://[::1]:3141/simple/"));
        assertFalse(TestSubject.needsNetwork("file:///srv/wheels/simple/"));
        assertFalse(TestSubject.needsNetwork("not a url"));
    }

    @Test
    void badRequirementsAndIndexesNameTheirSetting() {
        InvalidSettingException requirement = assertThrows(InvalidSettingException.class,
                () -> TestSubject.requirement("==8.2.0", null));
        assertEquals("neuron.test.requirement", requirement.setting());
        InvalidSettingException malformed = assertThrows(InvalidSettingException.class,
                () -> TestSubject.requirement("neuron==8.2.0", "not a url"));
        assertEquals("neuron.test.index: 'not a url' is not an http(s) or file URL of a package index", malformed.getMessage());
        assertEquals("neuron.test.index", assertThrows(InvalidSettingException.class,
                () -> TestSubject.requirement("neuron", "ftp://example.org/simple/")).setting());
    }
}
