package dev.orderpipeline.cli.report;

import dev.orderpipeline.cli.kafka.TopicRecord;
import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;

/** What {@code follow} reads: an outcome, a dead letter, or a results record that is not an outcome. */
public sealed interface FollowedEvent {

    /** The record it came from. */
    TopicRecord record();

    /** An {@link OrderOutcome} from the results topic. */
    record Outcome(TopicRecord record, OrderOutcome outcome) implements FollowedEvent {
    }

    /** A record from the dead-letter topic, with the headers the worker added. */
    record DeadLetter(TopicRecord record) implements FollowedEvent {

        public String problem() {
            return record.header(DeadLetterHeaders.PROBLEM).orElse(null);
        }
    }

    /** A results-topic record that does not decode as an outcome. */
    record Unreadable(TopicRecord record, String reason) implements FollowedEvent {
    }

    /** Classifies a record read from {@code resultsTopic} or the dead-letter topic. */
    static FollowedEvent of(TopicRecord record, String resultsTopic, OrderCodec codec) {
        if (!record.topic().equals(resultsTopic)) {
            return new DeadLetter(record);
        }
        if (record.value() == null) {
            return new Unreadable(record, "null value");
        }
        try {
            return new Outcome(record, codec.decodeOutcome(record.value()));
        } catch (IllegalArgumentException e) {
            return new Unreadable(record, e.getMessage());
        }
    }
}
