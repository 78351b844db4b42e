package io.clfs.connect.sink;

import io.clfs.connect.envelope.TopicOrigin;
import io.clfs.log.LogFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the topic a partition's log holds with the topic Kafka has under that name now, when
 * the sink describes its topics ({@link OriginTopics}). Another topic id means the topic was deleted
 * and created again: the log is finished (kept, readable, replayable) and a new generation takes
 * the new topic from its first offset. Offsets of two topics are never compared, so no record of the
 * new topic is taken for a redelivery of the old one. Stateless.
 */
final class OriginCheck {
    private static final Logger log = LoggerFactory.getLogger(OriginCheck.class);

    private OriginCheck() {
    }

    /**
     * The journal to go on with, {@code j} or its next generation, with {@code described} recorded.
     * On failure every log it opened is closed.
     *
     * @param described the topic as described now; null when it was not (nothing is checked)
     */
    static PartitionJournal follow(PartitionJournal j, TopicOrigin described, LogOpener opener, ClfsSinkConfig config,
                                   long nowMs) {
        if (described == null) {
            return j;
        }
        PartitionJournal live = j;
        TopicOrigin recorded = j.origin();
        if (recorded != null && !recorded.topicId().equals(described.topicId())) {
            live = j.startNextGeneration(opener, config, nowMs);
            live.startAtFirstOffset();
            log.warn("Topic {} was deleted and created again: its topic id is {}, the log {} holds {}. That log is"
                    + " finished and kept for replay ({} records, last offset {}); journaling from offset 0 of the new"
                    + " topic into {}", j.partition().topic(), described.topicId(), j.log().dir(), recorded.topicId(),
                    j.recordsJournaled(), j.lastJournaledOffset(), live.log().dir());
        }
        try {
            live.recordOrigin(described, nowMs);
        } catch (LogFullException full) {
            log.debug("No room yet for the restart area recording the topic of {}: {}", live.partition(),
                    full.getMessage());
        } catch (RuntimeException e) {
            try {
                live.close();
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        return live;
    }
}
