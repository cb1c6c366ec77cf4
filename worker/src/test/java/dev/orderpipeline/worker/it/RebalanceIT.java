package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.worker.app.Worker;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.kafka.Delivery;
import dev.orderpipeline.worker.kafka.Ordering;
import dev.orderpipeline.worker.kafka.PollLoop;
import dev.orderpipeline.worker.steps.SimulationSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Partitions moving between workers while orders are in flight: with cooperative rebalancing,
 * a revoked partition's running orders finish and are committed before it is handed over, so
 * no order is lost and none is answered twice. With exactly-once delivery the revoking worker
 * commits its transaction before it lets the partitions go, and the outcomes are read
 * {@code read_committed}, as its downstream consumers must.
 */
@Timeout(300)
class RebalanceIT {

    private static final Duration WAIT = Duration.ofSeconds(120);

    private static WorkerConfig config(PipelineTopics topics, String workerId, Delivery delivery) {
        return new WorkerConfig(topics.bootstrapServers(), false, 0, topics.orders, topics.results, topics.deadLetters,
                topics.groupId, workerId, false, PipelineTopics.PARTITIONS, Duration.ofSeconds(10), 32, Ordering.KEY,
                Duration.ofSeconds(30), Duration.ofMillis(200), 64, OrderCodec.DEFAULT_MAX_ORDER_BYTES,
                SimulationSettings.fixedLatency(Duration.ofMillis(150)), Map.of(), Duration.ofSeconds(30))
                .withDelivery(delivery);
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void workersJoiningAndLeaving_midStream_loseNothing_andAnswerEveryOrderOnce(Delivery delivery) throws Exception {
        try (PipelineTopics topics = new PipelineTopics("rebalance")) {
            Random random = new Random(11);
            List<OrderPlaced> orders = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 900; i++) {
                OrderPlaced order = SampleOrders.order("rb-" + i, Instant.now(), null, random);
                orders.add(order);
                ids.add(order.orderId());
            }
            topics.sendAll(orders.subList(0, 300));

            Worker first = Worker.start(config(topics, "rb-first", delivery), Clock.systemUTC());
            await("the first worker is answering").atMost(WAIT).until(() -> topics.outcomes().size() >= 50);

            // A second worker joins while orders keep coming: some partitions move, with orders
            // in flight on them.
            Worker second = Worker.start(config(topics, "rb-second", delivery), Clock.systemUTC());
            await("the second worker holds a partition").atMost(WAIT).until(() -> ready(second));
            topics.sendAll(orders.subList(300, 600));
            await("the second worker answers too").atMost(WAIT).until(() -> answeredBy(topics, "rb-second") >= 30);

            // ... and leaves again: its partitions move back.
            topics.sendAll(orders.subList(600, 900));
            second.requestStop();
            assertEquals(PollLoop.Exit.CLEAN, second.awaitExit());
            second.close();
            assertEquals(0, second.tracker().running(), "step threads left in the worker that left");

            await("every order answered").atMost(WAIT).until(() -> topics.allHaveOutcomes(ids));
            await("everything committed").atMost(WAIT).until(topics::allCommitted);
            first.requestStop();
            assertEquals(PollLoop.Exit.CLEAN, first.awaitExit());
            first.close();

            assertEquals(ids, topics.outcomes().keySet());
            assertEquals(Set.of(), topics.duplicates(), () -> "orders answered twice across the rebalances; e.g. "
                    + topics.duplicates().stream().sorted().limit(5).map(id -> id + " by " + topics.outcomes().get(id).stream()
                            .map(o -> o.workerId() + " received " + o.receivedAt()).toList()).toList());
            assertTrue(answeredBy(topics, "rb-first") > 0 && answeredBy(topics, "rb-second") > 0);
        }
    }

    /** Whether {@code worker}'s readiness endpoint says it holds partitions. */
    private static boolean ready(Worker worker) throws Exception {
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            var request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + worker.httpPort() + "/health/ready")).build();
            return client.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        }
    }

    private static long answeredBy(PipelineTopics topics, String workerId) {
        return topics.outcomes().values().stream().flatMap(List::stream).map(OrderOutcome::workerId)
                .filter(workerId::equals).count();
    }
}
