package dev.orderpipeline.cli.kafka;

import dev.orderpipeline.contract.OrderOutcome;
import java.time.Instant;

/**
 * Receives what {@link ResultConsumer} reads. Every method runs on the consumer's poll thread;
 * {@code readAt} is when the poll that returned the record came back.
 */
public interface ResultListener {

    /** An outcome from the results topic. */
    void onOutcome(OrderOutcome outcome, Instant readAt);

    /** A results-topic record that is not an {@code OrderOutcome}; {@code key} may be null. */
    void onUnreadableOutcome(String key, String reason, Instant readAt);

    /**
     * A record from the dead-letter topic.
     *
     * @param problem the {@code dlt.problem} header, or {@code null} when it has none
     */
    void onDeadLetter(String key, String problem, Instant readAt);

    /**
     * The consumer stopped for good; no more calls follow.
     *
     * @param error a {@link BrokerUnavailableException} when Kafka failed, anything else for a bug
     */
    void onConsumerFailure(Exception error);
}
