package dev.orderpipeline.cli.replay;

import dev.orderpipeline.cli.kafka.TopicRecord;
import dev.orderpipeline.contract.DeadLetterHeaders;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which dead letters {@code replay-dlt} picks. Every criterion given must hold; an empty
 * {@code problems} set, a {@code null} text or bound does not filter.
 *
 * @param problems       {@code dlt.problem} values, any of which matches
 * @param reasonContains text the {@code dlt.reason} header contains, ignoring case
 * @param since          dead-lettered at or after (inclusive)
 * @param until          dead-lettered before (exclusive)
 */
public record DeadLetterSelection(Set<String> problems, String reasonContains, Instant since, Instant until) {

    public DeadLetterSelection {
        problems = Set.copyOf(problems);
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("--since " + since + " is not before --until " + until);
        }
    }

    public boolean accepts(TopicRecord deadLetter) {
        if (!problems.isEmpty() && !deadLetter.header(DeadLetterHeaders.PROBLEM).filter(problems::contains).isPresent()) {
            return false;
        }
        if (reasonContains != null && !deadLetter.header(DeadLetterHeaders.REASON)
                .filter(r -> r.toLowerCase(Locale.ROOT).contains(reasonContains.toLowerCase(Locale.ROOT))).isPresent()) {
            return false;
        }
        Instant at = deadLetteredAt(deadLetter);
        return (since == null || !at.isBefore(since)) && (until == null || at.isBefore(until));
    }

    /**
     * When the worker dead-lettered the record: its {@code dlt.dead-lettered.at} header, else the
     * record's timestamp (the producer's send time, as close as a header-less record gets).
     */
    public static Instant deadLetteredAt(TopicRecord deadLetter) {
        return deadLetter.header(DeadLetterHeaders.DEAD_LETTERED_AT).flatMap(text -> {
            try {
                return Optional.of(Instant.parse(text));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }).orElse(deadLetter.timestamp());
    }
}
