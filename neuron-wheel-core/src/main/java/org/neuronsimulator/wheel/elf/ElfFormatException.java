package org.neuronsimulator.wheel.elf;

import org.neuronsimulator.wheel.MalformedFileException;

/** A file that is not a well-formed ELF object, with the file's name and what is wrong with it. */
public class ElfFormatException extends MalformedFileException {

    public ElfFormatException(String file, String reason) {
        super(file, reason);
    }
}
