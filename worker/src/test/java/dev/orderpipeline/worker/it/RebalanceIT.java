package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.CompensationStatus;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.stubs.StubServices;
import dev.orderpipeline.worker.app.Worker;
import dev.orderpipeline.worker.config.Delivery;
import dev.orderpipeline.worker.config.SimulationSettings;
import dev.orderpipeline.worker.config.StepServices;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.consume.PollLoop;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.common.utils.Utils;
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
        return topics.workerConfig()
                .workerId(workerId)
                .orderDeadline(Duration.ofSeconds(10))
                .maxInFlight(32)
                .delivery(delivery)
                .commitInterval(Duration.ofMillis(200))
                .simulation(SimulationSettings.fixedLatency(Duration.ofMillis(150)))
                .build();
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

    /**
     * An order that outlives the revoke budget on a real broker. The first worker's payment
     * service never answers the void of a failed order (its compensation deadline, 15 s, is past
     * the revoke budget, 1 s deadline + 10 s), so when a second worker joins, the moved
     * partition's order is still running at the end of the budget: the first worker must drop it
     * (interrupt it and publish nothing), and the new owner answers it. One such order on every
     * partition, so whichever partition moves has one; the orders on the partitions that stay
     * are answered by the first worker once their compensation times out.
     */
    @ParameterizedTest
    @EnumSource(Delivery.class)
    void orderOutlivingTheRevokeBudget_isDroppedByTheOldOwner_andAnsweredOnceByTheNew(Delivery delivery) throws Exception {
        try (PipelineTopics topics = new PipelineTopics("late-result");
             StubServices hanging = StubServices.start(0, StubServices.Behaviour.succeeding(Duration.ofMillis(5)),
                     new SplittableRandom(1));
             StubServices healthy = StubServices.start(0, StubServices.Behaviour.succeeding(Duration.ofMillis(5)),
                     new SplittableRandom(2))) {
            for (StubServices stub : List.of(hanging, healthy)) {
                stub.behave(StubServices.Service.VENDOR, StubServices.Behaviour.failing(503, Duration.ofMillis(5)));
            }
            hanging.behaveUndo(StubServices.Service.PAYMENT, StubServices.Behaviour.succeeding(Duration.ofMinutes(5)));
            hanging.behaveUndo(StubServices.Service.COURIER, StubServices.Behaviour.succeeding(Duration.ofMinutes(5)));
            List<String> late = onePerPartition("late");
            Random random = new Random(5);
            for (String id : late) {
                topics.send(SampleOrders.order(id, Instant.now(), null, random));
            }

            Worker first = Worker.start(httpConfig(topics, "late-first", hanging, delivery), Clock.systemUTC());
            Worker second = null;
            try {
                await("every late order is waiting for its void").atMost(WAIT).until(() -> late.stream()
                        .allMatch(id -> hanging.requests().stream().anyMatch(r -> r.undo() && r.idempotencyKey().equals(id + ":payment"))));
                second = Worker.start(httpConfig(topics, "late-second", healthy, delivery), Clock.systemUTC());
                await("every late order answered").atMost(WAIT).until(() -> topics.allHaveOutcomes(Set.copyOf(late)));
                Map<String, List<OrderOutcome>> settled = topics.settledOutcomes();

                List<String> moved = late.stream().filter(id -> settled.get(id).stream()
                        .anyMatch(o -> o.workerId().equals("late-second"))).toList();
                assertTrue(!moved.isEmpty(), () -> "no late order moved to the joining worker: " + settled);
                for (String id : late) {
                    assertEquals(1, settled.get(id).size(), () -> id + " answered " + settled.get(id).size() + " times: "
                            + settled.get(id).stream().map(o -> o.workerId() + " " + o.compensations()).toList());
                }
                for (String id : moved) {
                    OrderOutcome outcome = settled.get(id).getFirst();
                    assertTrue(outcome.compensations().stream().allMatch(c -> c.status() == CompensationStatus.COMPENSATED),
                            () -> "the new owner's undo: " + outcome.compensations());
                }
            } finally {
                first.requestStop();
                first.close();
                if (second != null) {
                    second.requestStop();
                    second.close();
                }
            }
        }
    }

    private static WorkerConfig httpConfig(PipelineTopics topics, String workerId, StubServices stub, Delivery delivery) {
        return topics.workerConfig()
                .workerId(workerId)
                .orderDeadline(Duration.ofSeconds(1))
                .compensationDeadline(Duration.ofSeconds(15))
                .maxInFlight(32)
                .delivery(delivery)
                .commitInterval(Duration.ofMillis(200))
                .services(new StepServices(stub.baseUrl(), stub.baseUrl(), stub.baseUrl()))
                .build();
    }

    /** One order id for each partition of the orders topic, as the default partitioner places keys. */
    private static List<String> onePerPartition(String prefix) {
        Map<Integer, String> byPartition = new java.util.TreeMap<>();
        for (int i = 0; byPartition.size() < PipelineTopics.PARTITIONS; i++) {
            String id = prefix + "-" + i;
            byPartition.putIfAbsent(Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8)))
                    % PipelineTopics.PARTITIONS, id);
        }
        return List.copyOf(byPartition.values());
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
