package org.neuronsimulator.wheel;

import java.io.IOException;

/** A binary (an ELF or Mach-O object) that is not well formed, with the file's name and what is wrong with it. */
public class MalformedFileException extends IOException {

    private final String file;
    private final String reason;

    public MalformedFileException(String file, String reason) {
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
