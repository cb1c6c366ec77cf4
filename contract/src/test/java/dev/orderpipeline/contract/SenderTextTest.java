package dev.orderpipeline.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SenderTextTest {

    static Stream<Arguments> escapes() {
        return Stream.of(
                Arguments.argumentSet("plain id unchanged", "order-42", "order-42"),
                Arguments.argumentSet("non-ASCII letters unchanged", "commande-été-🍕", "commande-été-🍕"),
                Arguments.argumentSet("backslash unchanged", "a\\nb", "a\\nb"),
                Arguments.argumentSet("forged log line", "o-1\n2026-12-06T21:00:00.000+0000 [main] ERROR x",
                        "o-1\\n2026-12-06T21:00:00.000+0000 [main] ERROR x"),
                Arguments.argumentSet("CR, tab", "a\rb\tc", "a\\rb\\tc"),
                Arguments.argumentSet("ESC and NUL", "\u001b[31mred\u0000", "\\u001b[31mred\\u0000"),
                Arguments.argumentSet("DEL and a C1 control", "a\u007fb\u009bc", "a\\u007fb\\u009bc"),
                Arguments.argumentSet("Unicode line separator", "a\u2028b", "a\\u2028b"),
                Arguments.argumentSet("bidi override", "abc\u202Edcba", "abc\\u202edcba"),
                Arguments.argumentSet("lone surrogate", "a\uD800b", "a\\ud800b"));
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("escapes")
    void of_escapesWhatATerminalOrLogWouldActOn_andKeepsTheRest(String input, String want) {
        assertEquals(want, SenderText.of(input), () -> "input " + input.codePoints().boxed().toList());
    }

    @Test
    void of_plainShortText_isReturnedWithoutACopy() {
        String id = "order-42";
        assertSame(id, SenderText.of(id));
    }

    @Test
    void of_null_isNull() {
        assertNull(SenderText.of(null));
        assertNull(SenderText.ofBytes(null));
    }

    @Test
    void of_longText_keepsItsStart_andStatesTheOriginalLength() {
        String got = SenderText.of("x".repeat(60_000));

        assertEquals("x".repeat(SenderText.MAX_CHARS) + "...(60000 chars)", got);
    }

    /** The cap counts the escaped text: 60,000 ESC characters do not become 360,000 visible ones. */
    @Test
    void of_longTextOfControlCharacters_isCappedAfterEscaping() {
        String got = SenderText.of("\u001b".repeat(60_000));

        assertEquals("\\u001b".repeat(SenderText.MAX_CHARS / 6) + "...(60000 chars)", got);
    }

    @Test
    void of_doesNotSplitASurrogatePairAtTheCut() {
        String got = SenderText.of("x".repeat(SenderText.MAX_CHARS - 1) + "🍕🍕");

        assertEquals("x".repeat(SenderText.MAX_CHARS - 1) + "...(203 chars)", got);
    }

    @Test
    void of_appliedTwice_changesNothingMore() {
        Random random = new Random(7);
        for (int n = 0; n < 1_000; n++) {
            String once = SenderText.of(randomText(random, random.nextInt(300)));
            assertEquals(once, SenderText.of(once, Integer.MAX_VALUE));
            assertEquals(once, SenderText.of(once));
        }
    }

    /** Regression: an id cut once was cut again, and its note then gave the cut length, not the original. */
    @Test
    void of_textCutBefore_keepsItsNoteOfTheOriginalLength() {
        String once = SenderText.of("x".repeat(60_000));

        assertEquals(once, SenderText.of(once));
        assertEquals(SenderText.ofBytes(new byte[5_000]), SenderText.of(SenderText.ofBytes(new byte[5_000])));
    }

    @Test
    void of_randomText_neverHoldsAControlCharacter_orPassesTheCap() {
        Random random = new Random(11);
        for (int n = 0; n < 2_000; n++) {
            String input = randomText(random, random.nextInt(2_000));
            String got = SenderText.of(input);
            assertTrue(got.chars().noneMatch(c -> SenderText.needsEscape((char) c) || Character.isISOControl(c)),
                    () -> "control character in " + got);
            assertTrue(got.length() <= SenderText.MAX_CHARS + "...(2000 chars)".length(), () -> got.length() + " chars");
        }
    }

    @Test
    void ofBytes_aLongKey_isCappedWithItsSizeInBytes() {
        byte[] key = "k".repeat(60_000).getBytes(StandardCharsets.UTF_8);

        assertEquals("k".repeat(SenderText.MAX_CHARS) + "...(60000 bytes)", SenderText.ofBytes(key));
    }

    @Test
    void ofBytes_notUtf8_showsReplacementCharacters_andEscapes() {
        byte[] key = {'o', (byte) 0xC3, 0x28, 0x1b, '\n'};

        assertEquals("o\uFFFD(\\u001b\\n", SenderText.ofBytes(key));
    }

    @Test
    void ofBytes_multiByteKeyThatFits_hasNoSizeNote() {
        assertEquals("été", SenderText.ofBytes("été".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void reason_staysWithin300Characters() {
        String got = SenderText.reason("field x: " + "y".repeat(10_000));

        assertTrue(got.length() <= 300, () -> got.length() + " chars: " + got);
        assertTrue(got.endsWith("...(10009 chars)"), got);
    }

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(switch (random.nextInt(4)) {
                case 0 -> (char) random.nextInt(0x20);
                case 1 -> (char) (0x7F + random.nextInt(0x21));
                case 2 -> (char) random.nextInt(0x10000);
                default -> (char) ('a' + random.nextInt(26));
            });
        }
        return text.toString();
    }
}
