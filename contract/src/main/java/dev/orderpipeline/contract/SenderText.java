package dev.orderpipeline.contract;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The one boundary every piece of sender-controlled text (an order id, a record key, a header
 * value, a field value quoted in a reason) crosses before it reaches a log line, a Kafka header
 * or an outcome: afterwards it is one line of visible characters, a few hundred at most.
 *
 * <ul>
 *   <li>C0 and C1 control characters, DEL, the Unicode line and paragraph separators and the
 *       bidirectional overrides (which reorder what a terminal shows) are written as escapes:
 *       {@code \n}, {@code \r}, {@code \t}, or {@code \}{@code u001b} for the rest. A lone
 *       surrogate is written as {@code \}{@code udc00} too.</li>
 *   <li>Text longer than the cap keeps its first characters and says how long it was:
 *       {@code abc...(60000 chars)}; bytes say {@code (60000 bytes)}.</li>
 * </ul>
 *
 * Backslashes are left as they are and a text already cut keeps its note, so the result is
 * stable: passing it through again changes nothing, and a reason that quotes escaped pieces
 * can be passed through whole. Stateless.
 */
public final class SenderText {

    /** How much of one sender value (an id, a key) is shown on its own. */
    public static final int MAX_CHARS = 200;
    /** How much of a sender value is quoted inside a reason. */
    public static final int MAX_QUOTED_CHARS = 100;
    /**
     * How much of a whole reason (the worker's words with quoted values) is shown; with the
     * {@code ...(N chars)} note a reason stays within 300 characters.
     */
    public static final int MAX_REASON_CHARS = 280;

    /** The most a {@code ...(N chars)} note adds to a cut text. */
    private static final int NOTE_ROOM = "...(2147483647 bytes)".length();
    private static final Pattern NOTE = Pattern.compile("\\.\\.\\.\\(\\d{1,10} (chars|bytes)\\)$");

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SenderText() {
    }

    /** {@code text} escaped and capped to {@link #MAX_CHARS}; {@code null} stays {@code null}. */
    public static String of(String text) {
        return of(text, MAX_CHARS);
    }

    /**
     * {@code text} escaped and capped: at most {@code maxChars} characters of escaped text, then
     * {@code ...(N chars)} with the original length if anything was left out.
     */
    public static String of(String text, int maxChars) {
        if (text == null) {
            return null;
        }
        if (text.length() <= maxChars && isPlain(text)) {
            return text; // nearly every id and reason: no copy
        }
        if (text.length() <= maxChars + NOTE_ROOM && hasNote(text) && isPlain(text)) {
            return text; // capped before, by this same rule
        }
        return render(text, maxChars, /* more= */ false, text.length() + " chars");
    }

    /**
     * {@code text} escaped, cut where the escaped text would pass {@code maxChars}; if it was cut
     * or {@code more} says there was more than {@code text}, {@code ...(size)} follows.
     */
    private static String render(String text, int maxChars, boolean more, String size) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars) + 24);
        int i = 0;
        for (; i < text.length(); i++) {
            int mark = out.length();
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                out.append(c).append(text.charAt(i + 1));
            } else if (needsEscape(c) || Character.isSurrogate(c)) {
                escape(c, out);
            } else {
                out.append(c);
            }
            if (out.length() > maxChars) {
                out.setLength(mark);
                break;
            }
            if (pair) {
                i++;
            }
        }
        if (i < text.length() || more) {
            out.append("...(").append(size).append(')');
        }
        return out.toString();
    }

    /**
     * {@code bytes} (a record key, a header value) as text: UTF-8 where they are UTF-8 (a byte
     * that is not becomes U+FFFD), escaped, and capped to {@link #MAX_CHARS} bytes' worth with
     * the original size in bytes; {@code null} stays {@code null}.
     */
    public static String ofBytes(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        // A UTF-8 character takes at most 4 bytes: this many decode to more than is shown.
        int read = Math.min(bytes.length, 4 * MAX_CHARS + 4);
        String text = new String(bytes, 0, read, StandardCharsets.UTF_8);
        if (read == bytes.length && text.length() <= MAX_CHARS && isPlain(text)) {
            return text;
        }
        return render(text, MAX_CHARS, read < bytes.length, bytes.length + " bytes");
    }

    /** {@code text} escaped, capped to {@link #MAX_QUOTED_CHARS} and in double quotes, for a reason. */
    public static String quoted(String text) {
        return "\"" + of(text, MAX_QUOTED_CHARS) + "\"";
    }

    /** A whole reason (the worker's words with quoted values) as one line of at most {@link #MAX_REASON_CHARS}. */
    public static String reason(String reason) {
        return of(reason, MAX_REASON_CHARS);
    }

    /** Whether {@code c} must not reach a log line, header or outcome as it is. */
    static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F)
                || c == '\u2028' || c == '\u2029' // line and paragraph separators
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') // bidi overrides
                || c == '\u200E' || c == '\u200F' || c == '\u061C' // bidi marks
                || c == '\uFEFF';
    }

    private static boolean hasNote(String text) {
        return text.endsWith(")") && NOTE.matcher(text).find();
    }

    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (needsEscape(c)) {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= text.length()
                        || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    private static void escape(char c, StringBuilder out) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                    .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
        }
    }
}
