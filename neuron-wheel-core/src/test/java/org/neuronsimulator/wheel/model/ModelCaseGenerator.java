package org.neuronsimulator.wheel.model;

import java.util.List;
import java.util.Random;

/**
 * Seeded generator of version strings, project names, tag sets and wheel filenames, valid and
 * invalid, covering the spellings PEP 440 and the wheel specification allow.
 */
final class ModelCaseGenerator {

    private static final List<String> SEPARATORS = List.of("", "", "", ".", "-", "_");
    private static final List<String> PRE_LETTERS = List.of(
            "a", "A", "alpha", "Alpha", "b", "B", "beta", "BETA", "c", "C", "rc", "RC", "Rc", "pre", "PRE", "preview", "Preview");
    private static final List<String> POST_LETTERS = List.of("post", "POST", "Post", "rev", "REV", "r", "R");
    private static final List<String> DEV_LETTERS = List.of("dev", "DEV", "Dev");
    private static final List<String> SPACES = List.of(" ", "\t", "\n", "  ", "\u00a0", "\r\n");
    private static final String LOCAL_CHARS = "abcxyzABCZ0123456789";
    private static final String JUNK = "0123456789.-_+!vV abcdeprotxyz#*/\u0661\u00e9";
    private static final List<String> NAME_PIECES = List.of(
            "neuron", "numpy", "Foo", "bar", "NEURON", "x", "a1", "zope", "interface", "py", "9lives", "caf\u00e9",
            "stra\u00dfe", "\u03a9mega", "x\u00b2", "\u01c5z", "n\u0301", "d\u00e9j\u00e0");
    private static final List<String> NAME_SEPARATORS = List.of("-", "_", ".", "--", "._", "__", "-_.", " ", "+", "");
    private static final List<String> PYTHON_TAGS = List.of(
            "py3", "py2", "cp311", "cp38", "CP312", "pp310", "py", "cp313t", "_x", "\u00e9t\u00e9");
    private static final List<String> BAD_PYTHON_TAGS = List.of("3py", "py-3", "cp3.11", "c+p", "py\u00b2");
    private static final List<String> ABI_TAGS = List.of(
            "none", "abi3", "cp311", "cp38", "CP39", "cp313t", "NONE", "x", "3");
    private static final List<String> PLATFORM_TAGS = List.of(
            "any", "linux_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64", "musllinux_1_2_aarch64",
            "macosx_10_9_x86_64", "macosx_11_0_arm64", "macosx_10_9_universal2", "win_amd64", "ANY", "Linux_X86_64");

    private final Random random;

