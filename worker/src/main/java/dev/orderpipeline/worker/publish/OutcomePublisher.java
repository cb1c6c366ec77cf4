package dev.orderpipeline.worker.publish;

import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.DecodedOrder;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.worker.trace.TraceHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes outcomes and dead letters. Each call returns once the broker has acknowledged the
 * record (acks=all), because only then may the source offset be committed. Thread-safe: order
 * threads call it concurrently ({@code KafkaProducer} is thread-safe).
 */
public final class OutcomePublisher {

    /** A dead letter too large for the broker keeps this much of its value. */
    static final int TRUNCATED_VALUE_BYTES = 64 * 1024;
    /**
     * More than a record batch's header (61 bytes) plus a record's own fields (attributes,
     * timestamp and offset deltas, lengths, header count: at most 36 bytes as varints).
     */
    private static final int RECORD_OVERHEAD_BYTES = 128;
    /** More than a header's two length varints. */
    private static final int HEADER_OVERHEAD_BYTES = 10;

    private final Producer<byte[], byte[]> producer;
    private final OrderCodec codec;
    private final String resultsTopic;
    private final String deadLetterTopic;
    private final String workerId;
    private final Clock clock;
    private final int maxDeadLetterBytes;
    private final TraceHeaders trace;

    /**
     * @param maxDeadLetterBytes the largest record the dead-letter topic and the producer both
     *                           accept ({@code max.message.bytes}, {@code max.request.size})
     * @param trace              writes the calling thread's trace context into each record sent
     */
    public OutcomePublisher(Producer<byte[], byte[]> producer, OrderCodec codec, String resultsTopic,
                            String deadLetterTopic, String workerId, Clock clock, int maxDeadLetterBytes,
                            TraceHeaders trace) {
        this.trace = trace;
        this.maxDeadLetterBytes = maxDeadLetterBytes;
        this.producer = producer;
        this.codec = codec;
        this.resultsTopic = resultsTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.workerId = workerId;
        this.clock = clock;
    }

    /** Publishes {@code outcome}, keyed by its order id, and waits for the broker's ack. */
    RecordMetadata publish(OrderOutcome outcome) throws InterruptedException, PublishException {
        return await(producer.send(outcomeRecord(outcome)), "outcome");
    }

    /**
     * Sends {@code outcome}, keyed by its order id, without waiting: {@code acknowledged} gets
     * {@code null} once the broker has acknowledged it, or the {@link PublishException}. It runs
     * on the producer's I/O thread, so it must be quick.
     */
    void publishAsync(OrderOutcome outcome, Consumer<PublishException> acknowledged) {
        producer.send(outcomeRecord(outcome), (metadata, error) ->
                acknowledged.accept(error == null ? null
                        : new PublishException("could not publish outcome: " + error.getMessage(), error)));
    }

    /**
     * {@code outcome} keyed by its order id, with the order's trace context when tracing is on.
     * Public for the benchmark's Parallel Consumer runner, whose engine sends what it is given.
     */
    public ProducerRecord<byte[], byte[]> outcomeRecord(OrderOutcome outcome) {
        byte[] key = outcome.orderId().getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        trace.write(headers);
        return new ProducerRecord<>(resultsTopic, null, key, codec.encode(outcome), headers);
    }

    /**
     * Copies {@code source} to the dead-letter topic with its key, value and headers (a header
     * named like one of the worker's renamed, see {@link DeadLetterHeaders}), plus headers that
     * say why and where it came from; waits for the broker's ack. A value
     * larger than the broker accepts is cut and marked so, rather than blocking the partition.
     *
     * <p>The cut is decided before sending, from the record's size: a send the broker refuses
     * makes an open transaction abortable, and in exactly-once mode the worker would abort and
     * redo the same refused send again and again. If the broker refuses it anyway (its limits
     * changed since start-up), the value is cut and sent again; in a transaction that second
     * send fails too and the transaction is aborted.
     */
    RecordMetadata deadLetter(ConsumerRecord<byte[], byte[]> source, DecodedOrder.Invalid invalid)
            throws InterruptedException, PublishException {
        ProducerRecord<byte[], byte[]> fitting = deadLetterRecord(source, invalid);
        if (fitting.value() != source.value()) { // the very same array unless it was cut
            return await(producer.send(fitting), "truncated dead letter");
        }
        try {
            return await(producer.send(fitting), "dead letter");
        } catch (PublishException e) {
            if (!(e.getCause() instanceof RecordTooLargeException) || source.value() == null) {
                throw e;
            }
            return await(producer.send(truncated(source, invalid)), "truncated dead letter");
        }
    }

