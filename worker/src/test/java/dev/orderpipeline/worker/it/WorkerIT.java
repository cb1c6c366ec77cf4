package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import dev.orderpipeline.contract.StepStatus;
import dev.orderpipeline.worker.app.Worker;
import dev.orderpipeline.worker.config.Ordering;
import dev.orderpipeline.worker.config.SimulationSettings;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.consume.PollLoop;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The worker, started through its composition root, on a real broker: what a user sees on
 * {@code order-results} and the dead-letter topic for every kind of order and every kind of bad
 * input, and that it commits exactly what it finished.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A frame every simulated step thread has while it runs. */
    private static final String STEP_FRAME = "dev.orderpipeline.worker.steps.SimulatedLatency.";

    private PipelineTopics topics;
    private Worker worker;
    private final Random random = new Random(2026);
    private final OrderCodec codec = new OrderCodec();

    @BeforeAll
    void startWorker() throws Exception {
        topics = new PipelineTopics("worker-it");
        worker = Worker.start(config(topics, Duration.ofMillis(500)), Clock.systemUTC());
    }

    @AfterAll
    void stopWorker() throws Exception {
        if (worker != null) {
            worker.requestStop();
            worker.close();
        }
        if (topics != null) {
            topics.close();
        }
    }

    static WorkerConfig config(PipelineTopics topics, Duration deadline) {
        return topics.workerConfig()
                .workerId("worker-it")
                .orderDeadline(deadline)
                .maxInFlight(64)
                .drainBudget(Duration.ofSeconds(20))
                .commitInterval(Duration.ofMillis(200))
                .courierPoolSize(8)
                .simulation(SimulationSettings.fixedLatency(Duration.ofMillis(10)))
                .build();
    }

    private OrderPlaced order(String id, Simulation simulation) {
        return SampleOrders.order(id, Instant.now(), simulation, random);
    }

    private OrderOutcome awaitOutcome(String orderId) {
        await("outcome of " + orderId).atMost(WAIT).until(() -> topics.outcomes().containsKey(orderId));
        return topics.onlyOutcome(orderId);
    }

    @Test
    void validOrder_getsOneSucceededOutcome_withEveryStep() throws Exception {
        OrderPlaced order = order("it-ok-1", null);
        topics.send(order);

        OrderOutcome outcome = awaitOutcome(order.orderId());
        assertEquals(OrderStatus.SUCCEEDED, outcome.status(), () -> "outcome " + outcome);
        assertNull(outcome.errorClass());
        assertEquals(3, outcome.steps().size());
        assertTrue(outcome.steps().stream().allMatch(s -> s.status() == StepStatus.SUCCEEDED), () -> "steps " + outcome.steps());
        assertEquals(order.createdAt(), outcome.orderCreatedAt());
        assertEquals("worker-it", outcome.workerId());
        assertEquals(1, outcome.attempt());
    }

    @Test
    void recordsWithTheSameKey_runOneAfterTheOther_inOffsetOrder() throws Exception {
        // The same order placed five times (a sender's retries): with key ordering the copies
        // must not overlap, and their outcomes come out in offset order.
        OrderPlaced order = order("it-same-key", null);
        for (int i = 0; i < 5; i++) {
            topics.send(order);
        }

        await("five outcomes").atMost(WAIT).until(() -> topics.outcomes().getOrDefault(order.orderId(), List.of()).size() == 5);
        List<OrderOutcome> outcomes = topics.outcomes().get(order.orderId());
        for (int i = 1; i < outcomes.size(); i++) {
            OrderOutcome previous = outcomes.get(i - 1);
            OrderOutcome next = outcomes.get(i);
            assertTrue(!next.receivedAt().isBefore(previous.completedAt()),
                    () -> "copy started at " + next.receivedAt() + " before the previous one ended at " + previous.completedAt());
        }
    }

    /**
     * The overlap check above, run in every ordering mode on a worker of its own: key and
     * partition ordering never let copies of one order overlap, and unordered mode does, which
     * shows the check can see an overlap when there is one.
     */
    @ParameterizedTest(name = "{0}: same-key copies overlap = {1}")
    @MethodSource("orderingModes")
    void orderingMode_decidesWhetherSameKeyRecordsOverlap(Ordering ordering, boolean mayOverlap) throws Exception {
        try (PipelineTopics own = new PipelineTopics("worker-" + ordering.name().toLowerCase())) {
            WorkerConfig base = config(own, Duration.ofSeconds(10));
            WorkerConfig modal = base.toBuilder()
                    .workerId("worker-" + ordering)
                    .ordering(ordering)
                    .simulation(SimulationSettings.fixedLatency(Duration.ofMillis(200)))
                    .build();
            // All copies wait in the topic before the worker starts, so one poll brings them together.
            OrderPlaced order = order("it-overlap-" + ordering, null);
            own.sendAll(List.of(order, order, order, order, order, order));
            Worker modalWorker = Worker.start(modal, Clock.systemUTC());
            try {
                await("six outcomes").atMost(WAIT)
                        .until(() -> own.outcomes().getOrDefault(order.orderId(), List.of()).size() == 6);
            } finally {
                modalWorker.requestStop();
                modalWorker.close();
            }
            List<OrderOutcome> outcomes = own.outcomes().get(order.orderId());
            boolean overlapped = false;
            for (int i = 0; i < outcomes.size(); i++) {
                for (int j = i + 1; j < outcomes.size(); j++) {
                    OrderOutcome a = outcomes.get(i);
                    OrderOutcome b = outcomes.get(j);
                    overlapped |= a.receivedAt().isBefore(b.completedAt()) && b.receivedAt().isBefore(a.completedAt());
                }
            }
            assertEquals(mayOverlap, overlapped, () -> ordering + ": copies ran " + outcomes.stream()
                    .map(o -> o.receivedAt() + ".." + o.completedAt()).toList());
        }
    }

    static Stream<Arguments> orderingModes() {
        return Stream.of(Arguments.of(Ordering.KEY, false), Arguments.of(Ordering.PARTITION, false),
                Arguments.of(Ordering.UNORDERED, true));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("declined", Simulation.payment(StepFault.FAIL), ErrorClass.PAYMENT_DECLINED),
                Arguments.of("vendor-down", Simulation.vendor(StepFault.FAIL), ErrorClass.VENDOR_UNAVAILABLE),
                Arguments.of("no-courier", Simulation.courier(StepFault.FAIL), ErrorClass.NO_COURIER_AVAILABLE),
                Arguments.of("slow-courier", Simulation.courier(StepFault.SLOW), ErrorClass.TIMEOUT),
                Arguments.of("bug", Simulation.vendor(StepFault.CRASH), ErrorClass.INTERNAL));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("failures")
    void failingOrder_getsOneFailedOutcome_withItsErrorClass(String name, Simulation simulation, ErrorClass want)
            throws Exception {
        OrderPlaced order = order("it-" + name, simulation);
        topics.send(order);

        OrderOutcome outcome = awaitOutcome(order.orderId());
        assertEquals(OrderStatus.FAILED, outcome.status(), () -> "outcome " + outcome);
        assertEquals(want, outcome.errorClass(), () -> "outcome " + outcome);
        assertTrue(outcome.errorMessage() != null && !outcome.errorMessage().isBlank());
    }

    static Stream<Arguments> malformed() {
        byte[] valid = new OrderCodec().encode(SampleOrders.order("it-bad-x", Instant.now(), null, new Random(1)));
        return Stream.of(
                Arguments.of("broken JSON", "it-bad-json", "{\"orderId\": \"it-bad-json\", ".getBytes(StandardCharsets.UTF_8), "MALFORMED_JSON", false),
                Arguments.of("wrong type", "it-bad-type", ("{\"schemaVersion\":1,\"orderId\":\"it-bad-type\",\"customerId\":\"c\","
                        + "\"amount\":{\"minorUnits\":\"ten\",\"currency\":\"EUR\"},\"items\":[],\"vendorId\":\"v\","
                        + "\"deliveryZone\":\"z\",\"createdAt\":\"2026-11-27T10:00:00Z\"}").getBytes(StandardCharsets.UTF_8), "WRONG_TYPE", true),
                Arguments.of("missing field", "it-bad-missing", "{\"schemaVersion\":1,\"orderId\":\"it-bad-missing\"}"
                        .getBytes(StandardCharsets.UTF_8), "MISSING_FIELD", true),
                Arguments.of("invalid UTF-8", "it-bad-utf8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, "INVALID_UTF8", false),
                Arguments.of("null value", "it-bad-null", null, "NULL_VALUE", false),
                Arguments.of("oversized", "it-bad-big", new byte[OrderCodec.DEFAULT_MAX_ORDER_BYTES + 1], "OVERSIZED", false),
                Arguments.of("key is not the order id", "it-bad-key", valid, "RULE_VIOLATION", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedRecord_isDeadLetteredWithItsBytesAndReason(String name, String key, byte[] value, String problem,
                                                             boolean orderIdReadable) throws Exception {
        List<Header> headers = List.of(new RecordHeader("trace-id", "abc-123".getBytes(StandardCharsets.UTF_8)));
        var sent = topics.sendRaw(key.getBytes(StandardCharsets.UTF_8), value, headers);

        await("dead letter for " + key).atMost(WAIT).until(() -> topics.deadLetters().stream()
                .anyMatch(r -> key.equals(new String(r.key(), StandardCharsets.UTF_8))));
        ConsumerRecord<byte[], byte[]> dead = topics.deadLetters().stream()
                .filter(r -> key.equals(new String(r.key(), StandardCharsets.UTF_8))).findFirst().orElseThrow();
        assertArrayEquals(value, dead.value(), "the dead letter must carry the original bytes");
        assertEquals(ErrorClass.INVALID_ORDER.code(), header(dead, DeadLetterHeaders.ERROR_CLASS));
        assertEquals(problem, header(dead, DeadLetterHeaders.PROBLEM));
        assertTrue(!header(dead, DeadLetterHeaders.REASON).isBlank());
        assertEquals(topics.orders, header(dead, DeadLetterHeaders.ORIGINAL_TOPIC));
        assertEquals(Integer.toString(sent.partition()), header(dead, DeadLetterHeaders.ORIGINAL_PARTITION));
        assertEquals(Long.toString(sent.offset()), header(dead, DeadLetterHeaders.ORIGINAL_OFFSET));
        assertEquals("abc-123", header(dead, "trace-id"), "original headers are kept");

        if (orderIdReadable) {
            String orderId = key.equals("it-bad-key") ? "it-bad-x" : key;
            OrderOutcome outcome = awaitOutcome(orderId);
            assertEquals(OrderStatus.REJECTED, outcome.status());
            assertEquals(ErrorClass.INVALID_ORDER, outcome.errorClass());
        }
    }

    @Test
    void badInput_neverStopsTheWorker_andEverythingIsCommitted() throws Exception {
        List<OrderPlaced> orders = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            orders.add(order("it-mixed-" + i, i % 5 == 0 ? Simulation.payment(StepFault.FAIL) : null));
        }
        for (int i = 0; i < orders.size(); i++) {
            topics.sendRaw(("it-garbage-" + i).getBytes(StandardCharsets.UTF_8), ("not json " + i).getBytes(StandardCharsets.UTF_8), List.of());
            topics.send(orders.get(i));
        }
        Set<String> ids = new HashSet<>();
        orders.forEach(o -> ids.add(o.orderId()));

        await("every valid order has an outcome").atMost(WAIT).until(() -> topics.allHaveOutcomes(ids));
        for (String id : ids) {
            OrderOutcome outcome = topics.onlyOutcome(id);
            assertEquals(Integer.parseInt(id.substring("it-mixed-".length())) % 5 == 0 ? OrderStatus.FAILED : OrderStatus.SUCCEEDED, outcome.status(), () -> "outcome " + outcome);
        }
        await("offsets committed to the end of the log").atMost(WAIT).until(topics::allCommitted);
        assertEquals(0, worker.tracker().running(), "step threads left running");
    }

    @Test
    void stoppingTheWorker_finishesInFlightOrders_commitsAndLeavesNothingRunning() throws Exception {
        try (PipelineTopics own = new PipelineTopics("worker-stop")) {
            WorkerConfig slow = own.workerConfig()
                    .workerId("worker-stop")
                    .orderDeadline(Duration.ofSeconds(10))
                    .commitInterval(Duration.ofMillis(200))
                    .simulation(SimulationSettings.fixedLatency(Duration.ofMillis(800)))
                    .build();
            Worker stopping = Worker.start(slow, Clock.systemUTC());
            List<OrderPlaced> orders = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                orders.add(order("it-stop-" + i, null));
            }
            own.sendAll(orders);
            await("orders in flight").atMost(WAIT).until(() -> stopping.inFlight() >= 10);
            // The JVM's thread dump sees the step threads while they run: the same look after the
            // stop is then able to see one left behind.
            await("the thread dump shows step threads").atMost(WAIT)
                    .until(() -> ThreadDump.threadsRunning(STEP_FRAME) >= 10);

            stopping.requestStop();
            PollLoop.Exit exit = stopping.awaitExit();
            stopping.close();

            assertEquals(PollLoop.Exit.CLEAN, exit);
            assertEquals(0, stopping.tracker().running(), "step threads left running after stop");
            assertEquals(0, ThreadDump.threadsRunning(STEP_FRAME), "threads in step code after stop (JVM thread dump)");
            assertEquals(0, stopping.couriers().inUse(), "couriers held after stop");
            // Every order taken is finished and committed; one not taken stays for the next worker.
            long committed = own.committedVersusEnd().values().stream().mapToLong(v -> Math.max(0, v[0])).sum();
            assertTrue(committed > 0, "nothing committed");
            await("an outcome for every committed order").atMost(WAIT).until(() -> own.outcomes().size() >= committed);
            assertEquals(committed, own.outcomes().size(), () -> "outcomes for " + own.outcomes().keySet());
            assertTrue(own.duplicates().isEmpty(), () -> "duplicates " + own.duplicates());
        }
    }

    @Test
    void aBacklogLargerThanTheLimit_runsAtTheLimit_neverAboveIt() throws Exception {
        int limit = 16;
        try (PipelineTopics own = new PipelineTopics("worker-limit")) {
            WorkerConfig limited = own.workerConfig()
                    .workerId("worker-limit")
                    .orderDeadline(Duration.ofSeconds(10))
                    .maxInFlight(limit)
                    .commitInterval(Duration.ofMillis(200))
                    .simulation(SimulationSettings.fixedLatency(Duration.ofMillis(20)))
                    .build();
            List<OrderPlaced> orders = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                orders.add(order("it-limit-" + i, null));
            }
            own.sendAll(orders); // all of it waiting before the worker starts
            Worker worker = Worker.start(limited, Clock.systemUTC());
            try {
                await("every outcome").atMost(WAIT).until(() -> own.outcomes().size() == orders.size());
            } finally {
                worker.requestStop();
                worker.close();
            }

            assertEquals(limit, worker.load().inFlightPeak(), "most orders running at once");
            // A poll brings at most max.poll.records (at most the limit) on top of what is held.
            int held = worker.load().heldPeak();
            assertTrue(held >= limit && held <= 2 * limit, () -> "most orders held at once: " + held);
            assertTrue(own.duplicates().isEmpty(), () -> "duplicates " + own.duplicates());
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
