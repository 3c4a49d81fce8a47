package org.neuronsimulator.wheel.macho;

import org.neuronsimulator.wheel.MalformedFileException;

/** A file that is not a well-formed Mach-O object, with the file's name and what is wrong with it. */
public class MachoFormatException extends MalformedFileException {

    public MachoFormatException(String file, String reason) {
        super(file, reason);
    }
}
