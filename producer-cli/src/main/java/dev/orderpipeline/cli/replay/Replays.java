package dev.orderpipeline.cli.replay;

import dev.orderpipeline.cli.kafka.TopicRecord;
import dev.orderpipeline.contract.DeadLetterHeaders;
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

    private static final String DLT_PREFIX = "dlt.";

    private Replays() {
    }

    /**
     * The original headers, without the ones the worker added when it dead-lettered the record
     * (a replay is a fresh attempt, not a dead letter), plus {@link #REPLAY_OF} and {@link #REPLAY_AT}.
     */
    public static List<TopicRecord.Header> headers(TopicRecord deadLetter, Instant replayAt) {
        List<TopicRecord.Header> headers = new ArrayList<>();
        for (TopicRecord.Header h : deadLetter.headers()) {
            if (!h.name().startsWith(DLT_PREFIX)) {
                headers.add(h);
            }
        }
        headers.add(new TopicRecord.Header(REPLAY_OF, deadLetter.address().getBytes(StandardCharsets.UTF_8)));
        headers.add(new TopicRecord.Header(REPLAY_AT, replayAt.toString().getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    /** {@code KEY  PROBLEM  REASON  original TOPIC/P/OFFSET  dlt TOPIC/P/OFFSET at TIME}. */
    public static String line(TopicRecord deadLetter) {
        return String.format(Locale.ROOT, "  %-24s %-18s %s  original %s/%s/%s  dlt %s at %s",
                deadLetter.key(), deadLetter.header(DeadLetterHeaders.PROBLEM).orElse("-"),
                deadLetter.header(DeadLetterHeaders.REASON).orElse("-"),
                deadLetter.header(DeadLetterHeaders.ORIGINAL_TOPIC).orElse("?"),
                deadLetter.header(DeadLetterHeaders.ORIGINAL_PARTITION).orElse("?"),
                deadLetter.header(DeadLetterHeaders.ORIGINAL_OFFSET).orElse("?"),
                deadLetter.address(), DeadLetterSelection.deadLetteredAt(deadLetter));
    }
}