    ModelCaseGenerator(long seed) {
        this.random = new Random(seed);
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    // Small numbers collide often, which exercises equality and ordering; some carry leading zeros.
    private String number() {
        int kind = random.nextInt(10);
        String digits;
        if (kind < 6) {
            digits = Integer.toString(random.nextInt(4));
        } else if (kind < 8) {
            digits = Integer.toString(random.nextInt(100));
        } else {
            digits = Integer.toString(random.nextInt(1_000_000));
        }
        if (chance(0.08)) {
            digits = "0".repeat(1 + random.nextInt(3)) + digits;
        }
        return digits;
    }

    /** A version in one of PEP 440's spellings. */
    String validVersion() {
        StringBuilder sb = new StringBuilder();
        if (chance(0.05)) {
            sb.append(pick(SPACES));
        }
        if (chance(0.08)) {
            sb.append(chance(0.5) ? "v" : "V");
        }
        if (chance(0.1)) {
            sb.append(number()).append('!');
        }
        int parts = 1 + random.nextInt(chance(0.8) ? 3 : 6);
        for (int i = 0; i < parts; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(number());
        }
        if (chance(0.35)) {
            sb.append(pick(SEPARATORS)).append(pick(PRE_LETTERS));
            if (chance(0.8)) {
                sb.append(pick(SEPARATORS)).append(number());
            }
        }
        if (chance(0.3)) {
            if (chance(0.25)) {
                sb.append('-').append(number());
            } else {
                sb.append(pick(SEPARATORS)).append(pick(POST_LETTERS));
                if (chance(0.8)) {
                    sb.append(pick(SEPARATORS)).append(number());
                }
            }
        }
        if (chance(0.3)) {
            sb.append(pick(SEPARATORS)).append(pick(DEV_LETTERS));
            if (chance(0.8)) {
                sb.append(pick(SEPARATORS)).append(number());
            }
        }
        if (chance(0.2)) {
            sb.append('+');
            int segments = 1 + random.nextInt(3);
            for (int i = 0; i < segments; i++) {
                if (i > 0) {
                    sb.append(pick(List.of(".", "-", "_")));
                }
                if (chance(0.5)) {
                    sb.append(number());
                } else {
                    int n = 1 + random.nextInt(4);
                    for (int j = 0; j < n; j++) {
                        sb.append(LOCAL_CHARS.charAt(random.nextInt(LOCAL_CHARS.length())));
                    }
                }
            }
        }
        if (chance(0.05)) {
            sb.append(pick(SPACES));
        }
        return sb.toString();
    }

    /** A valid version with one random edit, or junk; most of these are invalid. */
    String mutatedVersion() {
        if (chance(0.1)) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(8);
            for (int i = 0; i < n; i++) {
                sb.append(JUNK.charAt(random.nextInt(JUNK.length())));
            }
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder(validVersion());
        int edits = 1 + random.nextInt(2);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(sb.length() + 1);
            switch (random.nextInt(4)) {
                case 0 -> sb.insert(at, JUNK.charAt(random.nextInt(JUNK.length())));
                case 1 -> {
                    if (at < sb.length()) {
                        sb.deleteCharAt(at);
                    }
                }
                case 2 -> sb.insert(at, pick(List.of("..", "--", "+", "!", ".", "-", "post", "dev", "a", "rc1")));
                default -> sb.append(pick(List.of(".", "+", "-", ".post", "dev", "a1b2", "+a..b", "!", "-r-")));
            }
        }
        return sb.toString();
    }

    String version() {
        return chance(0.6) ? validVersion() : mutatedVersion();
    }

    String projectName() {
        StringBuilder sb = new StringBuilder();
        if (chance(0.05)) {
            sb.append(pick(NAME_SEPARATORS));
        }
        int pieces = 1 + random.nextInt(3);
        for (int i = 0; i < pieces; i++) {
            if (i > 0) {
                sb.append(pick(NAME_SEPARATORS));
            }
            sb.append(pick(NAME_PIECES));
        }
        if (chance(0.05)) {
            sb.append(pick(NAME_SEPARATORS));
        }
        return sb.toString();
    }

    private String tagComponent(List<String> choices) {
        StringBuilder sb = new StringBuilder(pick(choices));
        while (chance(0.25)) {
            sb.append('.').append(pick(choices));
        }
        if (chance(0.03)) {
            sb.append('.');
        }
        if (chance(0.02)) {
            sb.insert(0, '.');
        }
        return sb.toString();
    }

    /** A compressed tag set, sometimes with an empty or missing component. */
    String tagSet() {
        String tag = tagComponent(chance(0.08) ? BAD_PYTHON_TAGS : PYTHON_TAGS) + "-" + tagComponent(ABI_TAGS) + "-" + tagComponent(PLATFORM_TAGS);
        return switch (random.nextInt(25)) {
            case 0 -> tag + "-any";
            case 1 -> tag.substring(0, tag.lastIndexOf('-'));
            case 2 -> "-" + tag;
            default -> tag;
        };
    }

    String wheelFileName() {
        StringBuilder sb = new StringBuilder();
        String name = projectName();
        if (chance(0.85)) {
            name = name.replaceAll("[-_. ]+", "_");
        }
        sb.append(name).append('-');
        String version = chance(0.8) ? validVersion().strip() : mutatedVersion();
        sb.append(version);
        if (chance(0.2)) {
            String build = chance(0.8) ? number() + (chance(0.4) ? pick(List.of("a", "_x", "foo", ".1", "")) : "")
                    : pick(List.of("x1", "", "_1", "a"));
            sb.append('-').append(build);
        }
        sb.append('-').append(tagSet());
        sb.append(switch (random.nextInt(30)) {
            case 0 -> ".WHL";
            case 1 -> ".zip";
            case 2 -> "";
            default -> ".whl";
        });
        return sb.toString();
    }
}
