package io.clfs.connect.envelope;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reads the layouts the Kafka Streams journal store wrote before it wrote envelopes and restart
 * areas: "CLSJ" data records and "CLSR" restart areas, version 1 (the only one there was). Nothing
 * writes them any more; logs that hold them still read, into the same {@link Envelope} and
 * {@link SinkRestartArea} objects. Both little-endian:
 * <pre>
 * CLSJ data record                          CLSR restart area
 *  0 int   magic "CLSJ"                      0 int   magic "CLSR"
 *  4 byte  version (1)                       4 byte  version (1)
 *  5 byte  reserved (0)                      5 byte  reserved (0)
 *  6 u16   topic length                      6 u16   topic length
 *  8 int   partition                         8 int   partition
 * 12 long  offset                           12 long  last offset (-1: none)
 * 20 long  timestamp                        20 long  last data LSN (dropped on read)
 * 28 int   key length, -1 for null          28 long  records
 * 32 int   value length, -1 for null        36 long  bytes
 * 36 int   header count                     44 ...   topic, to the end
 * 40 ...   topic, key, value, then per header:
 *          u16 name length, name, int value length (-1: null), value
 * </pre>
 * What the old layouts do not hold is filled in as a Streams record would have it: key, value and
 * header values are {@link Encoding#BYTES} (the serdes' bytes) or null; the timestamp type is
 * {@link TimestampKind#forStreams}; a restart area's max timestamp and write time are -1 (unknown).
 */
final class LegacyStreamsLayout {
    /** "CLSJ" as the first four bytes. */
    static final int ENVELOPE_MAGIC = 0x4A534C43;
    /** "CLSR" as the first four bytes. */
    static final int RESTART_AREA_MAGIC = 0x52534C43;
    static final int VERSION = 1;

    static final int OFF_VERSION = 4;
    static final int OFF_TOPIC_LENGTH = 6;
    static final int OFF_PARTITION = 8;
    static final int OFF_OFFSET = 12;
    static final int OFF_TIMESTAMP = 20;
    static final int OFF_KEY_LENGTH = 28;
    static final int OFF_VALUE_LENGTH = 32;
    static final int OFF_HEADER_COUNT = 36;
    static final int ENVELOPE_FIXED_LENGTH = 40;
    /** A header entry's own fields: name length (2), value length (4). */
    static final int HEADER_FIXED_LENGTH = 6;

    static final int OFF_LAST_OFFSET = 12;
    static final int OFF_RECORDS = 28;
    static final int OFF_BYTES = 36;
    static final int RESTART_AREA_FIXED_LENGTH = 44;

    private static final String ENVELOPE = "Streams journal record (legacy \"CLSJ\")";
    private static final String RESTART_AREA = "Streams journal restart area (legacy \"CLSR\")";

    private LegacyStreamsLayout() {
    }

    static Envelope decodeEnvelope(ByteBuffer data) {
        EnvelopeReader r = new EnvelopeReader(data, ENVELOPE);
        EnvelopeCodec.Fixed f = readFixed(r);
        String topic = r.utf8(f.topicLength(), "topic");
        Payload key = r.bytesOrNull(f.keyLength(), "key");
        Payload value = r.bytesOrNull(f.valueLength(), "value");
        List<EnvelopeHeader> headers = EnvelopeCodec.readHeaders(r, f.headerCount(), OFF_HEADER_COUNT,
                HEADER_FIXED_LENGTH, (reader, field) -> reader.bytesOrNull(reader.getInt(field + " value length"),
                        field + " value"));
        r.checkEnd("the last header");
        return new Envelope(topic, f.partition(), f.offset(), f.timestamp(), f.kind(), key, value, headers);
    }

    static EnvelopeCodec.Fixed decodeFixed(ByteBuffer data) {
        return readFixed(new EnvelopeReader(data, ENVELOPE));
    }

    private static EnvelopeCodec.Fixed readFixed(EnvelopeReader r) {
        r.checkFixed(ENVELOPE_FIXED_LENGTH, ENVELOPE_MAGIC, "\"CLSJ\"");
        int version = r.checkVersion(OFF_VERSION, VERSION);
        long timestamp = r.longAt(OFF_TIMESTAMP);
        int keyLength = r.intAt(OFF_KEY_LENGTH);
        int valueLength = r.intAt(OFF_VALUE_LENGTH);
        r.seek(ENVELOPE_FIXED_LENGTH);
        return new EnvelopeCodec.Fixed(version, TimestampKind.forStreams(timestamp), r.longAt(OFF_OFFSET), timestamp,
                r.intAt(OFF_PARTITION), encodingOf(keyLength), encodingOf(valueLength), r.u16At(OFF_TOPIC_LENGTH),
                keyLength, valueLength, r.intAt(OFF_HEADER_COUNT));
    }

    private static int encodingOf(int length) {
        return (length == -1 ? Encoding.NULL : Encoding.BYTES).code();
    }

    static SinkRestartArea decodeRestartArea(ByteBuffer data) {
        EnvelopeReader r = new EnvelopeReader(data, RESTART_AREA);
        r.checkFixed(RESTART_AREA_FIXED_LENGTH, RESTART_AREA_MAGIC, "\"CLSR\"");
        r.checkVersion(OFF_VERSION, VERSION);
        int topicLength = r.u16At(OFF_TOPIC_LENGTH);
        int left = r.remaining() - RESTART_AREA_FIXED_LENGTH;
        if (topicLength != left) {
            throw r.error(OFF_TOPIC_LENGTH, "topic length", left + " (the bytes after the fixed part)", topicLength);
        }
        r.seek(RESTART_AREA_FIXED_LENGTH);
        return new SinkRestartArea(r.utf8(topicLength, "topic"), r.intAt(OFF_PARTITION), r.longAt(OFF_LAST_OFFSET),
                r.longAt(OFF_RECORDS), r.longAt(OFF_BYTES), -1, -1);
    }
}
