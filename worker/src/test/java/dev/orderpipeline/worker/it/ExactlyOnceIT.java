package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import dev.orderpipeline.testkafka.TestKafka;
import dev.orderpipeline.worker.app.Worker;
import dev.orderpipeline.worker.config.Delivery;
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
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --delivery exactly-once} on the real broker, as a {@code read_committed} consumer of
 * {@code order-results} sees it: one outcome per order, with orders finishing out of order and
 * with a transaction aborted in the middle of a run. A {@code read_uncommitted} reader shows
 * that transactions were really used.
 */
@Timeout(240)
class ExactlyOnceIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private static WorkerConfig config(PipelineTopics topics, String workerId, Duration deadline, Map<String, String> kafka) {
        return topics.workerConfig()
                .workerId(workerId)
                .orderDeadline(deadline)
                .maxInFlight(64)
                .delivery(Delivery.EXACTLY_ONCE)
                .commitInterval(Duration.ofMillis(300))
                .simulation(new SimulationSettings(Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofMillis(20),
                        Duration.ofMillis(15), 0, 0, SimulationSettings.DEFAULTS.slowStepDelay()))
                .kafkaOverrides(kafka)
                .build();
    }

    /** {@code count} orders; every 10th has a courier slower than any deadline, so it finishes long after those behind it. */
    private static List<OrderPlaced> orders(String prefix, int count) {
        Random random = new Random(prefix.hashCode());
        List<OrderPlaced> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Simulation slow = i % 10 == 3 ? Simulation.courier(StepFault.SLOW) : null;
            orders.add(SampleOrders.order(prefix + "-" + i, Instant.now(), slow, random));
        }
        return orders;
    }

    private static Set<String> ids(List<OrderPlaced> orders) {
        Set<String> ids = new HashSet<>();
        orders.forEach(o -> ids.add(o.orderId()));
        return ids;
    }

    @Test
    void ordersFinishingOutOfOrder_eachHaveExactlyOneCommittedOutcome_writtenInTransactions() throws Exception {
        try (PipelineTopics topics = new PipelineTopics("eos-order")) {
            List<OrderPlaced> orders = orders("eos", 400);
            Worker worker = Worker.start(config(topics, "eos-worker", Duration.ofSeconds(1), Map.of()), Clock.systemUTC());
            long committed;
            long aborted;
            try {
                topics.sendAll(orders);
                await("every order has a committed outcome").atMost(WAIT).until(() -> topics.allHaveOutcomes(ids(orders)));
                await("every offset committed").atMost(WAIT).until(topics::allCommitted);
            } finally {
                worker.requestStop();
                assertEquals(PollLoop.Exit.CLEAN, worker.awaitExit());
                committed = worker.stats().transactionsCommitted();
                aborted = worker.stats().transactionsAborted();
                worker.close();
            }

            assertEquals(ids(orders), topics.outcomes().keySet());
            assertEquals(Set.of(), topics.duplicates(), "orders with more than one committed outcome");
            for (int i = 3; i < orders.size(); i += 10) {
                assertEquals(ErrorClass.TIMEOUT, topics.onlyOutcome(orders.get(i).orderId()).errorClass(),
                        "the slow orders really were slow");
            }
            UncommittedLog log = UncommittedLog.read(topics.results, PipelineTopics.PARTITIONS);
            assertEquals(orders.size(), log.records(), "records on order-results (none aborted in this run)");
            // Every committed transaction leaves a commit marker in each partition it wrote to; a
            // producer without transactions leaves none, and the end offset equals the record count.
            assertTrue(log.endOffsets() > log.records(), () -> "no transaction markers: " + log);
            assertTrue(committed > 0, "no transaction counted as committed");
            assertEquals(0, aborted, "transactions aborted");
        }
    }

    @Test
    void anAbortedTransaction_isRedoneFromTheCommittedOffsets_soNoOrderIsLostOrAnsweredTwice() throws Exception {
        try (PipelineTopics topics = new PipelineTopics("eos-abort")) {
            List<OrderPlaced> orders = orders("abort", 400);
            String target = orders.get(250).orderId();
            // The first outcome of the target is too large for the producer: a real abortable
            // error inside the open transaction, with results of other orders in it.
            Map<String, String> kafka = Map.of("interceptor.classes", OversizeOnce.class.getName(), OversizeOnce.KEY, target);
            Worker worker = Worker.start(config(topics, "eos-abort-worker", Duration.ofSeconds(1), kafka), Clock.systemUTC());
            long aborted;
            try {
                // Committed orders first, so that the rewind has committed offsets to go back to.
                topics.sendAll(orders.subList(0, 200));
                await("the first orders are committed").atMost(WAIT)
                        .until(() -> topics.allHaveOutcomes(ids(orders.subList(0, 200))));
                topics.sendAll(orders.subList(200, orders.size()));
                await("every order has a committed outcome").atMost(WAIT).until(() -> topics.allHaveOutcomes(ids(orders)));
                await("every offset committed").atMost(WAIT).until(topics::allCommitted);
            } finally {
                worker.requestStop();
                assertEquals(PollLoop.Exit.CLEAN, worker.awaitExit());
                aborted = worker.stats().transactionsAborted();
                worker.close();
            }

            assertTrue(aborted >= 1, "no transaction was aborted");
            assertEquals(ids(orders), topics.outcomes().keySet(), "orders lost");
            assertEquals(Set.of(), topics.duplicates(), "orders with more than one committed outcome");
            assertEquals(1, topics.outcomes().get(target).size());
            UncommittedLog log = UncommittedLog.read(topics.results, PipelineTopics.PARTITIONS);
            System.out.printf("abort: %d orders, %d transactions aborted; read_uncommitted sees %d records, "
                            + "%d orders with more than one (the aborted ones, redone)%n", orders.size(),
                    aborted, log.records(), log.keysWithMoreThanOne());
            // The aborted transaction held outcomes of other orders, written and then discarded:
            // a consumer that ignores transactions sees them as extra records, read_committed not.
            assertTrue(log.records() > orders.size(), () -> "no aborted outcome on the log: " + log);
            assertTrue(log.keysWithMoreThanOne() >= 1, () -> "no order answered in the aborted and the redone transaction: " + log);
        }
    }

    /**
     * A poison record too large for the dead-letter topic (1 MB, the broker's default; the
     * orders topic takes 2 MB) is dead-lettered cut and marked, inside the transaction, without
     * a refused send: no transaction is aborted, and the orders behind it are answered once.
     */
    @Test
    void poisonRecordLargerThanTheDeadLetterTopicTakes_isCutBeforeSending_withoutAnAbort() throws Exception {
        try (PipelineTopics topics = new PipelineTopics("eos-big-dlt")) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, topics.bootstrapServers()))) {
                ConfigResource orders = new ConfigResource(ConfigResource.Type.TOPIC, topics.orders);
                admin.incrementalAlterConfigs(Map.of(orders, List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(2 * 1024 * 1024)),
                        AlterConfigOp.OpType.SET)))).all().get();
            }
            Map<String, Object> big = new java.util.HashMap<>(TestKafka.producerProps());
            big.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 3 * 1024 * 1024);
            byte[] poison = new byte[1_500_000];
            java.util.Arrays.fill(poison, (byte) '{');
            List<OrderPlaced> orders = orders("big", 100);
            Worker worker = Worker.start(config(topics, "eos-big-worker", Duration.ofSeconds(1), Map.of()), Clock.systemUTC());
            long aborted;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(big)) {
                producer.send(new ProducerRecord<>(topics.orders, 0, "big-poison".getBytes(StandardCharsets.UTF_8), poison)).get();
                topics.sendAll(orders);
                await("the poison record is dead-lettered").atMost(WAIT).until(() -> !topics.deadLetters().isEmpty());
                await("every order has a committed outcome").atMost(WAIT).until(() -> topics.allHaveOutcomes(ids(orders)));
                await("every offset committed").atMost(WAIT).until(topics::allCommitted);
            } finally {
                worker.requestStop();
                assertEquals(PollLoop.Exit.CLEAN, worker.awaitExit());
                aborted = worker.stats().transactionsAborted();
                worker.close();
            }

            assertEquals(0, aborted, "transactions aborted");
            assertEquals(1, topics.deadLetters().size(), "dead letters");
            ConsumerRecord<byte[], byte[]> dead = topics.deadLetters().getFirst();
            assertEquals("true", header(dead, DeadLetterHeaders.VALUE_TRUNCATED));
            assertEquals("1500000", header(dead, DeadLetterHeaders.ORIGINAL_VALUE_SIZE));
            assertEquals("OVERSIZED", header(dead, DeadLetterHeaders.PROBLEM));
            assertTrue(dead.value().length > 0 && dead.value().length < poison.length, () -> dead.value().length + " bytes kept");
            assertEquals(ids(orders), topics.outcomes().keySet());
            assertEquals(Set.of(), topics.duplicates(), "orders with more than one committed outcome");
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        org.apache.kafka.common.header.Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
