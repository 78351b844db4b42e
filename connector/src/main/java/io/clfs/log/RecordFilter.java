package io.clfs.log;

/** Which records a read context returns. */
public enum RecordFilter {
    DATA, RESTART, ALL;

    public boolean accepts(RecordType type) {
        return this == ALL || (this == DATA) == (type == RecordType.DATA);
    }
}
