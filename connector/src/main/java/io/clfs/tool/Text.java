package io.clfs.tool;

import io.clfs.log.LogStream;
import io.clfs.log.Lsn;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** The text output forms shared by the verbs: "key value" lines, LSNs, record bytes. */
final class Text {
    static final String NONE = "none";

    private Text() {
    }

    /** Canonical text, or {@code none} for LSN_INVALID (no record). */
    static String lsn(long lsn) {
        return lsn == Lsn.INVALID ? NONE : Lsn.toString(lsn);
    }

    /** An ephemeral log has no archive tail, whatever the engine keeps in its place. */
    static long archiveTail(boolean archiveEnabled, long tail) {
        return archiveEnabled ? tail : Lsn.INVALID;
    }

    /** The tails a tail-moving verb reports: what the log holds for the stream after the move. */
    static void tails(PrintWriter out, LogStream s) {
        out.println("stream " + s.name());
        out.println("baseLsn " + lsn(s.baseLsn()));
        out.println("archiveTail " + lsn(archiveTail(s.log().archiveEnabled(), s.archiveTail())));
        out.println("restartLsn " + lsn(s.restartLsn()));
    }

    /**
     * Record bytes for a human: {@code data="..."} with JSON-style escapes when they are UTF-8 text,
     * else {@code hex=...}, so that a line never holds raw control bytes.
     */
    static String bytes(byte[] data) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return "hex=" + HexFormat.of().formatHex(data);
        }
        StringBuilder sb = new StringBuilder(text.length() + 7).append("data=\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
