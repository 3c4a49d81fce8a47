package org.neuronsimulator.wheel.model;

/**
 * Character classes as Python's {@code str} methods and {@code re} (Unicode mode) define them, so
 * that parsing here accepts exactly what Python's packaging accepts.
 */
final class PythonText {

    private PythonText() {
    }

    /** {@code str.isspace()}, which is also what {@code \s} matches in a Unicode pattern. */
    static boolean isSpace(int cp) {
        return Character.isWhitespace(cp)
                || Character.getType(cp) == Character.SPACE_SEPARATOR
                || cp == 0x85;
    }

    /** {@code \w} in a Unicode pattern: alphanumerics as {@code str.isalnum()} sees them, and '_'. */
    static boolean isWordChar(int cp) {
        if (cp == '_' || Character.isLetter(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER
                || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /** {@code str.isidentifier()}. */
    static boolean isIdentifier(String text) {
        if (text.isEmpty()) {
            return false;
        }
        int first = text.codePointAt(0);
        if (first != '_' && !Character.isUnicodeIdentifierStart(first)) {
            return false;
        }
        for (int i = Character.charCount(first); i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp != '_' && (!Character.isUnicodeIdentifierPart(cp) || Character.isIdentifierIgnorable(cp))) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** Removes leading and trailing characters for which {@link #isSpace} holds. */
    static String stripSpace(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && isSpace(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }
}
