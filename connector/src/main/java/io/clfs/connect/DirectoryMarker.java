package io.clfs.connect;

import org.apache.kafka.connect.errors.ConnectException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * Proof that a task sees the connector's {@code clfs.log.dir}. The connector leaves a marker file
 * {@code .clfs-connector-<name>} with a random token in the directory and hands the token to its
 * tasks in their configurations (internal keys, not for users); a task that does not find the
 * marker with that token runs on a worker whose directory is another one (a local disk of another
 * host), and fails at start instead of splitting a partition's log across hosts.
 *
 * <p>A marker already there is reused, so the connector moving between workers of one shared
 * directory changes no task configuration (which would restart every task). Two connector
 * instances creating the marker at once agree on the first one written. The marker outlives the
 * connector: a deleted connector's marker is a few bytes, and a connector recreated under the
 * same name reuses it. Immutable.
 *
 * @param token    the random token
 * @param markedBy the host and process of the worker that created the marker, for error messages
 */
public record DirectoryMarker(String token, String markedBy) {
    /** Internal task configuration keys. */
    public static final String TOKEN_KEY = "clfs.directory.token";
    public static final String MARKED_BY_KEY = "clfs.directory.marked.by";
    static final String PREFIX = ".clfs-connector-";

    /** The marker of connector {@code name} in {@code dir}: the one there, or a new one. Creates {@code dir}. */
    public static DirectoryMarker leave(Path dir, String name) {
        Path file = fileOf(dir, name);
        try {
            Files.createDirectories(dir);
            DirectoryMarker existing = read(file);
            if (existing != null) {
                return existing;
            }
            DirectoryMarker created = new DirectoryMarker(UUID.randomUUID().toString(), thisWorker());
            Path tmp = Files.createTempFile(dir, PREFIX, ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    created.properties().store(out, "clfs connector " + name + ": its tasks check that they see this file");
                }
                Files.move(tmp, file); // fails when another instance was first: then that one counts
                return created;
            } catch (FileAlreadyExistsException lost) {
                return read(file);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ConnectException("cannot leave the connector's marker " + file + " in "
                    + ClfsConnectorConfig.LOG_DIR + ": " + e, e);
        }
    }

    /** The connector's name, as Connect puts it in the connector's and the tasks' configurations. */
    public static String connectorName(Map<String, String> config) {
        return config.getOrDefault("name", "unnamed");
    }

    /** Adds the marker to a task's configuration. */
    public void addTo(Map<String, String> taskConfig) {
        taskConfig.put(TOKEN_KEY, token);
        taskConfig.put(MARKED_BY_KEY, markedBy);
    }

    /**
     * Fails unless {@code dir} holds the marker the task's configuration names. A configuration
     * without a token (from a connector of an earlier version, during a rolling upgrade) is not
     * checked.
     */
    public static void check(Path dir, String name, Map<String, String> taskConfig) {
        String token = taskConfig.get(TOKEN_KEY);
        if (token == null) {
            return;
        }
        Path file = fileOf(dir, name);
        DirectoryMarker found;
        try {
            found = read(file);
        } catch (IOException e) {
            throw new ConnectException("cannot read the connector's marker " + file + ": " + e, e);
        }
        if (found != null && found.token.equals(token)) {
            return;
        }
        String why = found == null ? "the marker " + file.getFileName() + " is not there"
                : "the marker " + file.getFileName() + " there was left by another connector instance, on "
                + found.markedBy + ", for another directory";
        throw new ConnectException(ClfsConnectorConfig.LOG_DIR + " " + dir.toAbsolutePath() + " on this worker ("
                + thisWorker() + ") is not the directory of the worker that runs connector " + name + " ("
                + taskConfig.getOrDefault(MARKED_BY_KEY, "unknown") + "): " + why + ". Every worker of the Connect"
                + " cluster must see the same " + ClfsConnectorConfig.LOG_DIR + ", or a partition's log ends up split"
                + " across hosts: put it on a shared file system that honours file locks across hosts, or run the"
                + " Connect cluster as a single worker");
    }

    static Path fileOf(Path dir, String name) {
        StringBuilder safe = new StringBuilder(PREFIX);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                safe.append(c);
            } else {
                safe.append(String.format("%%%02X", b & 0xff)); // no separator, dot or space reaches the file name
            }
        }
        return dir.resolve(safe.toString());
    }

    private static DirectoryMarker read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return null;
        }
        String token = p.getProperty("token");
        if (token == null || token.isBlank()) {
            throw new IOException("no token in " + file);
        }
        return new DirectoryMarker(token, p.getProperty("marked.by", "unknown"));
    }

    private Properties properties() {
        Properties p = new Properties();
        p.setProperty("token", token);
        p.setProperty("marked.by", markedBy);
        return p;
    }

    private static String thisWorker() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown host";
        }
        return "host " + host + ", pid " + ProcessHandle.current().pid();
    }
}
