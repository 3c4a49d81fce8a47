package org.neuronsimulator.wheel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Lists of reasons shortened for one log line: the first {@value #SHOWN} and a count of the rest. */
public final class Reasons {

    /** How many reasons a message shows before it counts the rest. */
    public static final int SHOWN = 10;

    private Reasons() {
    }

    /** The reasons joined with {@code separator}, cut after {@value #SHOWN} with "and N more". */
    public static String summary(List<String> reasons, String separator) {
        if (reasons.size() <= SHOWN) {
            return String.join(separator, reasons);
        }
        return String.join(separator, reasons.subList(0, SHOWN)) + separator + "and " + (reasons.size() - SHOWN)
                + " more";
    }

    /** As {@link #summary(List, String)} with "; ". */
    public static String summary(List<String> reasons) {
        return summary(reasons, "; ");
    }

    /**
     * Where a summary was cut: writes every reason to {@code file} (one per line) and returns a note
     * saying where, to append to the message; "" when there are no more than {@value #SHOWN}.
     */
    public static String fullListNote(List<String> reasons, Path file) {
        if (reasons.size() <= SHOWN) {
            return "";
        }
        try {
            byte[] text = (String.join("\n", reasons) + "\n").getBytes(StandardCharsets.UTF_8);
            AtomicFile.write(file, out -> out.write(text));
            return " (all " + reasons.size() + " reasons in " + file + ")";
        } catch (IOException e) {
            return " (the list of all " + reasons.size() + " reasons could not be written to " + file + ": "
                    + e.getMessage() + ")";
        }
    }
}