    /**
     * {@code source}'s dead letter as {@link #deadLetter} first sends it: whole, or with its value
     * cut and marked so when it would not fit. Public for the benchmark's Parallel Consumer
     * runner, whose engine sends what it is given.
     */
    public ProducerRecord<byte[], byte[]> deadLetterRecord(ConsumerRecord<byte[], byte[]> source,
                                                           DecodedOrder.Invalid invalid) {
        ProducerRecord<byte[], byte[]> whole = deadLetterRecord(source, invalid, source.value(), false);
        return source.value() != null && sizeUpperBound(whole) > maxDeadLetterBytes ? truncated(source, invalid) : whole;
    }

    /** {@code source}'s dead letter with its value cut to what fits, and marked so. */
    private ProducerRecord<byte[], byte[]> truncated(ConsumerRecord<byte[], byte[]> source, DecodedOrder.Invalid invalid) {
        ProducerRecord<byte[], byte[]> empty = deadLetterRecord(source, invalid, new byte[0], true);
        long room = Math.max(0, maxDeadLetterBytes - sizeUpperBound(empty));
        int keep = (int) Math.min(Math.min(source.value().length, TRUNCATED_VALUE_BYTES), room);
        return deadLetterRecord(source, invalid, Arrays.copyOf(source.value(), keep), true);
    }

    /** At least the bytes {@code record} takes in a record batch of its own, uncompressed. */
    static long sizeUpperBound(ProducerRecord<byte[], byte[]> record) {
        long size = RECORD_OVERHEAD_BYTES;
        size += record.key() == null ? 0 : record.key().length;
        size += record.value() == null ? 0 : record.value().length;
        for (Header header : record.headers()) {
            size += HEADER_OVERHEAD_BYTES + header.key().getBytes(StandardCharsets.UTF_8).length
                    + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    private ProducerRecord<byte[], byte[]> deadLetterRecord(ConsumerRecord<byte[], byte[]> source,
                                                            DecodedOrder.Invalid invalid, byte[] value,
                                                            boolean truncated) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : source.headers()) {
            // The sender's own dlt.* headers are kept, renamed: the worker's are the only ones of their names.
            headers.add(DeadLetterHeaders.originalHeaderName(header.key()), header.value());
        }
        add(headers, DeadLetterHeaders.ERROR_CLASS, ErrorClass.INVALID_ORDER.code());
        add(headers, DeadLetterHeaders.PROBLEM, invalid.problem().name());
        add(headers, DeadLetterHeaders.REASON, invalid.reason());
        add(headers, DeadLetterHeaders.ORIGINAL_TOPIC, source.topic());
        add(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(source.partition()));
        add(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(source.offset()));
        add(headers, DeadLetterHeaders.ORIGINAL_TIMESTAMP, Long.toString(source.timestamp()));
        add(headers, DeadLetterHeaders.WORKER_ID, workerId);
        add(headers, DeadLetterHeaders.DEAD_LETTERED_AT, clock.instant().toString());
        if (truncated) {
            add(headers, DeadLetterHeaders.VALUE_TRUNCATED, "true");
            add(headers, DeadLetterHeaders.ORIGINAL_VALUE_SIZE, Integer.toString(source.value().length));
        }
        // With tracing on, the worker's dead-letter span replaces the sender's traceparent: a DLT
        // reader continues the worker's trace, whose parent is the sender's span.
        trace.write(headers);
        return new ProducerRecord<>(deadLetterTopic, null, source.key(), value, headers);
    }

    private static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static RecordMetadata await(Future<RecordMetadata> ack, String what)
            throws InterruptedException, PublishException {
        try {
            return ack.get();
        } catch (ExecutionException e) {
            throw new PublishException("could not publish " + what + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The broker did not take a record even after the producer's own retries. */
    public static final class PublishException extends Exception {
        private static final long serialVersionUID = 1L;

        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
