package org.neuronsimulator.wheel.macho;

import java.io.IOException;

/** A file that is not a well-formed Mach-O object, with the file's name and what is wrong with it. */
public class MachoFormatException extends IOException {

    private final String file;
    private final String reason;

    public MachoFormatException(String file, String reason) {
        super(file + ": " + reason);
        this.file = file;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public String reason() {
        return reason;
    }
}
