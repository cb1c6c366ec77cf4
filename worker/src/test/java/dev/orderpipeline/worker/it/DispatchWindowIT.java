package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import dev.orderpipeline.testkafka.TestKafka;
import dev.orderpipeline.worker.app.Worker;
import dev.orderpipeline.worker.config.Delivery;
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
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The dispatch window on the real broker, in both delivery modes: one partition whose every
 * other order is slow, starting with the one at its low mark, and thousands behind it. Without
 * the window the worker would finish 3,000 fast orders spread over 6,000 offsets above the slow
 * one, more than the commit metadata can hold; a stop in the middle would then leave some of
 * them to be answered a second time by the next worker.
 */
@Timeout(600)
class DispatchWindowIT {

    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final int ORDERS = 6_000;
    /** The dispatch window, in offsets (docs/design.md, "Delivery guarantees"). */
    private static final int WINDOW = 2_247;

    private static WorkerConfig config(PipelineTopics topics, String workerId, Duration deadline, Delivery delivery) {
        return topics.workerConfig()
                .workerId(workerId)
                .orderDeadline(deadline)
                .maxInFlight(10_000)
                .drainBudget(Duration.ofSeconds(1))
                .delivery(delivery)
                .ordering(Ordering.UNORDERED)
                .commitInterval(Duration.ofMillis(300))
                .courierPoolSize(20_000)
                .simulation(SimulationSettings.fixedLatency(Duration.ofMillis(5)))
                .build();
    }

    private static double skipped(Worker worker) {
        return worker.stats().registry().get("records.skipped").counter().count();
    }

    /**
     * Both modes: the window and the commit metadata are the same in each; at-least-once commits
     * the offsets and metadata at the stop, exactly-once in the stop's last transaction.
     */
    @ParameterizedTest
    @EnumSource(Delivery.class)
    void slowOrderAtTheLowMark_thousandsBehind_stopAndRestart_everyOrderAnsweredExactlyOnce(Delivery delivery) throws Exception {
        try (PipelineTopics topics = new PipelineTopics(delivery == Delivery.EXACTLY_ONCE ? "eos-window" : "alo-window");
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(TestKafka.producerProps())) {
            Random random = new Random(11);
            OrderCodec codec = new OrderCodec();
            Set<String> ids = new HashSet<>();
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                Simulation slow = i % 2 == 0 ? Simulation.courier(StepFault.SLOW) : null;
                OrderPlaced order = SampleOrders.order("win-" + i, Instant.now(), slow, random);
                ids.add(order.orderId());
                acks.add(producer.send(new ProducerRecord<>(topics.orders, 0,
                        order.orderId().getBytes(StandardCharsets.UTF_8), codec.encode(order))));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }

            // First worker: the slow orders outlast the run; it is stopped while they hold the low mark.
            Worker first = Worker.start(config(topics, "win-first", Duration.ofSeconds(40), delivery), Clock.systemUTC());
            PollLoop.Exit firstExit;
            long firstTruncations;
            try {
                await("the fast orders within the window are answered").atMost(WAIT)
                        .until(() -> topics.outcomes().size() >= 1_100);
            } finally {
                first.requestStop();
                firstExit = first.awaitExit();
                firstTruncations = first.stats().commitMetadataTruncations();
                first.close();
            }
            int answeredFirst = topics.outcomes().size();
            assertEquals(PollLoop.Exit.DRAIN_BUDGET_EXCEEDED, firstExit, "the slow orders were still running");
            assertEquals(0, firstTruncations, "commit metadata truncated");
            assertTrue(answeredFirst <= WINDOW / 2 + 1,
                    () -> answeredFirst + " orders answered: more started than the window allows");

            // Second worker: the slow orders now time out quickly; the fast ones answered are skipped.
            Worker second = Worker.start(config(topics, "win-second", Duration.ofSeconds(1), delivery), Clock.systemUTC());
            double skipped;
            long secondTruncations;
            try {
                await("every order is answered").atMost(WAIT).until(() -> topics.allHaveOutcomes(ids));
                await("every offset committed").atMost(WAIT).until(() -> {
                    long[] committedVersusEnd = topics.committedVersusEnd().get(new TopicPartition(topics.orders, 0));
                    return committedVersusEnd[0] == committedVersusEnd[1];
                });
            } finally {
                second.requestStop();
                assertEquals(PollLoop.Exit.CLEAN, second.awaitExit());
                skipped = skipped(second);
                secondTruncations = second.stats().commitMetadataTruncations();
                second.close();
            }

            assertEquals(ids, topics.outcomes().keySet(), "orders lost");
            assertEquals(Set.of(), topics.duplicates(), "orders with more than one committed outcome");
            assertEquals(answeredFirst, (long) skipped, "the first worker's answered orders skipped by the second");
            assertEquals(0, secondTruncations, "commit metadata truncated");
            System.out.printf("window (%s): %d orders answered before the stop, %d skipped after it, 0 duplicates%n",
                    delivery, answeredFirst, (long) skipped);
        }
    }
}
