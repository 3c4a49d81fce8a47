package org.neuronsimulator.wheel.pipeline;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.neuronsimulator.wheel.InvalidSettingException;
import org.neuronsimulator.wheel.Reporter;
import org.neuronsimulator.wheel.audit.WheelAuditException;

/**
 * Audits a folder of wheels in a JVM of its own, started with flags for a short batch job, and relays its report.
 * <p>
 * Why: on two cores, the whole {@code mvn} call for 73 wheels took 5.5 s this way against 6.5-7.4 s in Maven's JVM.
 * Maven's JVM compiles with C2, whose compiler thread used 5.7 s of CPU on code that ran too briefly to repay it;
 * its G1 heap first-touches small pages (about 20 us each on a virtual machine). The audit JVM compiles with C1 only,
 * collects with the parallel collector and asks for transparent huge pages. Its young generation is held at 32 MB:
 * left to grow, it reached 200 MB of fresh pages (the largest process at 400 MB with the inflaters kept from wheel to
 * wheel, 320 MB with this), while the audit keeps little alive. One wheel gains nothing (the second
 * JVM's start costs what it saves), so {@link WheelAudits} starts this only for several.
 * <p>
 * The audit JVM prints each report line, and a failure, as a line starting with {@link #PREFIX}; other output (JVM
 * warnings) is relayed at debug level and, when it ends without a result, quoted in the error.
 */
final class AuditJvm {

