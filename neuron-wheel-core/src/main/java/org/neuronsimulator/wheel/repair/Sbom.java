package org.neuronsimulator.wheel.repair;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuronsimulator.wheel.audit.ProvidingPackage;
import org.neuronsimulator.wheel.model.WheelFileName;

/**
 * The software bill of materials of a repaired wheel (PEP 770): a CycloneDX 1.4 JSON document
 * naming the wheel and, for every bundled library, the system package it was taken from. It has no
 * timestamp or serial number, so repairs stay reproducible.
 *
 * <p>Written with Jackson rather than cyclonedx-core-java: for this one small document that library
 * would put about 6 MB of jars (XML and YAML bindings, a JSON schema validator, an older Jackson)
 * on the plugin's class path. The tests validate the output with it against the CycloneDX schema.
 */
final class Sbom {

    /** The file's name inside {@code <name>.dist-info/sboms/}. */
    static final String FILE_NAME = "neuron-wheel.cdx.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A bundled library: where it was taken from and the package that installed it there. */
    record Source(String path, ProvidingPackage owner) {
    }

    private Sbom() {
    }

    static byte[] cycloneDx(WheelFileName wheel, List<Source> sources) throws IOException {
        String wheelPurl = "pkg:pypi/" + ProvidingPackage.quote(wheel.distribution()) + "@"
                + ProvidingPackage.quote(wheel.version().toString()) + "?file_name=" + ProvidingPackage.quote(wheel.toString());
        Map<String, Object> wheelComponent = new LinkedHashMap<>();
        wheelComponent.put("type", "library");
        wheelComponent.put("bom-ref", wheelPurl);
        wheelComponent.put("name", wheel.distribution());
        wheelComponent.put("version", wheel.version().toString());
        wheelComponent.put("purl", wheelPurl);
        List<Object> components = new ArrayList<>(List.of(wheelComponent));
        List<String> dependsOn = new ArrayList<>();
        List<Object> dependencies = new ArrayList<>();
        dependencies.add(new LinkedHashMap<>(Map.of("ref", wheelPurl, "dependsOn", dependsOn)));
        for (Source source : sources) {
            // One entry per bundled file: two files of one package stay two components.
            String ref = source.owner().purl() + "#" + sha256(source.path());
            Map<String, Object> component = new LinkedHashMap<>();
            component.put("type", "library");
            component.put("bom-ref", ref);
            component.put("name", source.owner().name());
            component.put("version", source.owner().version());
            component.put("purl", source.owner().purl());
            components.add(component);
            dependsOn.add(ref);
            dependencies.add(Map.of("ref", ref));
        }
        String version = Sbom.class.getPackage().getImplementationVersion();
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("name", "neuron-wheel-maven-plugin");
        tool.put("version", version == null ? "development build" : version);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("component", wheelComponent);
        metadata.put("tools", List.of(tool));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("bomFormat", "CycloneDX");
        document.put("specVersion", "1.4");
        document.put("version", 1);
        document.put("metadata", metadata);
        document.put("components", components);
        document.put("dependencies", dependencies);
        return (JSON.writeValueAsString(document) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
