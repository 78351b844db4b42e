package io.clfs.connect.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clfs.connect.Version;
import org.apache.kafka.connect.runtime.isolation.PluginDesc;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.sink.SinkConnector;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code mvn package} leaves under target/: the plugin folder and the component zip. */
class SinkPluginPackageIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final String COMPONENT = "clfs-kafka-connect-clfs-" + Version.get();

    @Test
    void thePluginFolderIsFoundByServiceLoadingWithTheBuildVersion() {
        Plugins plugins = new Plugins(Map.of("plugin.path", TARGET.resolve("plugin").toString(),
                "plugin.discovery", "service_load"));
        List<PluginDesc<SinkConnector>> fromFolder = plugins.sinkConnectors().stream()
                .filter(d -> d.className().equals(ClfsSinkConnector.class.getName()))
                .filter(d -> d.location().contains(COMPONENT)).toList();
        assertThat(fromFolder).as("ClfsSinkConnector loaded from target/plugin/" + COMPONENT).hasSize(1);
        PluginDesc<SinkConnector> d = fromFolder.get(0);
        assertThat(d.version()).isEqualTo(Version.get()).doesNotContain("$");
        assertThat(d.loader()).isNotSameAs(ClassLoader.getSystemClassLoader()); // isolated, as in a real worker
    }

    @Test
    void theComponentZipHasManifestLibEtcDocAndNoKafkaJars() throws IOException {
        try (ZipFile zip = new ZipFile(TARGET.resolve(COMPONENT + ".zip").toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            assertThat(names).contains(COMPONENT + "/manifest.json", COMPONENT + "/etc/clfs-sink.properties",
                    COMPONENT + "/etc/clfs-sink.json", COMPONENT + "/etc/connect-standalone-clfs.properties",
                    COMPONENT + "/doc/format.md");
            List<String> jars = new ArrayList<>(names.stream().filter(n -> n.endsWith(".jar")).toList());
            assertThat(jars).containsExactly(COMPONENT + "/lib/clfs-connector-" + Version.get() + ".jar");

            JsonNode manifest = new ObjectMapper().readTree(zip.getInputStream(zip.getEntry(COMPONENT + "/manifest.json")));
            assertThat(manifest.path("version").asText()).isEqualTo(Version.get());
            assertThat(manifest.path("component_types").toString()).contains("sink");

            byte[] jar = zip.getInputStream(zip.getEntry(jars.get(0))).readAllBytes();
            String services = null;
            try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    if (e.getName().equals("META-INF/services/org.apache.kafka.connect.sink.SinkConnector")) {
                        services = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
            }
            assertThat(services).contains(ClfsSinkConnector.class.getName());
        }
    }
}
