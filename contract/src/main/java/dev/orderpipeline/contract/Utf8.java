package dev.orderpipeline.contract;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The encoding check every order record goes through before it is parsed: orders are UTF-8
 * without a byte order mark. Jackson, given bytes, would otherwise guess: it skips a UTF-8 BOM
 * and reads UTF-16 or UTF-32 without a BOM from where the zero bytes are in the first four.
 * Stateless.
 */
final class Utf8 {

    private Utf8() {
    }

    /** Why {@code value} is not valid UTF-8, or {@code null} if it is. */
    static String problem(byte[] value) {
        String bom = byteOrderMark(value);
        if (bom != null) {
            return "record value starts with a " + bom + " byte order mark; orders are UTF-8 without one";
        }
        for (int i = 0; i < Math.min(4, value.length); i++) {
            if (value[i] == 0) {
                // JSON in UTF-8 has no NUL byte outside a string, and none inside one unescaped.
                return ("record value has a NUL byte at offset %d: it looks like UTF-16 or UTF-32;"
                        + " orders are UTF-8").formatted(i);
            }
        }
        if (isAscii(value)) {
            return null; // the usual order, checked without a decoder and a buffer as large as it
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(value);
        // UTF-8 never decodes to more UTF-16 chars than it has bytes, so one pass fits.
        CoderResult result = decoder.decode(in, CharBuffer.allocate(value.length), /* endOfInput= */ true);
        if (!result.isError()) {
            return null;
        }
        return "record value is not valid UTF-8: byte 0x%02X at offset %d does not form a valid character"
                .formatted(value[in.position()] & 0xFF, in.position());
    }

    /** The name of the byte order mark {@code value} starts with, or {@code null}. */
    private static String byteOrderMark(byte[] value) {
        if (startsWith(value, 0x00, 0x00, 0xFE, 0xFF)) {
            return "UTF-32BE";
        }
        if (startsWith(value, 0xFF, 0xFE, 0x00, 0x00)) {
            return "UTF-32LE";
        }
        if (startsWith(value, 0xEF, 0xBB, 0xBF)) {
            return "UTF-8";
        }
        if (startsWith(value, 0xFE, 0xFF)) {
            return "UTF-16BE";
        }
        if (startsWith(value, 0xFF, 0xFE)) {
            return "UTF-16LE";
        }
        return null;
    }

    private static boolean startsWith(byte[] value, int... prefix) {
        if (value.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((value[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(byte[] value) {
        for (byte b : value) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
