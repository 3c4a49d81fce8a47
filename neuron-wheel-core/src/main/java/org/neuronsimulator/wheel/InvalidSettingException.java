package org.neuronsimulator.wheel;

/**
 * A setting the user gave (in the pom, on the command line or in pyproject.toml) that core cannot use; the
 * message names the setting and what is wrong with its value. Callers report it as the user's error, while any
 * other runtime exception from core is a failure of the tool. It stays an {@link IllegalArgumentException}
 * because it is thrown by value parsers and record constructors that take the setting as an argument.
 */
public class InvalidSettingException extends IllegalArgumentException {

    private final String setting;

    public InvalidSettingException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    public InvalidSettingException(String setting, String message, Throwable cause) {
        super(message, cause);
        this.setting = setting;
    }

    /** The setting's name, e.g. {@code neuron.pull} or {@code environment}. */
    public String setting() {
        return setting;
    }
}
