package org.neuronsimulator.wheel.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * Writes a zip archive to a seekable channel, entries in the order given, with every local header
 * carrying its CRC and sizes (general purpose bit 3 is never set): the header space is reserved, the
 * data written, then the header filled in. Compression runs on a pool: files are cut into blocks that
 * are deflated in parallel by a {@link BlockCompressor} and joined into one deflate stream that does
 * not depend on the thread count. A file whose first block does not compress is stored. Only a
 * bounded number of blocks is in flight, so memory stays bounded whatever the archive size. ZIP64 records are written when needed.
 */
final class ZipWriter implements AutoCloseable {

    /** Size of the blocks compressed in parallel. */
    static final int BLOCK = 1 << 20;
    private static final int DICTIONARY = 32 * 1024;
    private static final long ZIP64_ENTRY_THRESHOLD = 0xF0000000L;
    private static final long MAX32 = 0xFFFFFFFFL;

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

    private record Central(byte[] name, int flags, int method, long crc, long compressedSize, long size,
            long offset, int mode, boolean zip64Local) {
    }

    /** A compressed (or stored) block of one file. */
    private record Block(byte[] raw, int rawLength, byte[] out, int outLength, boolean store) {
    }

    private final FileChannel channel;
    private final int level;
    private final DeflateEngine engine;
    /** Every compressor the pool's threads made, released on close. */
    private final java.util.Queue<BlockCompressor> compressors = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ThreadLocal<BlockCompressor> threadCompressor = new ThreadLocal<>();
    private final int dosTime;
    private final int dosDate;
    private final int threads;
    private final ExecutorService pool;
    private final List<Central> central = new ArrayList<>();
    /** Recycled full-size block buffers: taking one blocks the reader, which bounds the memory in flight. */
    private final BlockingQueue<byte[]> rawBuffers;
    private final BlockingQueue<byte[]> outBuffers = new java.util.concurrent.LinkedBlockingQueue<>();
    /** Output buffer size: above every engine's bound for a full block. */
    private static final int OUT_BLOCK = ZlibCompressor.worstCase(BLOCK);
    private long position;

