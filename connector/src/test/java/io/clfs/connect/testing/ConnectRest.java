package io.clfs.connect.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Connect's REST API over plain HTTP: works against any worker, embedded or not. */
public final class ConnectRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);
    private final Supplier<String> baseUrl;
    private final Predicate<String> tasksStopped;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code baseUrl} is asked on every call, so that a test can point at whichever worker is up. */
    public ConnectRest(Supplier<String> baseUrl) {
        this(baseUrl, name -> true);
    }

    /**
     * {@code tasksStopped} tells whether a deleted connector's tasks have finished closing, where
     * the caller can see it: Connect answers a DELETE before the tasks stop, and a test that then
     * removes the directory the tasks still write into fails or races.
     */
    public ConnectRest(Supplier<String> baseUrl, Predicate<String> tasksStopped) {
        this.baseUrl = baseUrl;
        this.tasksStopped = tasksStopped;
    }

    public JsonNode call(String method, String path, Object body) {
        String url = baseUrl.get().replaceAll("/+$", "") + path;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").header("Accept", "application/json");
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 400) {
                throw new IllegalStateException(method + " " + url + " -> " + r.statusCode() + ": " + r.body());
            }
            return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void putConnector(String name, Map<String, String> config) {
        call("PUT", "/connectors/" + name + "/config", config);
    }

    /** Deletes the connector and returns once its tasks have stopped (where that can be seen). */
    public void deleteConnector(String name) {
        call("DELETE", "/connectors/" + name, null);
        Journals.await(STOP_WAIT, () -> tasksStopped.test(name), () -> "the tasks of " + name + " never stopped");
    }

    public JsonNode status(String name) {
        return call("GET", "/connectors/" + name + "/status", null);
    }

    public JsonNode validate(String pluginClass, Map<String, String> config) {
        return call("PUT", "/connector-plugins/" + pluginClass + "/config/validate", config);
    }

    /** True when the connector and exactly {@code tasks} tasks are RUNNING. */
    public boolean running(String name, int tasks) {
        try {
            JsonNode s = status(name);
            if (!"RUNNING".equals(s.path("connector").path("state").asText())) {
                return false;
            }
            int running = 0;
            for (JsonNode t : s.path("tasks")) {
                if ("RUNNING".equals(t.path("state").asText())) {
                    running++;
                }
            }
            return running == tasks && s.path("tasks").size() == tasks;
        } catch (IllegalStateException e) {
            return false; // not there yet, or the worker is rebalancing
        }
    }

    public void awaitRunning(String name, int tasks, Duration timeout) {
        Journals.await(timeout, () -> running(name, tasks), () -> "connector " + name + " not running with " + tasks
                + " tasks: " + safeStatus(name));
    }

    /** Waits for a FAILED task and returns its trace. */
    public String awaitFailedTask(String name, Duration timeout) {
        String[] trace = new String[1];
        Journals.await(timeout, () -> {
            try {
                for (JsonNode t : status(name).path("tasks")) {
                    if ("FAILED".equals(t.path("state").asText())) {
                        trace[0] = t.path("trace").asText();
                        return true;
                    }
                }
            } catch (IllegalStateException e) {
                // not there yet
            }
            return false;
        }, () -> "no task of " + name + " failed: " + safeStatus(name));
        return trace[0];
    }

    public String safeStatus(String name) {
        try {
            return status(name).toString();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }
}
