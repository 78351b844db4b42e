package io.clfs.connect.envelope;

/** Kafka's timestamp types, mirrored here so that decoders need no Kafka classes. */
public enum TimestampKind {
    NO_TIMESTAMP(0),
    CREATE_TIME(1),
    LOG_APPEND_TIME(2);

    private final int code;

    TimestampKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /**
     * The kind for a Kafka Streams record, whose API gives its timestamp but not the type: CreateTime,
     * or no timestamp when it is negative.
     */
    public static TimestampKind forStreams(long timestamp) {
        return timestamp < 0 ? NO_TIMESTAMP : CREATE_TIME;
    }

    public static TimestampKind fromCode(int code) {
        return switch (code) {
            case 0 -> NO_TIMESTAMP;
            case 1 -> CREATE_TIME;
            case 2 -> LOG_APPEND_TIME;
            default -> null;
        };
    }
}
