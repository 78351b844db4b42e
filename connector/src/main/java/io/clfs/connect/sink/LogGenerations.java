package io.clfs.connect.sink;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a partition's log generations live. The first generation is {@code <topic>-<partition>};
 * when Kafka starts the partition over (topic deleted and recreated, or truncated) the sink
 * finishes the live generation and starts {@code <topic>-<partition>~gen-<n>} beside it, n = 1,
 * 2, ... A finished generation stays where it was, under its own name, so the source connector
 * keeps replaying it as one more log, and its committed source offsets stay valid. {@code ~} is
 * not allowed in a topic name, so no topic's partition directory can be mistaken for a generation.
 * The live generation is the one with the highest number. Stateless.
 */
final class LogGenerations {
    static final String MARK = "~gen-";
    private static final Pattern GENERATION = Pattern.compile(Pattern.quote(MARK) + "([1-9][0-9]{0,8})");

    private LogGenerations() {
    }

    /** The first generation's directory. */
    static Path firstDir(Path root, TopicPartition tp) {
        return root.resolve(tp.topic() + "-" + tp.partition());
    }

    static Path dirOf(Path root, TopicPartition tp, int generation) {
        Path first = firstDir(root, tp);
        return generation == 0 ? first : root.resolve(first.getFileName() + MARK + generation);
    }

    /** The highest generation whose directory exists, 0 when none does. */
    static int live(Path root, TopicPartition tp) {
        String prefix = firstDir(root, tp).getFileName().toString();
        int highest = 0;
        try (Stream<Path> children = Files.list(root)) {
            for (Path p : (Iterable<Path>) children::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(prefix) && Files.isDirectory(p)) {
                    Matcher m = GENERATION.matcher(name.substring(prefix.length()));
                    if (m.matches()) {
                        highest = Math.max(highest, Integer.parseInt(m.group(1)));
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new ConnectException("cannot list the log generations of " + tp + " in " + root + ": " + e, e);
        }
        return highest;
    }
}
