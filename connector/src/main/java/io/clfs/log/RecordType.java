package io.clfs.log;

import io.clfs.log.format.RecordHeader;

/** The two kinds of record; the code is the byte stored in a record header. */
public enum RecordType {
    DATA(RecordHeader.TYPE_DATA), RESTART(RecordHeader.TYPE_RESTART);

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Returns null for a code that is no record type. */
    public static RecordType fromCode(int code) {
        return switch (code) {
            case RecordHeader.TYPE_DATA -> DATA;
            case RecordHeader.TYPE_RESTART -> RESTART;
            default -> null;
        };
    }
}