    /** @param engine the deflate engine, resolved ({@link DeflateEngine#resolve()}) */
    ZipWriter(FileChannel channel, int level, long epochSeconds, int threads, DeflateEngine engine) {
        this.channel = channel;
        this.level = level;
        this.engine = engine;
        if (engine == DeflateEngine.AUTO) {
            throw new IllegalArgumentException("resolve the deflate engine first");
        }
        this.threads = Math.max(1, threads);
        int[] dos = dosDateTime(epochSeconds);
        this.dosDate = dos[0];
        this.dosTime = dos[1];
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

    /** DOS date and time (UTC fields) for seconds since the epoch, clamped to 1980-01-01. */
    static int[] dosDateTime(long epochSeconds) {
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(Math.max(epochSeconds, 315532800L), 0,
                java.time.ZoneOffset.UTC);
        if (t.getYear() > 2107) {
            t = java.time.LocalDateTime.of(2107, 12, 31, 23, 59, 58);
        }
        int date = ((t.getYear() - 1980) << 9) | (t.getMonthValue() << 5) | t.getDayOfMonth();
        int time = (t.getHour() << 11) | (t.getMinute() << 5) | (t.getSecond() / 2);
        return new int[] {date, time};
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
            throw new java.io.InterruptedIOException("interrupted while writing");
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

    @SuppressWarnings("unchecked")
    private Written writeEntry(Item item, BlockingQueue<Object> queue) throws IOException, InterruptedException {
        Object start = take(queue);
        long declared = (Long) start;
        EntrySource.ArchiveEntry verbatim = item.verbatim();
        byte[] name = item.name().getBytes(StandardCharsets.UTF_8);
        boolean ascii = name.length == item.name().length();
        boolean zip64 = declared >= ZIP64_ENTRY_THRESHOLD;
        long headerOffset = position;
        position += 30 + name.length + (zip64 ? 20 : 0);
        CRC32 crc = new CRC32();
        MessageDigest sha = sha256();
        long size = 0;
        long compressed = 0;
        Boolean store = declared == 0 ? Boolean.TRUE : null;
        while (true) {
            Object next = take(queue);
            if (next == END) {
                break;
            }
            Block block;
            try {
                block = ((Future<Block>) next).get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof IOException io ? io : new IOException("compression failed: " + cause, cause);
            }
            if (store == null) {
                store = block.store();
            }
            if (verbatim == null) {
                crc.update(block.raw(), 0, block.rawLength());
                sha.update(block.raw(), 0, block.rawLength());
                size += block.rawLength();
            }
            ByteBuffer data = store ? ByteBuffer.wrap(block.raw(), 0, block.rawLength())
                    : ByteBuffer.wrap(block.out(), 0, block.outLength());
            int n = data.remaining();
            writeFully(data, position);
            position += n;
            compressed += n;
            recycle(block);
        }
        long crcValue = crc.getValue();
        byte[] digest;
        int method = store ? ZipEntryInfo.STORED : ZipEntryInfo.DEFLATED;
        if (verbatim != null) {
            size = verbatim.entry().size();
            crcValue = verbatim.entry().crc();
            digest = verbatim.sha256();
            method = verbatim.entry().method();
            if (compressed != verbatim.entry().compressedSize()) {
                throw new IOException(item.name() + ": compressed data changed while copying");
            }
        } else {
            digest = sha.digest();
        }
        if (size != declared) {
            throw new IOException(item.name() + ": content size changed while writing (expected " + declared
                    + " bytes, read " + size + ")");
        }
        if (!zip64 && compressed > MAX32) {
            throw new IOException(item.name() + ": compressed size exceeds 4 GiB without ZIP64");
        }
        int flags = ascii ? 0 : 0x800;
        ByteBuffer header = ByteBuffer.allocate(30 + name.length + (zip64 ? 20 : 0)).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0x04034b50).putShort((short) (zip64 ? 45 : 20)).putShort((short) flags)
                .putShort((short) method).putShort((short) dosTime).putShort((short) dosDate)
                .putInt((int) crcValue)
                .putInt(zip64 ? -1 : (int) compressed).putInt(zip64 ? -1 : (int) size)
                .putShort((short) name.length).putShort((short) (zip64 ? 20 : 0)).put(name);
        if (zip64) {
            header.putShort((short) 1).putShort((short) 16).putLong(size).putLong(compressed);
        }
        writeFully(header.flip(), headerOffset);
        central.add(new Central(name, flags, method, crcValue, compressed, size, headerOffset,
                regularMode(item.mode()), zip64));
        return new Written(item.name(), digest, size);
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

    private void writeFully(ByteBuffer buffer, long at) throws IOException {
        long p = at;
        while (buffer.hasRemaining()) {
            p += channel.write(buffer, p);
        }
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
        long cdStart = position;
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        for (Central c : central) {
            boolean bigSize = c.size() >= MAX32 || c.zip64Local();
            boolean bigCompressed = c.compressedSize() >= MAX32 || c.zip64Local();
            boolean bigOffset = c.offset() >= MAX32;
            int extra = (bigSize ? 8 : 0) + (bigCompressed ? 8 : 0) + (bigOffset ? 8 : 0);
            int extraLength = extra == 0 ? 0 : extra + 4;
            int needed = extra > 0 || c.zip64Local() ? 45 : 20;
            int length = 46 + c.name().length + extraLength;
            if (buffer.remaining() < length) {
                flush(buffer);
                if (buffer.capacity() < length) {
                    buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
                }
            }
            buffer.putInt(0x02014b50).putShort((short) ((3 << 8) | needed)).putShort((short) needed)
                    .putShort((short) c.flags()).putShort((short) c.method()).putShort((short) dosTime)
                    .putShort((short) dosDate).putInt((int) c.crc())
                    .putInt(bigCompressed ? -1 : (int) c.compressedSize()).putInt(bigSize ? -1 : (int) c.size())
                    .putShort((short) c.name().length).putShort((short) extraLength).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(c.mode() << 16)
                    .putInt(bigOffset ? -1 : (int) c.offset()).put(c.name());
            if (extra > 0) {
                buffer.putShort((short) 1).putShort((short) extra);
                if (bigSize) {
                    buffer.putLong(c.size());
                }
                if (bigCompressed) {
                    buffer.putLong(c.compressedSize());
                }
                if (bigOffset) {
                    buffer.putLong(c.offset());
                }
            }
        }
        flush(buffer);
        long cdSize = position - cdStart;
        boolean zip64 = central.size() >= 0xFFFF || cdStart >= MAX32 || cdSize >= MAX32;
        ByteBuffer end = ByteBuffer.allocate(56 + 20 + 22).order(ByteOrder.LITTLE_ENDIAN);
        if (zip64) {
            long recordOffset = position;
            end.putInt(0x06064b50).putLong(44).putShort((short) ((3 << 8) | 45)).putShort((short) 45)
                    .putInt(0).putInt(0).putLong(central.size()).putLong(central.size()).putLong(cdSize)
                    .putLong(cdStart);
            end.putInt(0x07064b50).putInt(0).putLong(recordOffset).putInt(1);
        }
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                .putShort((short) Math.min(central.size(), 0xFFFF)).putShort((short) Math.min(central.size(), 0xFFFF))
                .putInt(cdSize >= MAX32 ? -1 : (int) cdSize).putInt(cdStart >= MAX32 ? -1 : (int) cdStart)
                .putShort((short) 0);
        flush(end);
        channel.truncate(position);
    }

    private void flush(ByteBuffer buffer) throws IOException {
        buffer.flip();
        int n = buffer.remaining();
        writeFully(buffer, position);
        position += n;
        buffer.clear();
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            // a compressor still in use by a thread must not be released under it
            if (!pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        BlockCompressor compressor;
        while ((compressor = compressors.poll()) != null) {
            compressor.close();
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

        /** Passes an entry's stored bytes through in blocks, without inflating or compressing them. */
        private void copy(EntrySource.ArchiveEntry source) throws IOException, InterruptedException {
            long remaining = source.entry().compressedSize();
            try (InputStream in = source.archive().openRaw(source.entry())) {
                while (remaining > 0 && !stop) {
                    int length = (int) Math.min(BLOCK, remaining);
                    byte[] raw = length == BLOCK ? rawBuffers.take() : new byte[length];
                    if (in.readNBytes(raw, 0, length) < length) {
                        throw new IOException(source.entry().name() + ": archive data ended early");
                    }
                    remaining -= length;
                    queue.put(CompletableFuture.completedFuture(new Block(raw, length, null, 0, true)));
                }
            }
        }

        private void produce(Item item) throws IOException, InterruptedException {
            long size = item.source().size();
            queue.put(size);
            if (size == 0) {
                queue.put(END);
                return;
            }
            EntrySource.ArchiveEntry verbatim = item.verbatim();
            if (verbatim != null) {
                copy(verbatim);
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
