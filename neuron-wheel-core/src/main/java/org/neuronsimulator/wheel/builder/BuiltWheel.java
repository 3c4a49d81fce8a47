package org.neuronsimulator.wheel.builder;

import java.nio.file.Path;

/**
 * A raw wheel as a build left it, before audit, repair and the final deterministic write.
 *
 * @param file      the wheel file
 * @param pythonTag the build's Python, e.g. {@code cp311}
 */
public record BuiltWheel(Path file, String pythonTag) {
}
