package io.clfs.bench.ceiling;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Hands Connect up to {@code ceiling.batch.size} records per poll from its logs in turn, as the
 * replay's task gathers them, until its share of {@code ceiling.records} is out; then idles as the
 * replay does when it has nothing to replay. {@code poll} runs on the task thread, which alone
 * touches the logs; {@code stop} (herder thread) only counts down {@link #stopRequested}.
 */
public class CeilingSourceTask extends SourceTask {
    /** What the replay waits when there is nothing to replay (config/clfs-source.json's poll interval). */
    private static final long IDLE_MS = 1000;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private List<CeilingLog> logs;
    private int batchSize;
    private int nextLog;

    @Override
    public void start(Map<String, String> props) {
        AbstractConfig c = new AbstractConfig(CeilingSourceConnector.CONFIG, props);
        int partitions = c.getInt(CeilingSourceConnector.PARTITIONS);
        long records = c.getLong(CeilingSourceConnector.RECORDS);
        byte[] value = new byte[c.getInt(CeilingSourceConnector.RECORD_SIZE)];
        Arrays.fill(value, (byte) 'A');
        long timestamp = System.currentTimeMillis();
        batchSize = c.getInt(CeilingSourceConnector.BATCH_SIZE);
        logs = new ArrayList<>();
        for (String p : props.get(CeilingSourceConnector.TASK_PARTITIONS).split(",")) {
            int partition = Integer.parseInt(p);
            long share = records / partitions + (partition < records % partitions ? 1 : 0);
            logs.add(new CeilingLog(c.getString(CeilingSourceConnector.TOPIC), partition, share, value,
                    c.getBoolean(CeilingSourceConnector.HEADERS), c.getString(CeilingSourceConnector.ORIGIN_TOPIC),
                    timestamp, c.getBoolean(CeilingSourceConnector.FRESH)));
        }
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        List<SourceRecord> out = new ArrayList<>(Math.min(batchSize, 1024));
        int n = logs.size();
        for (int i = 0; i < n && out.size() < batchSize; i++) {
            CeilingLog log = logs.get((nextLog + i) % n);
            while (out.size() < batchSize && !log.exhausted()) {
                out.add(log.next());
            }
        }
        nextLog = (nextLog + 1) % n;
        if (out.isEmpty()) {
            stopRequested.await(IDLE_MS, TimeUnit.MILLISECONDS);
            return null;
        }
        return out;
    }

    @Override
    public void stop() {
        stopRequested.countDown();
    }

    @Override
    public String version() {
        return "bench";
    }
}
