package org.neuronsimulator.wheel.audit;

import java.util.List;

/**
 * How to audit.
 *
 * @param excludes        glob patterns ({@code *}, {@code ?}, {@code [...]}) on sonames or resolved
 *                        paths of libraries to leave out together with their dependencies
 * @param skipIsaCheck    do not lower the tag for x86-64 micro-architecture levels above the baseline
 * @param threads         how many entries are read at once
 */
public record AuditOptions(List<String> excludes, boolean skipIsaCheck, int threads) {

    public AuditOptions {
        excludes = List.copyOf(excludes);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }

    public static AuditOptions defaults() {
        // Inflating is CPU-bound (native where libdeflate is there): a thread per core, each holding one entry buffer.
        return new AuditOptions(List.of(), false, Math.min(8, Math.max(2, Runtime.getRuntime().availableProcessors())));
    }

    public AuditOptions withExcludes(List<String> patterns) {
        return new AuditOptions(patterns, skipIsaCheck, threads);
    }
}
