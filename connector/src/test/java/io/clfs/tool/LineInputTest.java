package io.clfs.tool;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@link LineInput} cuts records, and when it asks the stream whether more input is waiting. */
class LineInputTest {
    private static String text(ByteBuffer record) {
        byte[] b = new byte[record.remaining()];
        record.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static List<String> all(LineInput lines) throws IOException {
        List<String> records = new ArrayList<>();
        for (ByteBuffer r; (r = lines.next()) != null; ) {
            records.add(text(r));
        }
        return records;
    }

    @Test
    void aLineLongerThanTheReadBufferIsOneRecord() throws IOException {
        String longLine = "x".repeat(600_000);
        String input = "a\n" + longLine + "\r\nb";
        assertThat(all(new LineInput(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)))))
                .containsExactly("a", longLine, "b");
    }

    @Test
    void aCrlfCutBetweenTwoChunksIsStillOneLineEnd() throws IOException {
        LineInput lines = new LineInput(new ChunkedInput(List.of("a\r", "\n\r\n", "b\n"), false, () -> { }));
        assertThat(all(lines)).containsExactly("a", "", "b");
    }

    @Test
    void withWholeLinesBufferedItDoesNotAskTheStream() throws IOException {
        CountingAvailable in = new CountingAvailable("line\n".repeat(1000));
        LineInput lines = new LineInput(in);
        int records = 0;
        for (ByteBuffer r; (r = lines.next()) != null; ) {
            records++;
            assertThat(lines.waiting()).isEqualTo(records < 1000);
        }
        assertThat(records).isEqualTo(1000);
        assertThat(in.asked).isLessThanOrEqualTo(1); // once, after the last line: not once per line
    }

    @Test
    void aHalfLineIsNotWaitingInput() throws IOException {
        LineInput lines = new LineInput(new ChunkedInput(List.of("one\ntw", "o\n"), false, () -> { }));
        assertThat(text(lines.next())).isEqualTo("one");
        assertThat(lines.waiting()).isFalse();
        assertThat(text(lines.next())).isEqualTo("two");
        assertThat(lines.next()).isNull();
    }

    /** All of its input at once, counting how often it is asked what is available. */
    private static final class CountingAvailable extends InputStream {
        private final ByteArrayInputStream bytes;
        int asked;

        CountingAvailable(String text) {
            bytes = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return bytes.read(b, off, len);
        }

        @Override
        public int available() {
            asked++;
            return bytes.available();
        }
    }
}
