package dev.orderpipeline.contract;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The UTF-8 check every order record goes through before it is parsed. Stateless. */
final class Utf8 {

    private Utf8() {
    }

    /** Why {@code value} is not valid UTF-8, or {@code null} if it is. */
    static String problem(byte[] value) {
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

    private static boolean isAscii(byte[] value) {
        for (byte b : value) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
