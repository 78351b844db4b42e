package io.clfs.log.fuzz;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.envelope.Payload;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.connect.envelope.TimestampKind;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogBytes;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.format.RecordHeader;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A journal log (envelopes and restart areas of one topic-partition, as the sink and the Streams
 * journal write them) whose records, payloads and links come from fuzz input, every checksum
 * sealed. The input is a list of entries, each an op byte and what it asks for:
 * <ul>
 * <li>bits 0-1: 0 a valid envelope, 1 a valid restart area, 2 a data record and 3 a restart record
 * with raw payload (then a length byte and that many bytes);</li>
 * <li>bits 2-4, the previous link, and bits 5-7, the undo-next link: 0 as written, 1 the record
 * itself, 2 the next record, 3 the record before, 4 the first record, 5 LSN_INVALID, 6 LSN_NULL,
 * 7 eight bytes of input.</li>
 * </ul>
 * So {@code 00 05} is a record, then a restart area whose previous link points at itself.
 */
public final class FuzzedJournalLog {
    static final LogPolicy POLICY = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096)
            .withContainers(2, 3);
    private static final int MAX_ENTRIES = 16;

    private final byte[] input;
    private int at;

    private FuzzedJournalLog(byte[] input) {
        this.input = input;
    }

    /**
     * Creates the log in {@code dir} and writes {@code input}'s records into the stream that
     * {@code stream} picks, then crafts their links on disk. Returns the records' LSNs.
     */
    public static List<Long> write(Path dir, LogKind kind, Function<ClfsLog, LogStream> stream, String topic, int partition,
                             byte[] input) {
        return new FuzzedJournalLog(input).writeLog(dir, kind, stream, topic, partition);
    }

    private List<Long> writeLog(Path dir, LogKind kind, Function<ClfsLog, LogStream> stream, String topic, int partition) {
        List<Long> lsns = new ArrayList<>();
        List<int[]> links = new ArrayList<>();
        List<long[]> explicit = new ArrayList<>();
        try (ClfsLog log = ClfsLog.create(dir, kind, false, POLICY)) {
            LogStream s = stream.apply(log);
            for (int i = 0; i < MAX_ENTRIES && at < input.length; i++) {
                int op = next();
                ByteBuffer payload = switch (op & 3) {
                    case 0 -> ByteBuffer.wrap(EnvelopeCodec.encodeToArray(new Envelope(topic, partition, i, i,
                            TimestampKind.CREATE_TIME, Payload.bytes(new byte[]{(byte) i}), Payload.NULL, List.of())));
                    case 1 -> new SinkRestartArea(topic, partition, i - 1, i, i, i, i).encode();
                    default -> ByteBuffer.wrap(nextBytes(next()));
                };
                lsns.add((op & 1) == 0 ? s.append(payload) : s.writeRestartArea(payload));
                links.add(new int[]{(op >> 2) & 7, (op >> 5) & 7});
                explicit.add(new long[]{(op >> 2 & 7) == 7 ? nextLong() : 0, (op >> 5 & 7) == 7 ? nextLong() : 0});
            }
            log.flush();
        }
        LogBytes bytes = new LogBytes(dir);
        for (int i = 0; i < lsns.size(); i++) {
            long previous = link(links.get(i)[0], explicit.get(i)[0], lsns, i);
            long undoNext = link(links.get(i)[1], explicit.get(i)[1], lsns, i);
            if (links.get(i)[0] != 0 || links.get(i)[1] != 0) {
                int[] which = links.get(i);
                bytes.craftRecord(lsns.get(i), r -> {
                    if (which[0] != 0) {
                        r.putLong(RecordHeader.PREVIOUS_OFFSET, previous);
                    }
                    if (which[1] != 0) {
                        r.putLong(RecordHeader.UNDO_NEXT_OFFSET, undoNext);
                    }
                });
            }
        }
        return lsns;
    }

    private static long link(int choice, long explicit, List<Long> lsns, int i) {
        return switch (choice) {
            case 1 -> lsns.get(i);
            case 2 -> lsns.get(Math.min(i + 1, lsns.size() - 1));
            case 3 -> lsns.get(Math.max(i - 1, 0));
            case 4 -> lsns.get(0);
            case 5 -> Lsn.INVALID;
            case 6 -> Lsn.NULL;
            default -> explicit;
        };
    }

    private int next() {
        return at < input.length ? input[at++] & 0xFF : 0;
    }

    private byte[] nextBytes(int n) {
        int from = Math.min(at, input.length);
        at = Math.min(input.length, at + n);
        return Arrays.copyOfRange(input, from, at);
    }

    private long nextLong() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | next();
        }
        return v;
    }
}
