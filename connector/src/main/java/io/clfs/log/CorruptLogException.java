package io.clfs.log;

import java.nio.file.Path;

/** A metadata copy, block or record failed its checks. Names the file, the byte offset and what was expected. */
public class CorruptLogException extends ClfsException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long offset;

    public CorruptLogException(Path file, long offset, String expected) {
        super("corrupt log file " + file + " at offset " + offset + ": " + expected);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
