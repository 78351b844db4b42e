package io.clfs.tool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Records from a byte stream, one per line: the bytes before each LF, without a CR right before it.
 * Bytes pass through as given (UTF-8 text stays the same bytes), so nothing is lost to decoding.
 *
 * <p>Input is read in large chunks into one buffer and scanned for LF there; a record is a view of
 * that buffer, so a line costs neither a copy nor a system call. The stream is asked whether more
 * input is waiting ({@code available()}, a system call or two on a file or pipe) only when the
 * buffer holds no complete line.
 */
final class LineInput {
    private static final int CHUNK = 1 << 18;

    private final InputStream in;
    private byte[] buf = new byte[CHUNK];
    private ByteBuffer view = ByteBuffer.wrap(buf);
    /** The next line starts at {@code start}; {@code [start, scanned)} holds no LF; input ends at {@code end}. */
    private int start;
    private int scanned;
    private int end;
    private boolean eof;

    LineInput(InputStream in) {
        this.in = in;
    }

    /**
     * The next record, or null at the end of input; a last line without LF is a record too. The
     * record is a view of the input buffer, valid until the next call.
     */
    ByteBuffer next() throws IOException {
        int lf;
        while ((lf = nextLf()) < 0) {
            if (!fill()) {
                return start < end ? take(end, end) : null;
            }
        }
        return take(lf, lf + 1);
    }

    /**
     * True when the next record can be taken without waiting for input: a complete line is buffered,
     * or the stream says more is waiting and reading it completes one. False when unknown.
     */
    boolean waiting() throws IOException {
        while (nextLf() < 0) {
            if (eof || !readable() || !fill()) {
                return false;
            }
        }
        return true;
    }

    private boolean readable() {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return false; // a stream that cannot tell: assume nothing is waiting, so pending records get flushed
        }
    }

    /** The index of the LF that ends the next line, or -1 if the buffer holds none yet. */
    private int nextLf() {
        byte[] b = buf;
        int i = scanned;
        int n = end;
        while (i < n && b[i] != '\n') {
            i++;
        }
        scanned = i;
        return i < n ? i : -1;
    }

    /** The line from {@code start} to {@code lineEnd} (CR stripped); the next line starts at {@code next}. */
    private ByteBuffer take(int lineEnd, int next) {
        int from = start;
        int to = lineEnd > from && buf[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        start = next;
        scanned = next;
        view.clear().position(from).limit(to);
        return view;
    }

    /** Reads more input after what is buffered (blocking); false at the end of input. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            scanned -= start;
            start = 0;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
            view = ByteBuffer.wrap(buf);
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            eof = true;
            return false;
        }
        end += n;
        return true;
    }
}
