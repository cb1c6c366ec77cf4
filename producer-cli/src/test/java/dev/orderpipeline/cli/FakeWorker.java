package dev.orderpipeline.cli;

import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.DecodedOrder;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import dev.orderpipeline.testkafka.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A stand-in for the worker, for the CLI's broker tests: reads the orders topic and answers each
 * valid order with the outcome its simulation asks for, and copies each malformed record to the
 * dead-letter topic with {@code dlt.problem}, {@code dlt.reason} and {@code dlt.original.*}
 * headers (plus a rejection on the results topic when the record carries an order id, as the
 * real worker does). It can be told to lose or repeat
 * answers for given ids; the two copies of a repeated answer are flushed before any other answer
 * of the same poll is sent.
 *
 * <p>Its consumer and producer live on its own thread; {@link #close} stops it with {@code wakeup()}.
 */
final class FakeWorker implements AutoCloseable {

    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    // Set once by the worker thread after it created its consumer; read by close().
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean closing;

    /**
     * @param lose   ids that get no answer at all
     * @param repeat ids whose outcome is published twice
     */
    FakeWorker(String ordersTopic, String resultsTopic, String deadLetterTopic, Set<String> lose, Set<String> repeat) {
        thread = Thread.ofPlatform().name("fake-worker").start(() -> {
            try {
                serve(ordersTopic, resultsTopic, deadLetterTopic, lose, repeat);
            } catch (WakeupException e) {
                // closing
            } catch (Throwable t) {
                failure.set(t);
            }
        });
    }

    static FakeWorker answeringEverything(String ordersTopic, String resultsTopic, String deadLetterTopic) {
        return new FakeWorker(ordersTopic, resultsTopic, deadLetterTopic, Set.of(), Set.of());
    }

    private void serve(String ordersTopic, String resultsTopic, String deadLetterTopic, Set<String> lose, Set<String> repeat) {
        OrderCodec codec = new OrderCodec();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(TestKafka.consumerProps(TestKafka.uniqueName("fake-worker")));
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(TestKafka.producerProps())) {
            consumer = c;
            c.subscribe(List.of(ordersTopic));
            // Other answers wait until every repeated id has had both its copies flushed, so
            // the repeated answers are never the last ones a run reads.
            java.util.Set<String> repeatsToSend = new java.util.HashSet<>(repeat);
            repeatsToSend.removeAll(lose);
            List<ConsumerRecord<byte[], byte[]>> held = new ArrayList<>();
            while (!closing) {
                List<ConsumerRecord<byte[], byte[]>> polled = new ArrayList<>();
                c.poll(Duration.ofMillis(100)).forEach(polled::add);
                // Repeated answers go first, both copies flushed before any other answer is sent.
                for (ConsumerRecord<byte[], byte[]> record : polled) {
                    String key = key(record);
                    if (repeat.contains(key) && !lose.contains(key)
                            && codec.decodeOrder(record.value()) instanceof DecodedOrder.Valid valid) {
                        byte[] outcome = codec.encode(outcomeFor(valid.order()));
                        producer.send(new ProducerRecord<>(resultsTopic, record.key(), outcome));
                        producer.send(new ProducerRecord<>(resultsTopic, record.key(), outcome));
                        producer.flush();
                        repeatsToSend.remove(key);
                    } else {
                        held.add(record);
                    }
                }
                if (!repeatsToSend.isEmpty()) {
                    continue;
                }
                List<ConsumerRecord<byte[], byte[]>> rest = new ArrayList<>(held);
                held.clear();
                for (ConsumerRecord<byte[], byte[]> record : rest) {
                    String key = key(record);
                    if (lose.contains(key)) {
                        continue;
                    }
                    switch (codec.decodeOrder(record.value())) {
                        case DecodedOrder.Valid valid ->
                                producer.send(new ProducerRecord<>(resultsTopic, record.key(), codec.encode(outcomeFor(valid.order()))));
                        case DecodedOrder.Invalid invalid -> {
                            ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(deadLetterTopic, null,
                                    record.key(), record.value(), new RecordHeaders(record.headers().toArray()));
                            dead.headers().add(DeadLetterHeaders.PROBLEM, invalid.problem().name().getBytes(StandardCharsets.UTF_8));
                            dead.headers().add(DeadLetterHeaders.REASON, invalid.reason().getBytes(StandardCharsets.UTF_8));
                            dead.headers().add(DeadLetterHeaders.ORIGINAL_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
                            dead.headers().add(DeadLetterHeaders.ORIGINAL_PARTITION,
                                    Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
                            dead.headers().add(DeadLetterHeaders.ORIGINAL_OFFSET,
                                    Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
                            producer.send(dead);
                            invalid.orderId().ifPresent(id -> producer.send(new ProducerRecord<>(resultsTopic,
                                    record.key(), codec.encode(rejection(id, invalid.reason())))));
                        }
                    }
                }
                producer.flush();
            }
        }
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    /** What the simulated steps would make of this order. */
    static OrderOutcome outcomeFor(OrderPlaced order) {
        Simulation s = order.simulation();
        ErrorClass error = null;
        if (s.payment() == StepFault.CRASH || s.vendor() == StepFault.CRASH || s.courier() == StepFault.CRASH) {
            error = ErrorClass.INTERNAL;
        } else if (s.payment() == StepFault.FAIL) {
            error = ErrorClass.PAYMENT_DECLINED;
        } else if (s.vendor() == StepFault.FAIL) {
            error = ErrorClass.VENDOR_UNAVAILABLE;
        } else if (s.courier() == StepFault.FAIL) {
            error = ErrorClass.NO_COURIER_AVAILABLE;
        } else if (s.payment() == StepFault.SLOW || s.vendor() == StepFault.SLOW || s.courier() == StepFault.SLOW) {
            error = ErrorClass.TIMEOUT;
        }
        Instant now = Instant.now();
        return new OrderOutcome(OrderOutcome.SCHEMA_VERSION, order.orderId(),
                error == null ? OrderStatus.SUCCEEDED : OrderStatus.FAILED, error,
                error == null ? null : error.code(), List.of(), 1, order.createdAt(), now, now, "fake-worker");
    }

    private static OrderOutcome rejection(String orderId, String reason) {
        Instant now = Instant.now();
        return new OrderOutcome(OrderOutcome.SCHEMA_VERSION, orderId, OrderStatus.REJECTED, ErrorClass.INVALID_ORDER,
                reason, List.of(), 1, null, now, now, "fake-worker");
    }

    /** Stops the worker; rethrows anything that broke it, so a broken fake cannot pass for a slow worker. */
    @Override
    public void close() {
        closing = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping the fake worker", e);
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("the fake worker failed", t);
        }
    }
}
