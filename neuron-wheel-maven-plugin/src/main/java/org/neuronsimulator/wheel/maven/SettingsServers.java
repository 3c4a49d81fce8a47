package org.neuronsimulator.wheel.maven;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/** The {@code <server>} entries of settings.xml, with their passwords decrypted as Maven's own transports do. */
final class SettingsServers {

    private SettingsServers() {
    }

    /**
     * The server a parameter names, decrypted; its user name and password may still be null.
     *
     * @param parameter the parameter naming it, e.g. {@code neuron.serverId}, for the messages
     */
    static Server decrypted(Settings settings, SettingsDecrypter decrypter, String parameter, String serverId)
            throws MojoFailureException {
        String id = serverId.trim();
        Server server = settings == null ? null : settings.getServer(id);
        if (server == null) {
            throw new MojoFailureException(parameter + "=" + id + " but settings.xml has no <server> with that id");
        }
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        List<String> problems = new ArrayList<>();
        for (SettingsProblem problem : result.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                problems.add(problem.getMessage()); // the problem text names the server, never the value
            }
        }
        if (!problems.isEmpty()) {
            throw new MojoFailureException("cannot decrypt the password of settings.xml server '" + id + "': "
                    + String.join("; ", problems));
        }
        return result.getServer();
    }
}
