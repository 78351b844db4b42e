package io.clfs.connect.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** config/clfs-source and clfs-restore, .properties and .json, are valid and say the same. */
class ClfsSourceShippedConfigTest {
    private static final Path CONFIG = Path.of("..", "config");

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"clfs-source", "clfs-restore"})
    void thePropertiesAndTheJsonAreValidAndAgree(String file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(CONFIG.resolve(file + ".properties"))) {
            p.load(in);
        }
        Map<String, String> props = new HashMap<>();
        p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
        new ClfsSourceConfig(props);
        assertThat(new ClfsSourceConnector().validate(props).configValues())
                .allSatisfy(v -> assertThat(v.errorMessages()).as(v.name()).isEmpty());

        JsonNode json = new ObjectMapper().readTree(CONFIG.resolve(file + ".json").toFile());
        Map<String, String> fromJson = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().startsWith("_") && !e.getKey().startsWith("exactly.once") && !e.getKey().startsWith("transaction")) {
                fromJson.put(e.getKey(), e.getValue().asText());
            }
        }
        props.remove("name");
        assertThat(fromJson).isEqualTo(props);
    }
}
