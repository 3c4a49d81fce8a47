package org.neuronsimulator.wheel.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.neuronsimulator.wheel.InvalidSettingException;

/**
 * Finds the credentials for a repository, first match wins: the explicitly given user and
 * password (e.g. a settings.xml {@code <server>}), then {@code TWINE_USERNAME}/{@code TWINE_PASSWORD},
 * then the matching {@code .pypirc} section. A password without a user is taken as an API token
 * (user {@code __token__}).
 */
public final class CredentialResolver {

    private final Map<String, String> environment;
    private final Path pypirc;

    /**
     * @param environment the process environment (tests pass their own map)
     * @param pypirc      the {@code .pypirc} to read, may be absent
     */
    public CredentialResolver(Map<String, String> environment, Path pypirc) {
        this.environment = Map.copyOf(environment);
        this.pypirc = pypirc;
    }

    public static CredentialResolver ofSystem() {
        return new CredentialResolver(System.getenv(), Path.of(System.getProperty("user.home"), ".pypirc"));
    }

    /**
     * @param username explicit user, may be null
     * @param password explicit password or token, may be null
     * @param source   where the explicit pair came from, for messages
     * @return the credentials, or empty when none are configured anywhere
     */
    public Optional<Credentials> resolve(PackageRepository repository, String username, Secret password, String source)
            throws IOException {
        if (password != null && !password.isEmpty()) {
            return Optional.of(new Credentials(userOrToken(username), password, source));
        }
        if (username != null && !username.isBlank()) {
            throw new InvalidSettingException("credentials", source + " gives user '" + username + "' but no password or token");
        }
        String envPassword = environment.get("TWINE_PASSWORD");
        if (envPassword != null && !envPassword.isEmpty()) {
            return Optional.of(new Credentials(userOrToken(environment.get("TWINE_USERNAME")), Secret.of(envPassword),
                    "TWINE_USERNAME/TWINE_PASSWORD"));
        }
        if (pypirc != null && Files.isRegularFile(pypirc)) {
            Pypirc file = Pypirc.parse(pypirc);
            Optional<Map.Entry<String, Map<String, String>>> section = file.sectionFor(repository);
            if (section.isPresent()) {
                String pass = section.get().getValue().get("password");
                if (pass != null && !pass.isEmpty()) {
                    return Optional.of(new Credentials(userOrToken(section.get().getValue().get("username")),
                            Secret.of(pass), pypirc + " [" + section.get().getKey() + "]"));
                }
            }
        }
        return Optional.empty();
    }

    private static String userOrToken(String username) {
        return username == null || username.isBlank() ? Credentials.TOKEN_USER : username.trim();
    }
}
