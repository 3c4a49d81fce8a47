package org.neuronsimulator.wheel.archive;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The files of a wheel to be written: each name maps to where its content comes from (bytes, a file
 * on disk, an entry of an open archive) and its unix mode. {@code RECORD} is not part of it: the
 * writer generates it. Editable: add, replace, remove and rename entries or whole directories.
 */
public final class WheelContents {

    /** Default mode of a regular file: rw-r--r--. */
    public static final int DEFAULT_MODE = 0100644;

    /** One file: its archive name, its content and its unix mode. */
    public record Entry(String name, EntrySource source, int mode) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(source, "source");
            String reason = ZipArchive.unsafeNameReason(name);
            if (reason != null) {
                throw new IllegalArgumentException("unsafe entry name " + name + " (" + reason + ")");
            }
            if (name.endsWith("/")) {
                throw new IllegalArgumentException("entry name " + name + " is a directory");
            }
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public WheelContents() {
    }

    /**
     * The files of an archive (directories left out, as are the dist-info {@code RECORD} and its
     * signatures, which a rewrite makes stale). The archive must stay open until the contents are written.
     */
    public static WheelContents of(ZipArchive archive) {
        WheelContents contents = new WheelContents();
        for (ZipEntryInfo entry : archive.entries()) {
            if (entry.isDirectory() || isRecordFile(entry.name())) {
                continue;
            }
            int mode = entry.unixMode();
            contents.put(entry.name(), new EntrySource.ArchiveEntry(archive, entry), mode == 0 ? DEFAULT_MODE : mode);
        }
        return contents;
    }

    /** Whether a name is a dist-info RECORD or one of its signature files. */
    static boolean isRecordFile(String name) {
        int slash = name.indexOf('/');
        if (slash < 0 || name.indexOf('/', slash + 1) >= 0 || !name.substring(0, slash).endsWith(".dist-info")) {
            return false;
        }
        String file = name.substring(slash + 1);
        return file.equals("RECORD") || file.equals("RECORD.jws") || file.equals("RECORD.p7s");
    }

    public WheelContents put(String name, EntrySource source, int mode) {
        entries.put(name, new Entry(name, source, mode));
        return this;
    }

    public WheelContents put(String name, EntrySource source) {
        return put(name, source, DEFAULT_MODE);
    }

    public WheelContents put(String name, byte[] bytes) {
        Entry existing = entries.get(name);
        return put(name, EntrySource.of(bytes), existing == null ? DEFAULT_MODE : existing.mode());
    }

    public boolean remove(String name) {
        return entries.remove(name) != null;
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public Optional<Entry> get(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** Renames one entry; fails when the source is missing or the target exists. */
    public WheelContents rename(String from, String to) {
        Entry entry = entries.get(from);
        if (entry == null) {
            throw new IllegalArgumentException("no entry named " + from);
        }
        if (!from.equals(to) && entries.containsKey(to)) {
            throw new IllegalArgumentException("entry " + to + " already exists");
        }
        Entry renamed = new Entry(to, entry.source(), entry.mode());
        entries.remove(from);
        entries.put(to, renamed);
        return this;
    }

    /** Renames every entry under directory {@code from} (e.g. {@code a-1.0.dist-info}) to be under {@code to}. */
    public WheelContents renameDirectory(String from, String to) {
        String fromPrefix = from.endsWith("/") ? from : from + "/";
        String toPrefix = to.endsWith("/") ? to : to + "/";
        List<String> names = new ArrayList<>();
        for (String name : entries.keySet()) {
            if (name.startsWith(fromPrefix)) {
                names.add(name);
            }
        }
        for (String name : names) {
            rename(name, toPrefix + name.substring(fromPrefix.length()));
        }
        return this;
    }

    public Collection<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public Set<String> names() {
        return new TreeSet<>(entries.keySet());
    }

    public int size() {
        return entries.size();
    }

    /** The top-level {@code *.dist-info} directory names present. */
    public Set<String> distInfoDirectories() {
        Set<String> dirs = new TreeSet<>();
        for (String name : entries.keySet()) {
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(0, slash).endsWith(".dist-info")) {
                dirs.add(name.substring(0, slash));
            }
        }
        return dirs;
    }
}
