package org.neuronsimulator.wheel.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.io.input.BoundedInputStream;
import org.apache.commons.io.output.DeferredFileOutputStream;

/**
 * Writes a zip archive with Commons Compress's {@link ZipArchiveOutputStream} on a seekable channel,
 * entries in the order given, while the compression runs on a pool: files are cut into blocks that
 * are deflated in parallel by a {@link BlockCompressor} and joined into one deflate stream that does
 * not depend on the thread count. A file whose first block does not compress is stored. Each entry's
 * compressed data is collected (in memory, or in a temporary file when large; a stored file is read
 * again instead), then handed to {@link ZipArchiveOutputStream#addRawArchiveEntry} with its CRC and
 * sizes, so every local header carries them and no data descriptor is written. Only a bounded number
 * of blocks is in flight, so memory stays bounded whatever the archive size; ZIP64 records come from
 * Commons Compress when needed.
 */
final class ZipWriter implements AutoCloseable {

    /** Size of the blocks compressed in parallel. */
    static final int BLOCK = 1 << 20;
    private static final int DICTIONARY = 32 * 1024;
    /** A deflated entry's data is held in memory up to this size, beyond it in a temporary file. */
    private static final int IN_MEMORY = 16 << 20;

    /** A file to write: its name, content and unix mode (type bits added when missing). */
    record Item(String name, EntrySource source, int mode) {
        /** An archive entry whose content is known good (CRC checked, sha256 known): its data is copied as is. */
        EntrySource.ArchiveEntry verbatim() {
            return source instanceof EntrySource.ArchiveEntry a && a.sha256() != null && a.entry().size() > 0 ? a : null;
        }
    }

    /** What was written for an entry: the RECORD facts. */
    record Written(String name, byte[] sha256, long size) {
    }

    /** A compressed (or stored) block of one file. */
    private record Block(byte[] raw, int rawLength, byte[] out, int outLength, boolean store) {
    }

    private final ZipArchiveOutputStream zip;
    /** Where a large entry's compressed data waits: beside the archive being written, named after it. */
    private final Path spillDirectory;
    private final String spillPrefix;
    private final int level;
    private final DeflateEngine engine;
    /** Every compressor the pool's threads made, released on close. */
    private final Queue<BlockCompressor> compressors = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<BlockCompressor> threadCompressor = new ThreadLocal<>();
    private final long entryTime;
    private final int threads;
    private final ExecutorService pool;
    /** Recycled full-size block buffers: taking one blocks the reader, which bounds the memory in flight. */
    private final BlockingQueue<byte[]> rawBuffers;
    private final BlockingQueue<byte[]> outBuffers = new LinkedBlockingQueue<>();
    /** Output buffer size: above every engine's bound for a full block. */
    private static final int OUT_BLOCK = ZlibCompressor.worstCase(BLOCK);

    /**
     * @param channel the archive file being written, {@code file}
     * @param engine the deflate engine, resolved ({@link DeflateEngine#resolve()})
     */
    ZipWriter(FileChannel channel, Path file, int level, long epochSeconds, int threads, DeflateEngine engine) {
        if (engine == DeflateEngine.AUTO) {
            throw new IllegalArgumentException("resolve the deflate engine first");
        }
        this.zip = new ZipArchiveOutputStream(channel);
        this.spillDirectory = file.toAbsolutePath().getParent();
        this.spillPrefix = file.getFileName() + ".entry-";
        this.level = level;
        this.engine = engine;
        this.threads = Math.max(1, threads);
        this.entryTime = entryTime(epochSeconds);
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "wheel-deflate-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(this.threads, factory);
        int buffers = 2 * this.threads + 6;
        this.rawBuffers = new ArrayBlockingQueue<>(buffers);
        for (int i = 0; i < buffers; i++) {
            rawBuffers.add(new byte[BLOCK]);
        }
    }

