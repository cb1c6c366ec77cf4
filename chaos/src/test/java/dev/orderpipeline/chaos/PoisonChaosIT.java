package dev.orderpipeline.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.testkafka.TestKafka;
import dev.orderpipeline.testsupport.WorkerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Thirteen kinds of bad input, three rounds of each, each round between 500 valid orders before and
 * 500 after: the worker dead-letters every bad record, answers every order and never stops.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PoisonChaosIT {

    private static final int VALID_PER_SIDE = 500;
    private static final int ROUNDS = 3;
    // Lets the 1.2 MB records onto the orders topic so that the worker, not the broker, meets them.
    private static final String ORDERS_MAX_MESSAGE_BYTES = Integer.toString(2 * 1024 * 1024);
    private static final Duration WAIT = Duration.ofMinutes(2);

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.orderpipeline.chaos.Modes#all")
    void everyKindOfPoison_isDeadLettered_whileValidOrdersKeepFlowing(DeliveryMode mode) throws Exception {
        Awaitility.pollInSameThread();
        long started = System.nanoTime();
        Random random = new Random(13);
        try (ChaosTopics topics = new ChaosTopics(TestKafka.bootstrapServers(), "poison", (short) 1,
                Map.of("max.message.bytes", ORDERS_MAX_MESSAGE_BYTES))) {
            assertRefusedAtTheDefaultLimit(topics, random);
            int poisoned = 0;
            int validValues = 0;
            try (WorkerProcess worker = WorkerProcess.start("poison", topics.workerArgs("poison", mode))) {
                await("the worker holds partitions").atMost(WAIT).until(worker::holdsPartitions);
                for (int round = 1; round <= ROUNDS; round++) {
                    // Valid orders on both sides of the poison, on the same partitions: those placed
                    // after it are answered only if the worker gets past it.
                    List<OrderPlaced> before = ChaosTopics.orders("ok-" + round + "a", VALID_PER_SIDE, random);
                    List<OrderPlaced> after = ChaosTopics.orders("ok-" + round + "b", VALID_PER_SIDE, random);
                    topics.sendAll(before);
                    List<Future<RecordMetadata>> acks = new ArrayList<>();
                    for (Poison kind : Poison.values()) {
                        OrderPlaced base = SampleOrders.order("poison-" + round + "-" + kind, Instant.now(), null, random);
                        acks.add(topics.sendRaw(kind.key(base), kind.value(base)));
                        if (kind.valueIsValidOrder()) {
                            // Answered with a rejected outcome (and dead-lettered for its missing key).
                            topics.expectAnswer(base.orderId());
                            validValues++;
                        }
                        poisoned++;
                    }
                    ChaosTopics.awaitAll(acks);
                    topics.sendAll(after);
                    Set<String> placedAfter = after.stream().map(OrderPlaced::orderId).collect(Collectors.toSet());
                    await("valid orders placed after poison round " + round + " answered").atMost(WAIT)
                            .until(() -> topics.answered().containsAll(placedAfter));
                    assertTrue(worker.isAlive(), worker::tail);
                }
                await("every valid order answered").atMost(WAIT).until(topics::allAnswered);
                int expectedDeadLetters = poisoned;
                await("every bad record dead-lettered").atMost(WAIT)
                        .until(() -> worker.count("dead_letter topic=") >= expectedDeadLetters);
                assertTrue(worker.isAlive(), () -> "the worker stopped on bad input: " + worker.tail());
                worker.terminate();
                assertEquals(0, worker.awaitExit(Duration.ofSeconds(60)), worker::tail);
            }
            assertDeadLettersOfTheBigOnes(topics.deadLetterRecords());

            Oracle.Counts counts = Oracle.verify("poison x13", mode, topics, Duration.ofNanos(System.nanoTime() - started));
            assertEquals(poisoned - validValues, counts.malformed(), () -> "malformed records the verifier saw: " + counts);
            assertEquals(poisoned, counts.deadLetters(), () -> "one dead letter per bad record: " + counts);
            Verdicts.assertDelivered(counts, mode, 2L * VALID_PER_SIDE * ROUNDS + validValues);
        }
    }

    /** At the broker's default limit a 1.2 MB record never reaches any worker: the producer is told so. */
    private static void assertRefusedAtTheDefaultLimit(ChaosTopics topics, Random random) throws Exception {
        String plain = topics.orders + "-default-limit";
        ChaosTopics.createTopics(topics.bootstrapServers(), List.of(new NewTopic(plain, ChaosTopics.PARTITIONS, (short) 1)));
        OrderPlaced big = SampleOrders.order("too-big", Instant.now(), null, random);
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> topics.sendRawTo(plain, Poison.OVERSIZED_1_2_MB.key(big), Poison.OVERSIZED_1_2_MB.value(big)).get());
        assertInstanceOf(RecordTooLargeException.class, refused.getCause());
    }

    /** The 900 KB records are dead-lettered whole; the 1.2 MB ones cut to fit and marked so. */
    private static void assertDeadLettersOfTheBigOnes(List<ConsumerRecord<byte[], byte[]>> deadLetters) {
        int whole = 0;
        int cut = 0;
        for (ConsumerRecord<byte[], byte[]> d : deadLetters) {
            Header truncated = d.headers().lastHeader(DeadLetterHeaders.VALUE_TRUNCATED);
            if (d.value() != null && d.value().length == 900 * 1024 && truncated == null) {
                whole++;
            }
            Header size = d.headers().lastHeader(DeadLetterHeaders.ORIGINAL_VALUE_SIZE);
            if (truncated != null && size != null && new String(size.value(), java.nio.charset.StandardCharsets.UTF_8)
                    .equals(Integer.toString(1_200 * 1024))) {
                cut++;
            }
        }
        assertEquals(ROUNDS, whole, "900 KB records dead-lettered with their whole value");
        assertEquals(ROUNDS, cut, "1.2 MB records dead-lettered cut, with their original size");
    }
}
