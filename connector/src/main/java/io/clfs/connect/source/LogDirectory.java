package io.clfs.connect.source;

import io.clfs.log.ClfsLog;
import org.apache.kafka.connect.errors.ConnectException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The logs under {@code clfs.log.dir}: every sub-directory that holds a log's metadata file. A
 * log the sink is still creating is listed once its metadata exists (the engine writes it last).
 */
final class LogDirectory {
    private final Path root;
    private final List<String> only;

    /** @param only names to keep; empty for all */
    LogDirectory(Path root, List<String> only) {
        this.root = root;
        this.only = List.copyOf(only);
    }

    Path root() {
        return root;
    }

    Path dirOf(String name) {
        return root.resolve(name);
    }

    /** The log names, sorted; empty when the directory does not exist yet. */
    List<String> list() {
        List<String> names = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            children.filter(Files::isDirectory).filter(ClfsLog::exists).map(p -> p.getFileName().toString())
                    .filter(n -> only.isEmpty() || only.contains(n)).sorted().forEach(names::add);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new ConnectException("cannot list the logs in " + ClfsSourceConfig.LOG_DIR + " " + root + ": " + e, e);
        }
        return names;
    }
}
