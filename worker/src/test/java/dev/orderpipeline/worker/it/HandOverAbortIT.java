package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.worker.app.Worker;
import dev.orderpipeline.worker.config.Delivery;
import dev.orderpipeline.worker.config.SimulationSettings;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.consume.PollLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exactly-once when the commit that hands partitions over fails: the first worker's open
 * transaction is spoilt (an outcome too large for its producer) and, with a long commit
 * interval, the next commit it tries is the one before it gives a partition to a joining
 * worker. That commit aborts (the worker counts it as an abort at a hand-over); the first
 * worker rewinds the partitions it keeps, the joining worker starts the one it gets from the
 * last committed offset. Regression test: the rewind
 * once called {@code seekToBeginning} with an empty list, which Kafka reads as "every assigned
 * partition", and redid every order already committed.
 */
@Timeout(240)
class HandOverAbortIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Longer than the spoilt worker needs to reach 50 outcomes and the joining worker to join, even on a loaded machine. */
    private static final Duration SPOILT_COMMIT_INTERVAL = Duration.ofSeconds(40);

    private static WorkerConfig config(PipelineTopics topics, String workerId, Duration commitInterval, Map<String, String> kafka) {
        return topics.workerConfig()
                .workerId(workerId)
                .orderDeadline(Duration.ofSeconds(10))
                .maxInFlight(32)
                .delivery(Delivery.EXACTLY_ONCE)
                .commitInterval(commitInterval)
                .simulation(SimulationSettings.fixedLatency(Duration.ofMillis(50)))
                .kafkaOverrides(kafka)
                .build();
    }

    @Test
    void commitBeforeHandOverAborts_noOrderIsLostOrAnsweredTwice() throws Exception {
        try (PipelineTopics topics = new PipelineTopics("handover")) {
            Random random = new Random(7);
            List<OrderPlaced> orders = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 600; i++) {
                OrderPlaced order = SampleOrders.order("ho-" + i, Instant.now(), null, random);
                orders.add(order);
                ids.add(order.orderId());
            }
            String target = orders.get(250).orderId();
            Map<String, String> spoil = Map.of("interceptor.classes", OversizeOnce.class.getName(), OversizeOnce.KEY, target);
            Worker first = Worker.start(config(topics, "ho-first", Duration.ofSeconds(2), Map.of()), Clock.systemUTC());
            topics.sendAll(orders.subList(0, 200));
            await("the first worker commits its first orders").atMost(WAIT).until(() -> topics.outcomes().size() >= 150);
            first.requestStop();
            assertEquals(PollLoop.Exit.CLEAN, first.awaitExit());
            first.close();

            // A worker whose first transaction is spoilt, and whose first interval commit comes
            // late: the joining worker's rebalance comes first, so the commit before the hand-over
            // is the one that meets the spoilt transaction.
            Worker spoilt = Worker.start(config(topics, "ho-spoilt", SPOILT_COMMIT_INTERVAL, spoil), Clock.systemUTC());
            topics.sendAll(orders.subList(200, 400));
            await("the spoilt worker has worked past the spoilt outcome").atMost(WAIT)
                    .until(() -> spoilt.stats().outcomes().values().stream().mapToLong(Long::longValue).sum() >= 50);
            Worker joining = Worker.start(config(topics, "ho-joining", Duration.ofMillis(200), Map.of()), Clock.systemUTC());
            await("the spoilt worker aborted at the hand-over").atMost(WAIT)
                    .until(() -> spoilt.stats().transactionsAbortedAtHandOver() >= 1);
            assertEquals(1, spoilt.stats().transactionsAborted(),
                    "the spoilt transaction is aborted once, by the commit before the hand-over, not by an interval commit");
            topics.sendAll(orders.subList(400, 600));
            await("every order answered").atMost(WAIT).until(() -> topics.allHaveOutcomes(ids));
            await("everything committed").atMost(WAIT).until(topics::allCommitted);
            joining.requestStop();
            assertEquals(PollLoop.Exit.CLEAN, joining.awaitExit());
            joining.close();
            spoilt.requestStop();
            spoilt.awaitExit();
            spoilt.close();

            assertEquals(ids, topics.outcomes().keySet(), "orders lost");
            assertEquals(Set.of(), topics.duplicates(), () -> "orders answered twice; e.g. "
                    + topics.duplicates().stream().sorted().limit(5).map(id -> id + " by " + topics.outcomes().get(id).stream()
                            .map(o -> o.workerId() + " received " + o.receivedAt()).toList()).toList());
            assertTrue(topics.outcomes().values().stream().flatMap(List::stream).anyMatch(o -> o.workerId().equals("ho-joining")));
        }
    }
}
