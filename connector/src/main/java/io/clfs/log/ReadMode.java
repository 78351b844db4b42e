package io.clfs.log;

/** How a read context moves from one record to the next. */
public enum ReadMode {
    /** The next record of the stream in LSN order. */
    FORWARD,
    /** Follow each record's previous-LSN link. */
    PREVIOUS,
    /** Follow each record's undo-next-LSN link. */
    UNDO_NEXT
}
