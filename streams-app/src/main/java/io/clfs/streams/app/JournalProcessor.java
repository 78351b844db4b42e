package io.clfs.streams.app;

import io.clfs.streams.ClfsJournalStore;
import io.clfs.streams.Journaled;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journals each input record and forwards its receipt: the original key, and as value the LSN and
 * origin coordinates. A redelivered record gets the receipt of its earlier journaling, so under
 * {@code exactly_once_v2} (where the first receipt was aborted with its transaction) every input
 * record has exactly one committed receipt, sent in the transaction that follows the fsync.
 */
final class JournalProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(JournalProcessor.class);
    private final String storeName;
    private ProcessorContext<byte[], byte[]> context;
    private ClfsJournalStore<byte[], byte[]> store;

    JournalProcessor(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Journaled j = store.journal(record);
        if (!j.inJournal()) {
            // Only possible if an earlier run skipped this offset: there is nothing to point a receipt at.
            LOG.warn("no receipt for {}: an earlier run passed this offset without journaling it", j);
            return;
        }
        context.forward(record.withValue(Receipts.encode(j)).withHeaders(new RecordHeaders()));
    }
}
