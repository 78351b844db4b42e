package io.clfs.streams.app;

/**
 * A record on a replay topic without the headers ClfsSourceConnector adds, or with one that does
 * not parse. Retrying cannot help: by default the application stops on it; set Streams'
 * {@code processing.exception.handler} (optionally with {@code errors.dead.letter.queue.topic.name})
 * to skip such records instead.
 */
public class InvalidReplayRecordException extends RuntimeException {
    public InvalidReplayRecordException(String message) {
        super(message);
    }
}
