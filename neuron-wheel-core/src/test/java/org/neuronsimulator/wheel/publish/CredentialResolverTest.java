package org.neuronsimulator.wheel.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialResolverTest {

    @TempDir
    Path dir;

    private Path pypirc() throws IOException {
        return Files.writeString(dir.resolve(".pypirc"), """
                [distutils]
                index-servers =
                    pypi
                    testpypi
                    company

                [pypi]
                username = __token__
                password = pypi-from-pypirc-main

                [testpypi]
                repository: https://test.pypi.org/legacy/
                password: pypi-from-pypirc-test

                ; a private index
                [company]
                repository = https://pypi.company.example/legacy/
                username = builder
                password = company-secret
                """);
    }

    @Test
    void explicitWinsOverEnvironmentAndPypirc() throws IOException {
        CredentialResolver resolver = new CredentialResolver(Map.of("TWINE_PASSWORD", "pypi-env"), pypirc());
        Credentials c = resolver.resolve(PackageRepository.PYPI, "alice", Secret.of("s3cret-pass"), "settings.xml server 'pypi'")
                .orElseThrow();
        assertEquals("alice", c.username());
        assertEquals("s3cret-pass", c.password().reveal());
        assertEquals("settings.xml server 'pypi'", c.source());
    }

    @Test
    void environmentWinsOverPypircAndATokenNeedsNoUser() throws IOException {
        CredentialResolver resolver = new CredentialResolver(Map.of("TWINE_PASSWORD", "pypi-env-token"), pypirc());
        Credentials c = resolver.resolve(PackageRepository.PYPI, null, null, "unused").orElseThrow();
        assertEquals("__token__", c.username());
        assertTrue(c.isToken());
        assertEquals("pypi-env-token", c.password().reveal());
        assertEquals("TWINE_USERNAME/TWINE_PASSWORD", c.source());
        Credentials named = new CredentialResolver(Map.of("TWINE_USERNAME", "bob", "TWINE_PASSWORD", "pw-env"), null)
                .resolve(PackageRepository.PYPI, null, null, "unused").orElseThrow();
        assertEquals("bob", named.username());
    }

    @Test
    void pypircSectionByNameOrUrl() throws IOException {
        CredentialResolver resolver = new CredentialResolver(Map.of(), pypirc());
        assertEquals("pypi-from-pypirc-main", resolver.resolve(PackageRepository.PYPI, null, null, "x").orElseThrow().password().reveal());
        Credentials test = resolver.resolve(PackageRepository.TESTPYPI, null, null, "x").orElseThrow();
        assertEquals("pypi-from-pypirc-test", test.password().reveal());
        assertEquals("__token__", test.username());
        assertTrue(test.source().endsWith("[testpypi]"), test.source());
        Credentials company = resolver.resolve(PackageRepository.resolve(null, "https://pypi.company.example/legacy", null),
                null, null, "x").orElseThrow();
        assertEquals("builder", company.username());
        assertEquals(Optional.empty(), resolver.resolve(PackageRepository.resolve(null, "https://elsewhere.example/", null),
                null, null, "x"));
    }

    @Test
    void userWithoutPasswordIsAnError() {
        CredentialResolver resolver = new CredentialResolver(Map.of(), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resolver.resolve(PackageRepository.PYPI, "alice", null, "settings.xml server 'pypi'"));
        assertTrue(e.getMessage().contains("settings.xml server 'pypi'"), e.getMessage());
    }

    @Test
    void badPypircLineIsReportedWithoutItsContent() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.pypirc"), "[pypi]\npypi-leaked-token-text\n");
        IOException e = assertThrows(IOException.class,
                () -> new CredentialResolver(Map.of(), bad).resolve(PackageRepository.PYPI, null, null, "x"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertFalse(e.getMessage().contains("leaked"), e.getMessage());
    }

    @Test
    void secretsNeverPrint() {
        Credentials c = new Credentials("__token__", Secret.of("pypi-abcdefgh"), "test");
        assertFalse(c.toString().contains("abcdefgh"));
        assertFalse(String.valueOf(c.password()).contains("abcdefgh"));
        assertEquals("upload with ******** failed", c.redactor().redact("upload with pypi-abcdefgh failed"));
        assertFalse(c.redactor().redact("Authorization: " + c.basicAuthorization()).contains(c.basicAuthorization().substring(6)));
        assertEquals("x=********", c.redactor().redact("x=pypi-abcdefgh".replace("-", "%2D").replace("%2D", "-")));
    }
}
