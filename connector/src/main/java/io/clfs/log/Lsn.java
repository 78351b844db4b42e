package io.clfs.log;

import java.nio.charset.StandardCharsets;

/**
 * Log sequence numbers: a 64-bit value with the logical container id in the high 32 bits and the
 * record's byte offset inside that container in the low 32 bits. LSNs compare as unsigned numbers.
 *
 * <p>The canonical text form is {@code cccccccc:oooooooo}, container id and offset as eight
 * lower-case hex digits each, so that text order equals LSN order.
 */
public final class Lsn {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** The lower bound: no record has it. */
    public static final long NULL = 0L;
    /** "No record": ends every chain. */
    public static final long INVALID = -1L;

    private Lsn() {
    }

    public static long of(long logicalContainer, long offset) {
        if (logicalContainer < 0 || logicalContainer > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("logical container id out of range: " + logicalContainer);
        }
        if (offset < 0 || offset > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("container offset out of range: " + offset);
        }
        return (logicalContainer << 32) | offset;
    }

    public static long container(long lsn) {
        return lsn >>> 32;
    }

    public static long offset(long lsn) {
        return lsn & 0xFFFF_FFFFL;
    }

    public static int compare(long a, long b) {
        return Long.compareUnsigned(a, b);
    }

    public static boolean less(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    public static long max(long a, long b) {
        return less(a, b) ? b : a;
    }

    public static long min(long a, long b) {
        return less(a, b) ? a : b;
    }

    public static String toString(long lsn) {
        // By hand, not String.format: the source formats an LSN for every record it replays.
        byte[] text = new byte[17];
        text[8] = ':';
        for (int i = 16, shift = 0; i >= 0; i--, shift += 4) {
            if (i == 8) {
                i--;
            }
            text[i] = HEX[(int) (lsn >>> shift) & 0xF];
        }
        return new String(text, StandardCharsets.US_ASCII);
    }

    /** Parses the canonical form; anything else is refused with a message that shows the form. */
    public static long parse(String text) {
        if (text == null || text.length() != 17 || text.charAt(8) != ':') {
            throw notAnLsn(text);
        }
        long value = 0;
        for (int i = 0; i < 17; i++) {
            if (i == 8) {
                continue;
            }
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                throw notAnLsn(text);
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    private static IllegalArgumentException notAnLsn(String text) {
        return new IllegalArgumentException("not an LSN: '" + text + "' (expected cccccccc:oooooooo, 8 hex digits each)");
    }
}
