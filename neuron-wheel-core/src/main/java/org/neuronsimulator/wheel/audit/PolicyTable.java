package org.neuronsimulator.wheel.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The manylinux and musllinux policies, read from the project's own table format (see
 * {@code src/main/scripts/make-policy-table.py} for the format and how the tables are made).
 */
public final class PolicyTable {

    /** One policy as written in the table: per architecture symbol versions. */
    public record Entry(String name, int priority, List<String> aliases, Set<String> libraries,
                        Map<String, Map<String, Set<String>>> symbolVersions, Map<String, Set<String>> blacklist) {
    }

    private static volatile PolicyTable builtIn;

    private final Map<Libc, List<Entry>> entries;

    private PolicyTable(Map<Libc, List<Entry>> entries) {
        this.entries = entries;
    }

    /** The tables shipped with this library. */
    public static PolicyTable builtIn() {
        PolicyTable table = builtIn;
        if (table == null) {
            Map<Libc, List<Entry>> entries = new LinkedHashMap<>();
            entries.put(Libc.GLIBC, load("manylinux.policy"));
            entries.put(Libc.MUSL, load("musllinux.policy"));
            table = new PolicyTable(entries);
            builtIn = table;
        }
        return table;
    }

    /** The entries of one family, highest priority first, without the implicit {@code linux}. */
    public List<Entry> entries(Libc libc) {
        return entries.get(libc);
    }

    /** The policies that name {@code architecture}, plus {@code linux}. */
    public PolicySet forArchitecture(Libc libc, String architecture) {
        List<Policy> policies = new ArrayList<>();
        for (Entry e : entries.get(libc)) {
            Map<String, Set<String>> versions = e.symbolVersions().get(architecture);
            if (versions == null) {
                continue;
            }
            Set<String> libraries = e.libraries();
            if (libc == Libc.MUSL && libraries.contains("libc.so")) {
                // musl's C library carries an architecture-specific soname.
                Set<String> fixed = new LinkedHashSet<>(libraries);
                fixed.remove("libc.so");
                fixed.add("libc.musl-" + muslArchitecture(architecture) + ".so.1");
                libraries = Collections.unmodifiableSet(fixed);
            }
            policies.add(new Policy(e.name(), architecture, e.priority(), e.aliases(), libraries, versions,
                    e.blacklist()));
        }
        policies.sort(Collections.reverseOrder());
        policies.add(new Policy("linux", architecture, 0, List.of(), Set.of(), Map.of(), Map.of()));
        return new PolicySet(libc, architecture, policies);
    }

    /**
     * The policies a musl wheel is judged by: the one musllinux policy of the musl release the
     * system has (musl 1.2 gives {@code musllinux_1_2}), plus {@code linux}. A wheel built against
     * musl 1.2 may use what 1.1 lacks, so the tag follows the build system's release rather than the
     * most compatible name. Without a known release the newest policy applies; for a release the
     * table does not name, the newest policy not above it.
     */
    public PolicySet forMusl(String architecture, Optional<LibcVersion> release) {
        PolicySet all = forArchitecture(Libc.MUSL, architecture);
        Policy chosen = null;
        for (Policy p : all.all()) {
            if (p.isGenericLinux() || (release.isPresent() && muslRelease(p).compareTo(release.get()) > 0)) {
                continue;
            }
            if (chosen == null || muslRelease(p).compareTo(muslRelease(chosen)) > 0) {
                chosen = p;
            }
        }
        List<Policy> policies = new ArrayList<>();
        if (chosen != null) {
            policies.add(chosen);
        }
        policies.add(all.linux());
        return new PolicySet(Libc.MUSL, architecture, policies);
    }

    /** {@code musllinux_1_2} → 1.2. */
    private static LibcVersion muslRelease(Policy musl) {
        return LibcVersion.parse(musl.name().substring("musllinux_".length()).replace('_', '.'));
    }

    static String muslArchitecture(String architecture) {
        return switch (architecture) {
            case "i686" -> "x86";
            case "armv7l" -> "armv7";
            default -> architecture;
        };
    }

