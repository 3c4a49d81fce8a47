package org.neuronsimulator.wheel.audit;

import java.util.regex.Pattern;

/**
 * fnmatch-style patterns, as Python's fnmatch reads them ({@code *}, {@code ?}, {@code [...]} and
 * {@code [!...]} sets): auditwheel's excludes and cibuildwheel's selectors are written for it.
 * Plexus Utils' SelectorUtils matches Ant patterns, which have no sets, hence this small translator.
 */
public final class Glob {

    private Glob() {
    }

    public static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[' -> {
                    // as fnmatch: a ']' right after '[' or '[!' belongs to the set; no closing ']' means a literal '['
                    int j = i + 1;
                    if (j < glob.length() && glob.charAt(j) == '!') {
                        j++;
                    }
                    if (j < glob.length() && glob.charAt(j) == ']') {
                        j++;
                    }
                    int close = glob.indexOf(']', j);
                    if (close < 0) {
                        regex.append("\\[");
                    } else {
                        String set = glob.substring(i + 1, close);
                        StringBuilder body = new StringBuilder();
                        if (set.startsWith("!")) {
                            body.append('^');
                            set = set.substring(1);
                        }
                        for (char s : set.toCharArray()) {
                            body.append(s == '-' ? "-" : Character.isLetterOrDigit(s) ? String.valueOf(s) : "\\" + s);
                        }
                        regex.append('[').append(body).append(']');
                        i = close;
                    }
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
