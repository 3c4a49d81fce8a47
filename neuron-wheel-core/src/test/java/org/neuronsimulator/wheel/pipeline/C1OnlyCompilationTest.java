package org.neuronsimulator.wheel.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/**
 * The directive through this JVM's own diagnostic command MBean, and what the JIT does under it, seen in JFR's
 * compilation events.
 */
class C1OnlyCompilationTest {

    private static boolean excludingC2() throws Exception {
        return C1OnlyCompilation.directives().contains("Exclude:true");
    }

    @Test
    void theDirectiveIsInPlaceWhileAnyIsOpen() throws Exception {
        C1OnlyCompilation.awaitCommands();
        assertFalse(excludingC2(), C1OnlyCompilation.directives());
        C1OnlyCompilation first = C1OnlyCompilation.open();
        C1OnlyCompilation second = C1OnlyCompilation.open();
        C1OnlyCompilation.awaitCommands();
        assertTrue(excludingC2(), C1OnlyCompilation.directives());
        first.close();
        first.close(); // a second close counts once
        C1OnlyCompilation.awaitCommands();
        assertTrue(excludingC2(), "removed while one is still open");
        second.close();
        C1OnlyCompilation.awaitCommands();
        assertFalse(excludingC2(), C1OnlyCompilation.directives());
    }

    @Test
    void closedBeforeTheCommandThreadCameToItLeavesNothing() throws Exception {
        C1OnlyCompilation.open().close();
        C1OnlyCompilation.open().close();
        C1OnlyCompilation.awaitCommands();
        assertFalse(excludingC2(), C1OnlyCompilation.directives());
    }

    /** Levels at which {@link #whileOpen} and {@link #afterClose} (or the loops that call them) were compiled. */
    private final Set<String> compiled = ConcurrentHashMap.newKeySet();

    @Test
    void aMethodThatBecomesHotWhileOpenIsCompiledByC1AndAfterCloseByC2() throws Exception {
        try (RecordingStream events = new RecordingStream()) {
            events.enable("jdk.Compilation").withThreshold(java.time.Duration.ZERO);
            events.onEvent("jdk.Compilation", this::note);
            events.startAsync();
            C1OnlyCompilation c1Only = C1OnlyCompilation.open();
            C1OnlyCompilation.awaitCommands();
            runUntil(() -> loopWhileOpen(), "whileOpen", 1, 30_000);
            // as long again as C2 takes for the same method once closed: it never comes
            long start = System.nanoTime();
            c1Only.close();
            C1OnlyCompilation.awaitCommands();
            runUntil(() -> loopAfterClose(), "afterClose", 4, 60_000);
            long c2Took = System.nanoTime() - start;
            long until = System.nanoTime() + c2Took;
            while (System.nanoTime() < until) {
                loopWhileOpen();
            }
            Thread.sleep(1500); // JFR delivers events about once a second
            assertFalse(compiled.contains("whileOpen@4"), compiled.toString());
        }
    }

    private void note(RecordedEvent event) {
        String method = event.getValue("method.name");
        if (method.startsWith("loopWhileOpen") || method.equals("whileOpen")) {
            compiled.add("whileOpen@" + event.getValue("compileLevel"));
        } else if (method.startsWith("loopAfterClose") || method.equals("afterClose")) {
            compiled.add("afterClose@" + event.getValue("compileLevel"));
        }
    }

    private void runUntil(Runnable work, String method, int level, long timeoutMillis) throws InterruptedException {
        long until = System.currentTimeMillis() + timeoutMillis;
        while (!compiled.contains(method + "@" + level)) {
            assertTrue(System.currentTimeMillis() < until, method + " was not compiled at level " + level + ": " + compiled);
            work.run();
            Thread.sleep(10);
        }
    }

    private static long sink;

    private static void loopWhileOpen() {
        for (int i = 0; i < 200_000; i++) {
            sink += whileOpen(i);
        }
    }

    private static void loopAfterClose() {
        for (int i = 0; i < 200_000; i++) {
            sink += afterClose(i);
        }
    }

    private static long whileOpen(int i) {
        return (i * 31L) ^ (i >>> 3);
    }

    private static long afterClose(int i) {
        return (i * 31L) ^ (i >>> 3);
    }
}
