package org.neuronsimulator.wheel.model;

import java.util.ArrayList;
import java.util.Collections;
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
    private static final List<String> SPACES = List.of(" ", "\t", "\n", "  ", "\u00a0", "\r\n", "\u2003\u0085", "\u001f", "\u000b");
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

    private static final List<String> CLASSIFIERS = List.of(
            "Programming Language :: Python :: 3", "License :: OSI Approved :: BSD License",
            "Operating System :: POSIX :: Linux", "Topic :: Scientific/Engineering", "Intended Audience :: Science/Research");
    private static final List<String> REQUIREMENTS = List.of(
            "numpy>=1.9.3", "packaging", "mpi4py; extra == \"mpi\"", "find_libpython ; python_version < \"3.12\"",
            "setuptools<70,>=41.2", "sympy (>=1.3)");
    private static final List<String> WORDS = List.of(
            "simulator", "neurons", "networks", "caf\u00e9", "\u03bcs", "a: b", "x,y", "\"quoted\"", "#", "  spaced  words", "tab\there");

    private String words(int max) {
        StringBuilder sb = new StringBuilder(pick(WORDS).strip());
        int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            sb.append(' ').append(pick(WORDS));
        }
        return sb.toString().strip();
    }

    /**
     * A METADATA document of a random metadata version with single- and multi-use fields in random
     * order, its description in the body (2.1 on) or a one-line field; element 1 is "1" when the
     * description should be compared.
     */
    String[] metadataDocument() {
        String metadataVersion = pick(List.of("1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4"));
        boolean modern = metadataVersion.compareTo("2.1") >= 0;
        List<String> fields = new ArrayList<>();
        String name = projectName().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
        fields.add(pick(List.of("Name", "name", "NAME")) + ": " + (name.isEmpty() ? "x" : name));
        fields.add("Version: " + PythonText.stripSpace(validVersion()));
        if (chance(0.8)) {
            fields.add("Summary: " + words(6));
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            fields.add("Classifier: " + pick(CLASSIFIERS));
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            fields.add(pick(List.of("Requires-Dist", "requires-dist")) + ": " + pick(REQUIREMENTS));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            fields.add("Provides-Extra: " + pick(List.of("mpi", "test", "docs")));
        }
        if (metadataVersion.compareTo("2.4") >= 0) {
            for (int i = random.nextInt(3); i > 0; i--) {
                fields.add("License-File: " + pick(List.of("LICENSE", "licenses/COPYING.txt", "NOTICE")));
            }
        }
        if (metadataVersion.compareTo("2.2") >= 0 && chance(0.5)) {
            fields.add("Dynamic: " + pick(List.of("license-file", "Requires-Dist", "summary")));
        }
        List<String> labels = new ArrayList<>(List.of("Homepage", "Source", "Bug Tracker", "Docs"));
        Collections.shuffle(labels, random);
        for (int i = random.nextInt(4); i > 0; i--) {
            fields.add("Project-URL: " + labels.get(i) + ", https://example.org/" + labels.get(i).replace(' ', '-').toLowerCase());
        }
        if (chance(0.3)) {
            fields.add("Author-email: " + words(2) + " <a@example.org>");
        }
        Collections.shuffle(fields, random);
        fields.add(0, "Metadata-Version: " + metadataVersion);
        String body = null;
        if (modern && chance(0.8)) {
            StringBuilder b = new StringBuilder();
            for (int i = 1 + random.nextInt(5); i > 0; i--) {
                b.append(chance(0.3) ? "" : words(8)).append('\n');
            }
            body = b.toString();
            if (chance(0.2)) {
                fields.add("Description-Content-Type: text/markdown");
            }
        } else if (chance(0.7)) {
            fields.add("Description: " + words(8));
        }
        String eol = chance(0.15) ? "\r\n" : "\n";
        String text = String.join(eol, fields) + eol + (body == null ? "" : eol + body.replace("\n", eol));
        return new String[] {text, "1"};
    }
}
