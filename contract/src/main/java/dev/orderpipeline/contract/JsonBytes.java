package dev.orderpipeline.contract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal JSON writer straight into a byte array, writing exactly what Jackson's generator
 * writes for the same calls (UTF-8, the same escapes, no whitespace). Jackson's generator costs
 * a buffer pool round trip and several kilobytes of set-up per document, more than a small
 * document itself. One instance per document; not thread-safe.
 */
final class JsonBytes {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /**
     * A property name, quoted and followed by its colon once, when the writer is set up: names
     * were half of the characters escaped per document.
     */
    static final class Key {
        private final byte[] bytes;

        private Key(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    /** An outcome with three steps is about 600 bytes: one buffer, no growing. */
    private byte[] buf = new byte[1024];
    private int size;
    /** Whether the next value in the current object or array needs a comma before it. */
    private boolean comma;

    JsonBytes startObject() {
        separate();
        put((byte) '{');
        comma = false;
        return this;
    }

    JsonBytes endObject() {
        put((byte) '}');
        comma = true;
        return this;
    }

    JsonBytes startArray(Key name) {
        name(name);
        put((byte) '[');
        comma = false;
        return this;
    }

    JsonBytes endArray() {
        put((byte) ']');
        comma = true;
        return this;
    }

    JsonBytes number(Key name, long value) {
        name(name);
        ascii(Long.toString(value));
        comma = true;
        return this;
    }

    /** The property, unless {@code value} is null (as {@code @JsonInclude(NON_NULL)}). */
    JsonBytes string(Key name, String value) {
        if (value != null) {
            name(name);
            quoted(value);
            comma = true;
        }
        return this;
    }

    /** The property with {@code json}, a complete JSON value, as it is. */
    JsonBytes json(Key name, byte[] json) {
        name(name);
        ensure(json.length);
        System.arraycopy(json, 0, buf, size, json.length);
        size += json.length;
        comma = true;
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** {@code name} as a property name: quoted, with the escapes of any string, and its colon. */
    static Key key(String name) {
        JsonBytes out = new JsonBytes();
        out.quoted(name);
        out.put((byte) ':');
        return new Key(out.toByteArray());
    }

    private void name(Key name) {
        separate();
        ensure(name.bytes.length);
        System.arraycopy(name.bytes, 0, buf, size, name.bytes.length);
        size += name.bytes.length;
    }

    private void separate() {
        if (comma) {
            put((byte) ',');
        }
    }

    private void ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            buf[size++] = (byte) text.charAt(i);
        }
    }

    private void quoted(String text) {
        // At most 6 bytes per char (an escape); a 4-byte UTF-8 sequence takes two chars.
        ensure(text.length() * 6 + 2);
        buf[size++] = '"';
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                buf[size++] = (byte) c;
            } else if (c < 0x80) {
                escape(c);
            } else if (c < 0x800) {
                buf[size++] = (byte) (0xC0 | c >> 6);
                buf[size++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                buf[size++] = (byte) (0xF0 | cp >> 18);
                buf[size++] = (byte) (0x80 | cp >> 12 & 0x3F);
                buf[size++] = (byte) (0x80 | cp >> 6 & 0x3F);
                buf[size++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                buf[size++] = '?'; // a lone surrogate is no character: as String.getBytes does
            } else {
                buf[size++] = (byte) (0xE0 | c >> 12);
                buf[size++] = (byte) (0x80 | c >> 6 & 0x3F);
                buf[size++] = (byte) (0x80 | c & 0x3F);
            }
        }
        buf[size++] = '"';
    }

    /** The escapes Jackson writes: short ones where JSON has them, else backslash-u and upper-case hex. */
    private void escape(char c) {
        buf[size++] = '\\';
        switch (c) {
            case '"' -> buf[size++] = '"';
            case '\\' -> buf[size++] = '\\';
            case '\b' -> buf[size++] = 'b';
            case '\t' -> buf[size++] = 't';
            case '\f' -> buf[size++] = 'f';
            case '\n' -> buf[size++] = 'n';
            case '\r' -> buf[size++] = 'r';
            default -> {
                buf[size++] = 'u';
                buf[size++] = '0';
                buf[size++] = '0';
                buf[size++] = HEX[c >> 4];
                buf[size++] = HEX[c & 0xF];
            }
        }
    }

    private void put(byte b) {
        ensure(1);
        buf[size++] = b;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
