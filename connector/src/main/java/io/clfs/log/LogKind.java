package io.clfs.log;

/** Fixed when the log is created. */
public enum LogKind {
    /** One stream. */
    DEDICATED,
    /** Several named streams sharing containers and flushes. */
    MULTIPLEXED
}
