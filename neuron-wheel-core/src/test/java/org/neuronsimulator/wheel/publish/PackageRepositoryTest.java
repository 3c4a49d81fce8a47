package org.neuronsimulator.wheel.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class PackageRepositoryTest {

    @Test
    void aliases() {
        assertEquals(URI.create("https://upload.pypi.org/legacy/"), PackageRepository.resolve("pypi", null, null).uploadUrl());
        assertEquals(URI.create("https://pypi.org/simple/"), PackageRepository.resolve(null, null, null).indexUrl());
        PackageRepository test = PackageRepository.resolve("testpypi", "", null);
        assertEquals(URI.create("https://test.pypi.org/legacy/"), test.uploadUrl());
        assertEquals(URI.create("https://test.pypi.org/simple/"), test.indexUrl());
        assertEquals("https://test.pypi.org/simple/neuron-nightly/", test.projectPage("neuron-nightly").toString());
    }

    @Test
    void urlsAndDerivedIndexes() {
        PackageRepository legacy = PackageRepository.resolve(null, "http://127.0.0.1:8080/legacy/", null);
        assertEquals(URI.create("http://127.0.0.1:8080/simple/"), legacy.indexUrl());
        PackageRepository root = PackageRepository.resolve("local", "http://127.0.0.1:8080/", null);
        assertEquals(URI.create("http://127.0.0.1:8080/simple/"), root.indexUrl());
        assertEquals("local", root.name());
        PackageRepository explicit = PackageRepository.resolve(null, "https://nexus.example/repository/pypi-hosted/",
                "https://nexus.example/repository/pypi-group/simple");
        assertEquals(URI.create("https://nexus.example/repository/pypi-group/simple/"), explicit.indexUrl());
    }

    @Test
    void badInput() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PackageRepository.resolve("pipy", null, null))
                .getMessage().contains("unknown repository 'pipy'"));
        assertThrows(IllegalArgumentException.class, () -> PackageRepository.resolve(null, "ftp://x/", null));
        IllegalArgumentException userInfo = assertThrows(IllegalArgumentException.class,
                () -> PackageRepository.resolve(null, "https://user:pypi-secret@upload.pypi.org/legacy/", null));
        assertTrue(!userInfo.getMessage().contains("pypi-secret"), userInfo.getMessage());
    }
}
