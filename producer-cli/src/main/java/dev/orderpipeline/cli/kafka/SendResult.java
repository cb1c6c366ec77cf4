package dev.orderpipeline.cli.kafka;

import dev.orderpipeline.cli.orders.Scenario;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What happened to the records of one send.
 *
 * @param planned    how many records the source had
 * @param sent       how many were handed to the producer; fewer than planned only when sending
 *                   stopped at the first failure
 * @param acked      acknowledged by all in-sync replicas
 * @param failed     refused for good (after the producer's own retries)
 * @param firstError the first refusal, one line
 * @param elapsed    from the first send to the last acknowledgement
 * @param sentByScenario how many records of each scenario were handed to the producer
 */
public record SendResult(
        long planned,
        long sent,
        long acked,
        long failed,
        Optional<String> firstError,
        Duration elapsed,
        Map<Scenario, Long> sentByScenario) {

    public SendResult {
        sentByScenario = Map.copyOf(sentByScenario);
    }

    /** Every planned record was acknowledged. */
    public boolean allAcked() {
        return acked == planned && failed == 0;
    }
}
