package org.neuronsimulator.wheel;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Messages of I/O failures that say what went wrong: the JDK's file-system exceptions often carry
 * only the path ({@code AccessDeniedException: /x/wheelhouse}), and a path alone is no reason.
 */
public final class IoProblems {

    private IoProblems() {
    }

    /** The path (and the other path, if any) with the reason, e.g. {@code /x/wheelhouse: permission denied}. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException fs) {
            String reason = fs.getReason() != null ? fs.getReason() : reasonOf(fs);
            String where = fs.getFile() == null ? "" : fs.getFile()
                    + (fs.getOtherFile() == null ? "" : " -> " + fs.getOtherFile());
            return where.isEmpty() ? reason : where + ": " + reason;
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String reasonOf(FileSystemException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        return e.getClass().getSimpleName();
    }
}
