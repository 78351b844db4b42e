package io.clfs.log;

/** The two kinds of record; the code is the byte stored in a record header. */
public enum RecordType {
    DATA(1), RESTART(2);

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
            case 1 -> DATA;
            case 2 -> RESTART;
            default -> null;
        };
    }
}
