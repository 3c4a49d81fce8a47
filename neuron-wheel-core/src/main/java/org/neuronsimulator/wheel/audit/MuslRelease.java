package org.neuronsimulator.wheel.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neuronsimulator.wheel.process.ProcessRunner;

/**
 * The release of a musl C library. musl keeps its version as a plain string beside the loader's
 * banner ({@code musl libc (x86_64) / Version %s}); that string is read from the file, so a library
 * of an exported image or of another architecture is never executed. Where the file holds no single
 * such string and the library is this host's, its loader is run instead and prints the banner.
 */
final class MuslRelease {

    private static final byte[] BANNER = "musl libc (".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern RELEASE = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final Pattern PRINTED = Pattern.compile("Version (\\d+\\.\\d+(\\.\\d+)?)");
    private static final long MAX_SIZE = 16L << 20;

    private MuslRelease() {
    }

    static Optional<LibcVersion> of(Path library, boolean runnable) throws IOException {
        if (Files.size(library) <= MAX_SIZE) {
            byte[] bytes = Files.readAllBytes(library);
            if (indexOf(bytes, BANNER) >= 0) {
                Set<String> releases = releaseStrings(bytes);
                if (releases.size() == 1) {
                    return Optional.ofNullable(LibcVersion.parse(releases.iterator().next()));
                }
            }
        }
        if (runnable && Files.isExecutable(library)) {
            List<String> lines = new ArrayList<>();
            ProcessRunner.of(library.toString()).onOutput(lines::add).timeout(Duration.ofSeconds(10)).run();
            for (String line : lines) {
                Matcher m = PRINTED.matcher(line);
                if (m.find()) {
                    return Optional.ofNullable(LibcVersion.parse(m.group(1)));
                }
            }
        }
        return Optional.empty();
    }

    /** Every NUL-terminated string that is exactly a three-part release number. */
    static Set<String> releaseStrings(byte[] bytes) {
        Set<String> found = new TreeSet<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                int length = i - start;
                if (length >= 5 && length <= 11 && bytes[start] >= '0' && bytes[start] <= '9') {
                    String text = new String(bytes, start, length, StandardCharsets.US_ASCII);
                    if (RELEASE.matcher(text).matches()) {
                        found.add(text);
                    }
                }
                start = i + 1;
            }
        }
        return found;
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
