package io.clfs.bench.e2e;

import io.clfs.bench.ceiling.CeilingSourceConnector;
import io.clfs.bench.ceiling.CeilingSourceTask;
import io.clfs.log.Lsn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Lays the ceiling source connector ({@link CeilingSourceConnector}) down as a plugin of its own
 * under the work dir, for the workers' {@code plugin.path}: bench code never goes into the shipped
 * plugin. Its classes, with the one class of the engine they use, and the service file
 * {@code plugin.discovery=service_load} looks for.
 */
final class CeilingPlugin {
    private static final List<String> CLASSES = List.of(CeilingSourceConnector.class.getName(),
            CeilingSourceTask.class.getName(), CeilingSourceConnector.class.getPackageName() + ".CeilingLog",
            Lsn.class.getName());

    private CeilingPlugin() {
    }

    /** Writes the plugin (again) and returns the {@code plugin.path} entry that holds it. */
    static Path layDown(Path workDir) throws IOException {
        Path pluginPath = workDir.resolve("bench-plugins");
        Path root = Files.createDirectories(pluginPath.resolve("ceiling-source"));
        for (String className : CLASSES) {
            String name = className.replace('.', '/') + ".class";
            Path target = root.resolve(name);
            Files.createDirectories(target.getParent());
            try (InputStream in = CeilingPlugin.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    throw new IOException("class file " + name + " not found on the harness's class path");
                }
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path services = Files.createDirectories(root.resolve("META-INF/services"));
        Files.writeString(services.resolve("org.apache.kafka.connect.source.SourceConnector"),
                CeilingSourceConnector.class.getName() + "\n");
        return pluginPath;
    }
}
