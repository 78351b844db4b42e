package io.clfs.tool;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Records from a byte stream, one per line: the bytes before each LF, without a CR right before it.
 * Bytes pass through as given (UTF-8 text stays the same bytes), so nothing is lost to decoding.
 */
final class LineInput {
    private final BufferedInputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineInput(InputStream in) {
        this.in = new BufferedInputStream(in, 1 << 16);
    }

    /** The next record, or null at the end of input; a last line without LF is a record too. */
    byte[] next() throws IOException {
        line.reset();
        boolean any = false;
        for (int b; (b = in.read()) >= 0; ) {
            any = true;
            if (b == '\n') {
                return record();
            }
            line.write(b);
        }
        return any ? record() : null;
    }

    private byte[] record() {
        byte[] bytes = line.toByteArray();
        int n = bytes.length;
        return n > 0 && bytes[n - 1] == '\r' ? Arrays.copyOf(bytes, n - 1) : bytes;
    }

    /** True when more input can be read without blocking; false when unknown. */
    boolean waiting() {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
