package io.clfs.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A distributed Connect worker in a JVM of its own, with the plugin and the bench's ceiling source
 * ({@link CeilingPlugin}) on {@code plugin.path}, and its REST API: create, watch and delete connectors.
 */
final class ConnectWorker implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Extra JVM flags for the workers (a profiler's, say), split at white space; {@code {worker}}
     * in them becomes the worker's name, so that the two workers of a run write files of their own.
     */
    static final String JVM_OPTS_ENV = "BENCH_WORKER_JVM_OPTS";
    private final JvmProcess process;
    private final String url;
    private final HttpClient http = HttpClient.newHttpClient();

    private ConnectWorker(JvmProcess process, String url) {
        this.process = process;
        this.url = url;
    }

    /** @param exactlyOnce whether {@code exactly.once.source.support=enabled} */
    static ConnectWorker start(BenchOptions o, String name, String bootstrap, boolean exactlyOnce)
            throws IOException, InterruptedException {
        int port = Ports.free();
        Path dir = Files.createDirectories(o.workDir().resolve(name));
        Path benchPlugins = CeilingPlugin.layDown(o.workDir());
        Path config = dir.resolve("worker.properties");
        Files.writeString(config, String.join("\n",
                "bootstrap.servers=" + bootstrap,
                "group.id=" + name,
                "config.storage.topic=" + name + ".configs",
                "offset.storage.topic=" + name + ".offsets",
                "status.storage.topic=" + name + ".status",
                "config.storage.replication.factor=1",
                "offset.storage.replication.factor=1",
                "status.storage.replication.factor=1",
                "offset.flush.interval.ms=1000",
                "key.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
                "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
                "listeners=http://127.0.0.1:" + port,
                "rest.advertised.host.name=127.0.0.1",
                "plugin.path=" + o.pluginDir() + "," + benchPlugins,
                "plugin.discovery=service_load",
                "exactly.once.source.support=" + (exactlyOnce ? "enabled" : "disabled"),
                ""));
        ConnectWorker worker = new ConnectWorker(
                JvmProcess.start(o, name, "2g", jvmFlags(name), "org.apache.kafka.connect.cli.ConnectDistributed",
                        config.toString()),
                "http://127.0.0.1:" + port);
        worker.awaitPlugins(Duration.ofSeconds(180));
        return worker;
    }

    private static List<String> jvmFlags(String name) {
        String opts = System.getenv(JVM_OPTS_ENV);
        if (opts == null || opts.isBlank()) {
            return List.of();
        }
        return Arrays.stream(opts.strip().split("\\s+")).map(f -> f.replace("{worker}", name)).toList();
    }

    private void awaitPlugins(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.alive()) {
                throw new IllegalStateException("worker " + process.name() + " exited at start; see its log");
            }
            try {
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + "/connector-plugins")).GET());
                if (r.statusCode() == 200) {
                    if (!r.body().contains("ClfsSinkConnector")) {
                        throw new IllegalStateException("worker " + process.name() + " found no ClfsSinkConnector"
                                + " on its plugin.path: " + r.body());
                    }
                    return;
                }
            } catch (IOException e) {
                // REST not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("worker " + process.name() + " not ready after "
                        + timeout.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    long pid() {
        return process.pid();
    }

    void putConnector(String name, Map<String, String> config) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + "/connectors/" + name + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))));
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("creating connector " + name + " failed: HTTP " + r.statusCode() + " "
                    + r.body());
        }
    }

    /** Fails with the first failed task's trace, or the connector's, if any. */
    void checkNotFailed(String name) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + "/connectors/" + name + "/status")).GET());
        if (r.statusCode() != 200) {
            return; // not created yet in the status topic
        }
        JsonNode status = JSON.readTree(r.body());
        if ("FAILED".equals(status.path("connector").path("state").asText())) {
            throw new IllegalStateException("connector " + name + " failed: " + status.path("connector").path("trace"));
        }
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                throw new IllegalStateException("task " + task.path("id").asText() + " of " + name + " failed: "
                        + task.path("trace").asText());
            }
        }
    }

    /** Deletes the connector and waits until the worker no longer knows it. */
    void deleteConnector(String name) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(URI.create(url + "/connectors/" + name)).DELETE());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (send(HttpRequest.newBuilder(URI.create(url + "/connectors/" + name)).GET()).statusCode() != 404) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("connector " + name + " still there 60 s after DELETE");
            }
            Thread.sleep(100);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        process.stop();
    }
}
