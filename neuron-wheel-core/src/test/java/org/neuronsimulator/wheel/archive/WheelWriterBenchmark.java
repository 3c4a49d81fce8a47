package org.neuronsimulator.wheel.archive;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * Benchmark entry point (run by benchmarks/wheel-writer.sh, not by the test suite): packs an unpacked
 * wheel tree with {@link WheelWriter} and prints the wall time and the peak heap use.
 * Arguments: the tree, the output wheel path; {@code -Dneuron.deflate=zlib|libdeflate|auto} picks the
 * deflate engine (default auto). With {@code --rename <wheel> <output folder>} it instead
 * opens (verifies) a wheel and writes it renamed to {@code <name>-nightly}, the wheel goal's job.
 */
public final class WheelWriterBenchmark {

    /** Highest heap occupancy right after a collection: what the writer really holds, garbage aside. */
    private static final class LiveHeap implements javax.management.NotificationListener {
        volatile long peak;

        LiveHeap() {
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof javax.management.NotificationEmitter emitter) {
                    emitter.addNotificationListener(this, null, null);
                }
            }
        }

        @Override
        public void handleNotification(javax.management.Notification notification, Object handback) {
            if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                    .equals(notification.getType())) {
                return;
            }
            var info = com.sun.management.GarbageCollectionNotificationInfo
                    .from((javax.management.openmbean.CompositeData) notification.getUserData());
            long used = 0;
            for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                var after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                if (pool.getType() == MemoryType.HEAP && after != null) {
                    used += after.getUsed();
                }
            }
            peak = Math.max(peak, used);
        }
    }

    private WheelWriterBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args[0].equals("--rename")) {
            rename(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        Path tree = Path.of(args[0]);
        Path target = Path.of(args[1]);
        LiveHeap live = new LiveHeap();
        long start = System.nanoTime();
        WheelContents contents = new WheelContents();
        List<Path> files;
        try (var walk = Files.walk(tree)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        long bytes = 0;
        for (Path file : files) {
            String name = tree.relativize(file).toString().replace('\\', '/');
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            int mode = permissions.contains(PosixFilePermission.OWNER_EXECUTE) ? 0100755 : 0100644;
            contents.put(name, EntrySource.of(file), mode);
            bytes += Files.size(file);
        }
        DeflateEngine engine = DeflateEngine.parse(System.getProperty("neuron.deflate", "auto")).resolve();
        new WheelWriter(WheelWriter.Options.withSourceDateEpoch(System.getenv("SOURCE_DATE_EPOCH"))
                .deflateEngine(engine)).write(contents, target);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("java-writer engine=%s files=%d input_bytes=%d wheel_bytes=%d seconds=%.2f %s threads=%d%n",
                engine.name().toLowerCase(java.util.Locale.ROOT), files.size(), bytes, Files.size(target), seconds,
                heap(live), Runtime.getRuntime().availableProcessors());
    }

    private static void rename(Path wheel, Path outputDirectory) throws IOException {
        LiveHeap live = new LiveHeap();
        long start = System.nanoTime();
        Path written;
        try (WheelArchive archive = WheelArchive.open(wheel)) {
            double opened = (System.nanoTime() - start) / 1e9;
            written = new WheelRenamer(new WheelWriter(WheelWriter.Options.withSourceDateEpoch(
                    System.getenv("SOURCE_DATE_EPOCH")))).rename(archive,
                    java.util.Optional.of(archive.metadata().name() + "-nightly"), java.util.Optional.empty(),
                    outputDirectory);
            System.out.printf("java-rename verify_seconds=%.2f total_seconds=%.2f wheel=%s %s%n", opened,
                    (System.nanoTime() - start) / 1e9, written.getFileName(), heap(live));
        }
    }

    private static String heap(LiveHeap live) {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return String.format("peak_heap_mib=%.1f peak_live_heap_after_gc_mib=%.1f max_heap_mib=%d",
                peak / 1048576.0, live.peak / 1048576.0, Runtime.getRuntime().maxMemory() >> 20);
    }
}
