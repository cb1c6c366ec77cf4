package dev.orderpipeline.cli.replay;

import dev.orderpipeline.cli.kafka.TopicRecord;
import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.SenderText;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a replayed dead letter looks like: on the wire, and in the dry-run listing. */
public final class Replays {

    /** {@code topic/partition/offset} of the dead letter a replayed record was copied from. */
    public static final String REPLAY_OF = "replay.of";
    /** When it was replayed, ISO-8601. */
    public static final String REPLAY_AT = "replay.at";

    private Replays() {
    }

    /**
     * The original headers under their original names, without the ones the worker added when it
     * dead-lettered the record (a replay is a fresh attempt, not a dead letter), plus {@link #REPLAY_OF} and {@link #REPLAY_AT}.
     */
    public static List<TopicRecord.Header> headers(TopicRecord deadLetter, Instant replayAt) {
        List<TopicRecord.Header> headers = new ArrayList<>();
        for (TopicRecord.Header h : deadLetter.headers()) {
            String name = DeadLetterHeaders.senderHeaderName(h.name());
            if (name != null) {
                headers.add(name.equals(h.name()) ? h : new TopicRecord.Header(name, h.value()));
            }
        }
        headers.add(new TopicRecord.Header(REPLAY_OF, deadLetter.address().getBytes(StandardCharsets.UTF_8)));
        headers.add(new TopicRecord.Header(REPLAY_AT, replayAt.toString().getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    /** {@code KEY  PROBLEM  REASON  original TOPIC/P/OFFSET  dlt TOPIC/P/OFFSET at TIME}. */
    public static String line(TopicRecord deadLetter) {
        return String.format(Locale.ROOT, "  %-24s %-18s %s  original %s/%s/%s  dlt %s at %s",
                SenderText.of(deadLetter.key()), SenderText.of(deadLetter.header(DeadLetterHeaders.PROBLEM).orElse("-")),
                SenderText.reason(deadLetter.header(DeadLetterHeaders.REASON).orElse("-")),
                SenderText.of(deadLetter.header(DeadLetterHeaders.ORIGINAL_TOPIC).orElse("?")),
                SenderText.of(deadLetter.header(DeadLetterHeaders.ORIGINAL_PARTITION).orElse("?")),
                SenderText.of(deadLetter.header(DeadLetterHeaders.ORIGINAL_OFFSET).orElse("?")),
                deadLetter.address(), DeadLetterSelection.deadLetteredAt(deadLetter));
    }
}
