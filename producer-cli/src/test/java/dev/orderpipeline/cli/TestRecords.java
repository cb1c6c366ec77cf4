package dev.orderpipeline.cli;

import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.StepName;
import dev.orderpipeline.contract.StepResult;
import dev.orderpipeline.contract.StepStatus;
import dev.orderpipeline.testkafka.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Outcomes and dead letters as the worker writes them, put on the test broker by the broker tests. */
final class TestRecords {

    static final OrderCodec CODEC = new OrderCodec();
    static final Instant CREATED = Instant.parse("2026-11-27T10:00:00Z");

    private TestRecords() {
    }

    /** An outcome decided 250 ms after {@link #CREATED}, with a payment step of 12.5 ms. */
    static OrderOutcome outcome(String orderId, OrderStatus status, ErrorClass errorClass) {
        List<StepResult> steps = status == OrderStatus.REJECTED ? List.of()
                : List.of(new StepResult(StepName.PAYMENT,
                        errorClass == null ? StepStatus.SUCCEEDED : StepStatus.FAILED, 12_500, null));
        return new OrderOutcome(OrderOutcome.SCHEMA_VERSION, orderId, status, errorClass,
                errorClass == null ? null : errorClass.code(), steps, 1, CREATED, CREATED.plusMillis(10),
                CREATED.plusMillis(250), "test-worker");
    }

    /** A dead letter: the original key, value and {@code trace} header, plus the dlt.* headers. */
    static ProducerRecord<byte[], byte[]> deadLetter(String topic, String key, String value, String problem,
            String reason, Instant deadLetteredAt, long originalOffset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", ("t-" + key).getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.ERROR_CLASS, bytes(ErrorClass.INVALID_ORDER.code()));
        headers.add(DeadLetterHeaders.PROBLEM, bytes(problem));
        headers.add(DeadLetterHeaders.REASON, bytes(reason));
        headers.add(DeadLetterHeaders.ORIGINAL_TOPIC, bytes("orders"));
        headers.add(DeadLetterHeaders.ORIGINAL_PARTITION, bytes("0"));
        headers.add(DeadLetterHeaders.ORIGINAL_OFFSET, bytes(Long.toString(originalOffset)));
        headers.add(DeadLetterHeaders.DEAD_LETTERED_AT, bytes(deadLetteredAt.toString()));
        return new ProducerRecord<>(topic, null, bytes(key), bytes(value), headers);
    }

    static ProducerRecord<byte[], byte[]> outcomeRecord(String topic, OrderOutcome outcome) {
        return new ProducerRecord<>(topic, bytes(outcome.orderId()), CODEC.encode(outcome));
    }

    /** Sends the records in order and waits for every ack. */
    @SafeVarargs
    static void produce(ProducerRecord<byte[], byte[]>... records) throws ExecutionException, InterruptedException {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(TestKafka.producerProps())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record).get();
            }
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
