package org.neuronsimulator.wheel.elf;

import java.io.IOException;

/** A file that is not a well-formed ELF object, with the file's name and what is wrong with it. */
public class ElfFormatException extends IOException {

    private final String file;
    private final String reason;

    public ElfFormatException(String file, String reason) {
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