    private static List<Entry> load(String resource) {
        try (InputStream in = PolicyTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("policy table " + resource + " is missing from the class path");
            }
            return parse(resource, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read policy table " + resource, e);
        }
    }

    static List<Entry> parse(String source, BufferedReader reader) throws IOException {
        List<Entry> result = new ArrayList<>();
        Builder current = null;
        Builder previous = null;
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (text.isEmpty()) {
                continue;
            }
            List<String> words = Arrays.asList(text.split("\\s+"));
            String where = source + ":" + number;
            switch (words.get(0)) {
                case "policy" -> {
                    if (words.size() < 3) {
                        throw new IOException(where + ": policy needs a name and a priority");
                    }
                    if (current != null) {
                        result.add(current.build());
                        previous = current;
                    }
                    current = new Builder(words.get(1), Integer.parseInt(words.get(2)), words.subList(3, words.size()));
                }
                case "arches" -> {
                    require(current, where);
                    for (String arch : words.subList(1, words.size())) {
                        current.symbols.computeIfAbsent(arch, k -> new TreeMap<>());
                    }
                }
                case "libs" -> {
                    require(current, where);
                    current.libraries = values(words, 1, previous == null ? null : previous.libraries, where);
                }
                case "symbols" -> {
                    require(current, where);
                    if (words.size() < 4) {
                        throw new IOException(where + ": symbols needs an architecture, a prefix and an operator");
                    }
                    String arch = words.get(1);
                    String prefix = words.get(2);
                    Set<String> before = previous == null ? null
                            : previous.symbols.getOrDefault(arch, Map.of()).get(prefix);
                    current.symbols.computeIfAbsent(arch, k -> new TreeMap<>())
                            .put(prefix, values(words, 3, before, where));
                }
                case "forbid" -> {
                    require(current, where);
                    if (words.size() < 3) {
                        throw new IOException(where + ": forbid needs a soname and symbols");
                    }
                    String soname = words.get(1);
                    if (words.get(2).equals("same")) {
                        Set<String> before = previous == null ? null : previous.blacklist.get(soname);
                        if (before == null) {
                            throw new IOException(where + ": 'same' without a previous list for " + soname);
                        }
                        current.blacklist.put(soname, before);
                    } else {
                        current.blacklist.put(soname, values(words, 2, null, where));
                    }
                }
                default -> throw new IOException(where + ": unknown statement '" + words.get(0) + "'");
            }
        }
        if (current != null) {
            result.add(current.build());
        }
        return List.copyOf(result);
    }

    private static void require(Builder current, String where) throws IOException {
        if (current == null) {
            throw new IOException(where + ": statement before the first policy");
        }
    }

    private static Set<String> values(List<String> words, int operatorIndex, Set<String> previous, String where)
            throws IOException {
        String operator = words.get(operatorIndex);
        Set<String> values = new LinkedHashSet<>();
        if (operator.equals("+=")) {
            if (previous == null) {
                throw new IOException(where + ": '+=' without a previous list");
            }
            values.addAll(previous);
        } else if (!operator.equals("=")) {
            throw new IOException(where + ": expected '=' or '+=' but found '" + operator + "'");
        }
        values.addAll(words.subList(operatorIndex + 1, words.size()));
        return Collections.unmodifiableSet(values);
    }

    private static final class Builder {
        final String name;
        final int priority;
        final List<String> aliases;
        Set<String> libraries = Set.of();
        final Map<String, Map<String, Set<String>>> symbols = new TreeMap<>();
        final Map<String, Set<String>> blacklist = new TreeMap<>();

        Builder(String name, int priority, List<String> aliases) {
            this.name = name;
            this.priority = priority;
            this.aliases = List.copyOf(aliases);
        }

        Entry build() {
            Map<String, Map<String, Set<String>>> frozen = new TreeMap<>();
            symbols.forEach((arch, m) -> frozen.put(arch, Collections.unmodifiableMap(m)));
            return new Entry(name, priority, aliases, libraries, Collections.unmodifiableMap(frozen),
                    Collections.unmodifiableMap(blacklist));
        }
    }
}
