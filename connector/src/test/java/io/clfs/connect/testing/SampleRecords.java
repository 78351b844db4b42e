package io.clfs.connect.testing;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic sample records: record {@code i} is rebuilt from {@code i} alone, so a test can
 * check journaled bytes without keeping what it produced. The mix covers keys and null keys,
 * headers with repeated names and null values, tombstones, and values from 0 B up to 1 MiB (a
 * few large ones, so that runs stay fast). Timestamps are fixed (from 2023): topics that hold
 * them need {@code retention.ms=-1}, or the broker deletes them while the test runs.
 */
public final class SampleRecords {
    public static final int MAX_VALUE_BYTES = 1 << 20;
    public static final long BASE_TIMESTAMP = 1_700_000_000_000L;

    private final String topic;
    private final int partitions;
    private final boolean large;

    /** With {@code large}, every 20000th record has a 1 MiB value and every 2000th 64 KiB. */
    public SampleRecords(String topic, int partitions, boolean large) {
        this.topic = topic;
        this.partitions = partitions;
        this.large = large;
    }

    public String topic() {
        return topic;
    }

    public int partitionOf(long i) {
        return (int) (i % partitions);
    }

    public ProducerRecord<byte[], byte[]> record(long i) {
        return new ProducerRecord<>(topic, partitionOf(i), BASE_TIMESTAMP + i, key(i), value(i), headers(i));
    }

    public static byte[] key(long i) {
        return i % 13 == 0 ? null : ("key-" + i).getBytes(StandardCharsets.UTF_8);
    }

    public byte[] value(long i) {
        if (i % 97 == 0) {
            return null; // tombstone
        }
        int size;
        if (large && i % 20_000 == 1) {
            size = MAX_VALUE_BYTES;
        } else if (large && i % 2_000 == 3) {
            size = 64 << 10;
        } else if (i % 31 == 0) {
            size = 0;
        } else {
            size = (int) (i % 200) + 1;
        }
        byte[] v = new byte[size];
        new SplittableRandom(i).nextBytes(v);
        return v;
    }

    public static List<Header> headers(long i) {
        List<Header> h = new ArrayList<>();
        if (i % 5 == 0) {
            h.add(new RecordHeader("trace", ("t" + i).getBytes(StandardCharsets.UTF_8)));
            h.add(new RecordHeader("trace", null));
            h.add(new RecordHeader("trace", ("again-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        if (i % 7 == 0) {
            h.add(new RecordHeader("empty", new byte[0]));
        }
        return h;
    }
}
