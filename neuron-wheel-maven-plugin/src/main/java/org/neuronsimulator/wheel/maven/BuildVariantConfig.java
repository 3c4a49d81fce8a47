package org.neuronsimulator.wheel.maven;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A build variant as written in the plugin configuration:
 * <pre>{@code
 * <variants>
 *   <variant>
 *     <name>coreneuron-gpu</name>
 *     <arguments><argument>coreneuron-gpu</argument></arguments>
 *     <environment><NRN_ENABLE_GPU>ON</NRN_ENABLE_GPU></environment>
 *   </variant>
 * </variants>
 * }</pre>
 */
public class BuildVariantConfig {

    /** The name {@code neuron.variant} selects. */
    String name;

    /** Extra command arguments (replacing {@code {variant}} in the command, or appended). */
    List<String> arguments = new ArrayList<>();

    /** Extra environment variables. */
    Map<String, String> environment = new LinkedHashMap<>();
}