    static final String PREFIX = "neuron-wheel-audit ";
    /** Chosen by measurement on a 2-core machine; see the class comment. */
    static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC",
            "-XX:+UseTransparentHugePages", "-XX:-UsePerfData", "-Xmn32m");
    /** System properties of this JVM that the audit reads: where native bindings unpack, which libdeflate loads. */
    private static final List<String> PASSED_PROPERTIES = List.of("java.io.tmpdir", "neuron.libdeflate");
    private static final int QUOTED_LINES = 20;

    private AuditJvm() {
    }

    /**
     * Runs the audit in a new JVM; false, having reported nothing, where no JVM could be started (the caller then
     * audits in its own).
     */
    static boolean run(WheelAudits.Settings settings, Map<String, String> environment, Reporter reporter)
            throws WheelAuditException, IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java").toString());
        command.addAll(JVM_OPTIONS);
        for (String property : PASSED_PROPERTIES) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add("-cp");
        command.add(classPath());
        command.add(AuditJvm.class.getName());
        command.addAll(arguments(settings));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            reporter.debug("cannot start a JVM for the audit (" + e.getMessage() + "); auditing in this one");
            return false;
        }
        Deque<String> other = new ArrayDeque<>();
        String failure = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            process.getOutputStream().close();
            for (String line; (line = out.readLine()) != null; ) {
                if (!line.startsWith(PREFIX) || line.length() < PREFIX.length() + 2) {
                    reporter.debug(line);
                    other.addLast(line);
                    if (other.size() > QUOTED_LINES) {
                        other.removeFirst();
                    }
                    continue;
                }
                char kind = line.charAt(PREFIX.length());
                String message = unescape(line.substring(PREFIX.length() + 2));
                switch (kind) {
                    case 'I' -> reporter.info(message);
                    case 'W' -> reporter.warn(message);
                    case 'E' -> reporter.error(message);
                    case 'D' -> reporter.debug(message);
                    default -> failure = line.substring(PREFIX.length());
                }
            }
            int exit = process.waitFor();
            if (failure != null) {
                rethrow(failure);
            }
            if (exit != 0) {
                throw new IOException("the audit JVM ended with exit code " + exit + (other.isEmpty() ? ""
                        : "; its last output:" + System.lineSeparator() + String.join(System.lineSeparator(), other)));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while auditing");
        } finally {
            process.destroyForcibly();
        }
    }

    /** The failure line: {@code X <setting>\t<message>} for a setting, {@code A <message>} audits, {@code O <message>} I/O. */
    private static void rethrow(String line) throws WheelAuditException, IOException {
        String body = unescape(line.substring(2));
        switch (line.charAt(0)) {
            case 'X' -> {
                int tab = body.indexOf('\t');
                throw new InvalidSettingException(body.substring(0, Math.max(tab, 0)), body.substring(tab + 1));
            }
            case 'A' -> throw new WheelAuditException(body);
            default -> throw new IOException(body);
        }
    }

    /** The audit JVM: audits the folder the arguments name and prints the report and any failure as prefixed lines. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // a library's stray print must not look like a report line
        Reporter reporter = new Reporter() {
            @Override
            public void info(String message) {
                print('I', message);
            }

            @Override
            public void warn(String message) {
                print('W', message);
            }

            @Override
            public void error(String message) {
                print('E', message);
            }

            @Override
            public void debug(String message) {
                print('D', message);
            }

            private void print(char kind, String message) {
                synchronized (out) {
                    out.println(PREFIX + kind + " " + escape(message));
                }
            }
        };
        int exit = 0;
        try {
            new WheelAudits(settings(args), System.getenv(), reporter).auditInThisJvm();
        } catch (InvalidSettingException e) {
            out.println(PREFIX + "X " + escape(e.setting() + "\t" + e.getMessage()));
            exit = 2;
        } catch (WheelAuditException e) {
            out.println(PREFIX + "A " + escape(e.getMessage()));
            exit = 1;
        } catch (IOException e) {
            out.println(PREFIX + "O " + escape(e.getMessage()));
            exit = 1;
        }
        out.flush();
        System.exit(exit);
    }

    static List<String> arguments(WheelAudits.Settings settings) {
        List<String> args = new ArrayList<>();
        args.add("--wheel=" + settings.wheel());
        if (settings.json() != null) {
            args.add("--json=" + settings.json());
        }
        settings.excludes().forEach(e -> args.add("--exclude=" + e));
        if (settings.skipIsaCheck()) {
            args.add("--skip-isa-check");
        }
        if (settings.imageLibraryDirectory() != null) {
            args.add("--image-library-directory=" + settings.imageLibraryDirectory());
        }
        settings.macosLibraryPath().forEach(p -> args.add("--macos-library-path=" + p));
        return args;
    }

    static WheelAudits.Settings settings(String[] args) {
        Path wheel = null;
        Path json = null;
        Path image = null;
        boolean skipIsa = false;
        List<String> excludes = new ArrayList<>();
        List<String> macos = new ArrayList<>();
        for (String arg : args) {
            String value = arg.substring(arg.indexOf('=') + 1);
            if (arg.startsWith("--wheel=")) {
                wheel = Path.of(value);
            } else if (arg.startsWith("--json=")) {
                json = Path.of(value);
            } else if (arg.startsWith("--exclude=")) {
                excludes.add(value);
            } else if (arg.equals("--skip-isa-check")) {
                skipIsa = true;
            } else if (arg.startsWith("--image-library-directory=")) {
                image = Path.of(value);
            } else if (arg.startsWith("--macos-library-path=")) {
                macos.add(value);
            } else {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        return new WheelAudits.Settings(wheel, json, excludes, skipIsa, image, macos);
    }

    /** One line per message: backslashes and line breaks escaped. */
    static String escape(String message) {
        return String.valueOf(message).replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
    }

    static String unescape(String text) {
        StringBuilder result = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                result.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            } else {
                result.append(c);
            }
        }
        return result.toString();
    }

    /**
     * The class path this class came from: the plugin realm's jars under Maven (a URLClassLoader), else the
     * application class path.
     */
    private static String classPath() throws IOException {
        if (AuditJvm.class.getClassLoader() instanceof URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                try {
                    if ("file".equals(url.getProtocol())) {
                        entries.add(Path.of(url.toURI()).toString());
                    }
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new IOException("cannot use class path entry " + url, e);
                }
            }
            if (!entries.isEmpty()) {
                return String.join(File.pathSeparator, entries);
            }
        }
        return System.getProperty("java.class.path");
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