    /**
     * The entry time to give Commons Compress for the UTC date and time of {@code epochSeconds} (clamped
     * to the DOS range 1980-2107): it writes DOS fields in the JVM's time zone, so the instant is shifted
     * to make them the UTC fields on every machine. The one exception: where that zone skips the hour
     * (a daylight saving change) no instant has those fields, and the next valid local time is written.
     */
    static long entryTime(long epochSeconds) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.max(epochSeconds, WheelWriter.ZIP_EPOCH), 0, ZoneOffset.UTC);
        if (t.getYear() > 2107) {
            t = LocalDateTime.of(2107, 12, 31, 23, 59, 58);
        }
        return t.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    /** Writes the items in order; returns the sha256 and size of each. */
    List<Written> write(List<Item> items) throws IOException {
        // the queue holds, in order, per item: a start marker, its block futures, an end marker
        int capacity = 2 * threads + 4;
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(capacity);
        Producer producer = new Producer(items, queue);
        Thread thread = new Thread(producer, "wheel-reader");
        thread.setDaemon(true);
        thread.start();
        List<Written> written = new ArrayList<>(items.size());
        boolean ok = false;
        try {
            for (Item item : items) {
                written.add(writeEntry(item, queue));
            }
            ok = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        } finally {
            if (!ok) {
                producer.stop = true;
                thread.interrupt();
            }
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return written;
    }

    private static final Object END = new Object();

    private record Failure(IOException error) {
    }

    private Object take(BlockingQueue<Object> queue) throws InterruptedException, IOException {
        Object next = queue.take();
        if (next instanceof Failure f) {
            throw f.error();
        }
        return next;
    }

    private ZipArchiveEntry entry(String name, int method, long crc, long size, long compressed, int mode) {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setMethod(method);
        entry.setCrc(crc);
        entry.setSize(size);
        entry.setCompressedSize(compressed);
        entry.setTime(entryTime);
        entry.setUnixMode(regularMode(mode));
        return entry;
    }

    private Written writeEntry(Item item, BlockingQueue<Object> queue) throws IOException, InterruptedException {
        long declared = (Long) take(queue);
        EntrySource.ArchiveEntry verbatim = item.verbatim();
        if (verbatim != null) {
            if (take(queue) != END) {
                throw new IllegalStateException("a copied entry has no blocks");
            }
            ZipEntryInfo source = verbatim.entry();
            try (InputStream raw = verbatim.archive().openRaw(source)) {
                zip.addRawArchiveEntry(entry(item.name(), source.method(), source.crc(), source.size(),
                        source.compressedSize(), item.mode()), raw);
            }
            return new Written(item.name(), verbatim.sha256(), source.size());
        }
        CRC32 crc = new CRC32();
        MessageDigest sha = sha256();
        long size = 0;
        boolean store = declared == 0;
        boolean first = true;
        DeferredFileOutputStream deflated = DeferredFileOutputStream.builder().setThreshold(IN_MEMORY)
                .setDirectory(spillDirectory).setPrefix(spillPrefix).setSuffix(".tmp").get();
        try {
            try (deflated) {
                while (true) {
                    Object next = take(queue);
                    if (next == END) {
                        break;
                    }
                    Block block = await(next);
                    if (first) {
                        store = block.store();
                        first = false;
                    }
                    crc.update(block.raw(), 0, block.rawLength());
                    sha.update(block.raw(), 0, block.rawLength());
                    size += block.rawLength();
                    if (!store) {
                        deflated.write(block.out(), 0, block.outLength());
                    }
                    recycle(block);
                }
            }
            if (size != declared) {
                throw new IOException(item.name() + ": content size changed while writing (expected " + declared
                        + " bytes, read " + size + ")");
            }
            if (store) {
                // read once more rather than held: the content is still in the page cache
                writeStored(item, size, crc.getValue());
            } else {
                try (InputStream in = deflated.toInputStream()) {
                    zip.addRawArchiveEntry(entry(item.name(), ZipEntryInfo.DEFLATED, crc.getValue(), size,
                            deflated.getByteCount(), item.mode()), in);
                }
            }
        } finally {
            if (deflated.getPath() != null) {
                Files.deleteIfExists(deflated.getPath());
            }
        }
        return new Written(item.name(), sha.digest(), size);
    }

    /** A stored entry, its content read again from its source and checked against the first read. */
    private void writeStored(Item item, long size, long crc) throws IOException {
        try (BoundedInputStream counted = BoundedInputStream.builder().setInputStream(item.source().open()).get();
                CheckedInputStream checked = new CheckedInputStream(counted, new CRC32())) {
            zip.addRawArchiveEntry(entry(item.name(), ZipEntryInfo.STORED, crc, size, size, item.mode()), checked);
            if (counted.getCount() != size || checked.getChecksum().getValue() != crc) {
                throw new IOException(item.name() + ": content changed while writing");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Block await(Object future) throws IOException, InterruptedException {
        try {
            return ((Future<Block>) future).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            throw cause instanceof IOException io ? io : new IOException("compression failed: " + cause, cause);
        }
    }

    private void recycle(Block block) {
        if (block.raw().length == BLOCK) {
            rawBuffers.offer(block.raw());
        }
        if (block.out() != null && block.out().length == OUT_BLOCK) {
            outBuffers.offer(block.out());
        }
    }

    static int regularMode(int mode) {
        return (mode & 0170000) == 0 ? (mode & 07777) | 0100000 : mode & 0xFFFF;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the central directory and end records. */
    void finish() throws IOException {
        zip.finish();
    }

    @Override
    public void close() throws IOException {
        pool.shutdownNow();
        try {
            // a compressor still in use by a thread must not be released under it
            if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                BlockCompressor compressor;
                while ((compressor = compressors.poll()) != null) {
                    compressor.close();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // finishes an archive left unfinished (its file is discarded then) and closes the channel
            zip.close();
        }
    }

    private BlockCompressor compressor() {
        BlockCompressor compressor = threadCompressor.get();
        if (compressor == null) {
            compressor = engine.newCompressor(level);
            compressors.add(compressor);
            threadCompressor.set(compressor);
        }
        return compressor;
    }

    /** Reads the items' content in order and submits their blocks for compression. */
    private final class Producer implements Runnable {
        private final List<Item> items;
        private final BlockingQueue<Object> queue;
        volatile boolean stop;

        Producer(List<Item> items, BlockingQueue<Object> queue) {
            this.items = items;
            this.queue = queue;
        }

        @Override
        public void run() {
            try {
                for (Item item : items) {
                    if (stop) {
                        return;
                    }
                    produce(item);
                }
            } catch (InterruptedException e) {
                // the writer gave up
            } catch (IOException | RuntimeException e) {
                IOException error = e instanceof IOException io ? io
                        : new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
                try {
                    queue.put(new Failure(error));
                } catch (InterruptedException ignored) {
                    // the writer gave up
                }
            }
        }

        private void produce(Item item) throws IOException, InterruptedException {
            long size = item.source().size();
            queue.put(size);
            // a verbatim copy is streamed by the writer straight from its archive
            if (size == 0 || item.verbatim() != null) {
                queue.put(END);
                return;
            }
            try (InputStream in = item.source().open()) {
                CompletableFuture<Boolean> storeDecision = new CompletableFuture<>();
                byte[] dictionary = null;
                long remaining = size;
                boolean first = true;
                while (remaining > 0 && !stop) {
                    int length = (int) Math.min(BLOCK, remaining);
                    // small files get their own array; full blocks use (and wait for) a recycled one
                    byte[] raw = length == BLOCK ? rawBuffers.take() : new byte[length];
                    int read = in.readNBytes(raw, 0, length);
                    if (read < length) {
                        throw new IOException(item.name() + ": content ended early (expected " + size
                                + " bytes, read " + (size - remaining + read) + ")");
                    }
                    remaining -= length;
                    boolean last = remaining == 0;
                    boolean isFirst = first;
                    byte[] primer = dictionary;
                    queue.put(pool.submit(() -> compress(raw, length, primer, last, isFirst, storeDecision)));
                    dictionary = last || !engine.usesDictionary() ? null
                            : Arrays.copyOfRange(raw, Math.max(0, length - DICTIONARY), length);
                    first = false;
                }
                if (in.read() >= 0) {
                    throw new IOException(item.name() + ": content is longer than its size " + size
                            + " (changed while writing?)");
                }
            }
            queue.put(END);
        }
    }

    private Block compress(byte[] raw, int rawLength, byte[] dictionary, boolean last, boolean first,
            CompletableFuture<Boolean> storeDecision) throws Exception {
        // Later blocks do not wait for the first block's store-or-deflate decision: waiting would idle a
        // core on every multi-block file. They compress speculatively unless the file is known to be stored.
        if (!first && storeDecision.isDone() && !storeDecision.isCompletedExceptionally()
                && storeDecision.getNow(false)) {
            return new Block(raw, rawLength, null, 0, true);
        }
        BlockCompressor compressor = compressor();
        try {
            int bound = compressor.bound(rawLength);
            byte[] out = rawLength == BLOCK && bound <= OUT_BLOCK ? outBuffers.poll() : null;
            if (out == null) {
                out = new byte[rawLength == BLOCK ? Math.max(bound, OUT_BLOCK) : bound];
            }
            int length = compressor.compress(raw, rawLength, dictionary, last, out);
            if (first) {
                // stored when deflate saves under 2% of the first block
                boolean store = length >= rawLength - rawLength / 50;
                storeDecision.complete(store);
                if (store) {
                    if (out.length == OUT_BLOCK) {
                        outBuffers.offer(out);
                    }
                    return new Block(raw, rawLength, null, 0, true);
                }
            }
            return new Block(raw, rawLength, out, length, false);
        } catch (RuntimeException e) {
            if (first) {
                storeDecision.completeExceptionally(e);
            }
            throw e;
        }
    }
}
