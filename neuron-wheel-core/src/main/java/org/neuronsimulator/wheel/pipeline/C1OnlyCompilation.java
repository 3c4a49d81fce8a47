package org.neuronsimulator.wheel.pipeline;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * While any is open, the JVM compiles methods that become hot with C1 only: a compiler directive that excludes C2
 * for every method, added through HotSpot's diagnostic command MBean (what {@code jcmd Compiler.directives_add} does).
 * <p>
 * Why: on two cores, a folder audit of 73 wheels kept the C2 compiler busy for 5.7 s of its 8 s. Most of what C2
 * compiled ran too briefly to pay for its compilation: with the directive the folder took 1 s less, a 60-wheel folder
 * 0.35 s less; one wheel, even vtk, gained nothing (the MBean server costs about 0.2 s of CPU to start), so only
 * audits of several wheels open one.
 * <p>
 * Methods excluded while it is open stay C1-compiled for the life of the JVM; what became hot before keeps its C2
 * code. The directive is added and removed on a background thread, so that neither waits for the MBean server; where
 * the JVM has no such MBean or command (not HotSpot), nothing changes.
 */
final class C1OnlyCompilation implements AutoCloseable {

    static final String DIRECTIVE = "[{match: \"*.*\", c2: {Exclude: true}}]";
    private static final String[] SIGNATURE = {String[].class.getName()};
    private static final Object LOCK = new Object();
    /** Runs the adds and removes in the order asked for; its thread ends when idle, not holding the plugin's class loader. */
    private static final ExecutorService COMMANDS = commandThread();
    private static int open; // guarded by LOCK
    private static boolean added; // only touched on the command thread

    private boolean closed;

    private C1OnlyCompilation() {
    }

    static C1OnlyCompilation open() {
        synchronized (LOCK) {
            if (open++ == 0) {
                COMMANDS.execute(C1OnlyCompilation::add);
            }
        }
        return new C1OnlyCompilation();
    }

    @Override
    public void close() {
        synchronized (LOCK) {
            if (closed) {
                return;
            }
            closed = true;
            if (--open == 0) {
                COMMANDS.execute(C1OnlyCompilation::remove);
            }
        }
    }

    /** Waits until the adds and removes asked for so far are done: for tests. */
    static void awaitCommands() throws InterruptedException {
        Object done = new Object();
        synchronized (done) {
            COMMANDS.execute(() -> {
                synchronized (done) {
                    done.notifyAll();
                }
            });
            done.wait(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private static void add() {
        synchronized (LOCK) {
            if (open == 0 || added) {
                return; // closed before the command thread came to it, or still in place from an earlier open
            }
        }
        try {
            Path file = Files.createTempFile("neuron-wheel-c1-only", ".json");
            try {
                Files.writeString(file, DIRECTIVE);
                command("compilerDirectivesAdd", file.toString());
                added = true;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (Exception | LinkageError e) {
            // Not HotSpot, or its management is disabled: compilation stays as it is, which is only slower.
        }
    }

    private static void remove() {
        synchronized (LOCK) {
            if (!added || open > 0) {
                return; // reopened before the command thread came to it: the directive stays
            }
        }
        try {
            command("compilerDirectivesRemove");
        } catch (Exception | LinkageError e) {
            // it was added through this MBean moments ago; failing now leaves C1 only, which is slower, not wrong
        }
        added = false;
    }

    private static Object command(String operation, String... arguments) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
                new Object[] {arguments}, SIGNATURE);
    }

    /** The current directives as HotSpot prints them: for tests. */
    static String directives() throws JMException {
        return String.valueOf(command("compilerDirectivesPrint"));
    }

    private static ExecutorService commandThread() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "neuron-wheel-c1-only");
            thread.setDaemon(true);
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
