package io.clfs.bench.e2e;

import org.apache.kafka.common.utils.AppInfoParser;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a figure depends on besides the code: CPUs, memory, the disk under the work directory, JDK, Kafka, load. */
record Machine(int cpus, String cpuModel, String memory, String disk, String kernel, String jdk, String kafka) {
    static Machine describe(Path workDir) {
        return new Machine(Runtime.getRuntime().availableProcessors(),
                procField("/proc/cpuinfo", "model name").orElse("unknown CPU"),
                procField("/proc/meminfo", "MemTotal").map(Machine::gib).orElse("unknown"),
                disk(workDir),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                AppInfoParser.getVersion());
    }

    /** The 1, 5 and 15 minute load averages, to show how busy the shared machine was. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static java.util.Optional<String> procField(String file, String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            return lines.stream().filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip());
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static String gib(String memTotal) {
        long kib = Long.parseLong(memTotal.replace("kB", "").strip());
        return String.format("%.1f GiB", kib / 1024.0 / 1024.0);
    }

    private static String disk(Path dir) {
        try {
            FileStore store = Files.getFileStore(dir);
            return String.format("%s on %s, %.0f GiB free", store.type(), store.name(),
                    store.getUsableSpace() / 1024.0 / 1024 / 1024);
        } catch (IOException e) {
            return "unknown";
        }
    }
}
