package dev.orderpipeline.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.orderpipeline.cli.kafka.TopicRecord;
import dev.orderpipeline.contract.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeadLetterSelectionTest {

    private static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");
    private static final TopicRecord RECORD = new TopicRecord("orders.DLT", 1, 42, AT.minusSeconds(3600), "k",
            "v".getBytes(StandardCharsets.UTF_8), List.of(
                    header("trace", "t-1"),
                    header(DeadLetterHeaders.PROBLEM, "MALFORMED_JSON"),
                    header(DeadLetterHeaders.REASON, "Unexpected end of input"),
                    header(DeadLetterHeaders.DEAD_LETTERED_AT, AT.toString())));

    private record Case(String name, DeadLetterSelection selection, boolean want) {
    }

    @Test
    void accepts_onlyWhenEveryGivenCriterionHolds_timeFromTheDeadLetteredAtHeader() {
        List<Case> cases = List.of(
                new Case("nothing given", new DeadLetterSelection(Set.of(), null, null, null), true),
                new Case("problem matches", new DeadLetterSelection(Set.of("MISSING_FIELD", "MALFORMED_JSON"), null, null, null), true),
                new Case("problem differs", new DeadLetterSelection(Set.of("MISSING_FIELD"), null, null, null), false),
                new Case("reason, ignoring case", new DeadLetterSelection(Set.of(), "END OF", null, null), true),
                new Case("reason differs", new DeadLetterSelection(Set.of(), "currency", null, null), false),
                new Case("since is inclusive", new DeadLetterSelection(Set.of(), null, AT, null), true),
                new Case("until is exclusive", new DeadLetterSelection(Set.of(), null, null, AT), false),
                new Case("inside the window", new DeadLetterSelection(Set.of(), null, AT.minusSeconds(1), AT.plusSeconds(1)), true),
                new Case("after the window, header not record time",
                        new DeadLetterSelection(Set.of(), null, AT.minusSeconds(7200), AT.minusSeconds(60)), false));
        for (Case c : cases) {
            assertEquals(c.want(), c.selection().accepts(RECORD), c.name() + ": " + c.selection());
        }
    }

    @Test
    void sinceNotBeforeUntil_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new DeadLetterSelection(Set.of(), null, AT, AT));
    }

    @Test
    void replayHeaders_dropTheDltOnes_keepTheOriginals_andNameTheSource() {
        List<TopicRecord.Header> headers = Replays.headers(RECORD, AT);

        assertEquals(List.of("trace=t-1", "replay.of=orders.DLT/1/42", "replay.at=2026-11-27T10:00:00Z"),
                headers.stream().map(h -> h.name() + "=" + h.text()).toList());
    }

    /** A sender's own dlt.* header, renamed on the dead letter, goes back under its own name. */
    @Test
    void replayHeaders_giveRenamedSenderHeadersTheirNamesBack() {
        TopicRecord deadLetter = new TopicRecord("orders.DLT", 0, 7, AT, "k", new byte[0], List.of(
                header("dlt.original.dlt.problem", "sender's"),
                header(DeadLetterHeaders.PROBLEM, "MISSING_FIELD"),
                header(DeadLetterHeaders.ORIGINAL_OFFSET, "3")));

        List<TopicRecord.Header> headers = Replays.headers(deadLetter, AT);

        assertEquals(List.of("dlt.problem=sender's", "replay.of=orders.DLT/0/7", "replay.at=2026-11-27T10:00:00Z"),
                headers.stream().map(h -> h.name() + "=" + h.text()).toList());
    }

    /** The dry-run listing is one line per dead letter, whatever its key and reason hold. */
    @Test
    void listingLine_escapesTheKeyAndReason() {
        TopicRecord deadLetter = new TopicRecord("orders.DLT", 0, 7, AT, "k\n\u001b[2J", new byte[0], List.of(
                header(DeadLetterHeaders.REASON, "bad\r\nforged")));

        String line = Replays.line(deadLetter);

        assertEquals(-1, line.indexOf('\n'), line);
        assertEquals(-1, line.indexOf('\u001b'), line);
        assertEquals(true, line.contains("k\\n\\u001b[2J") && line.contains("bad\\r\\nforged"), line);
    }

    private static TopicRecord.Header header(String name, String value) {
        return new TopicRecord.Header(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
