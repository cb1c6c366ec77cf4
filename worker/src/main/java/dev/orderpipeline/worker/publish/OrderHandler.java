package dev.orderpipeline.worker.publish;

import dev.orderpipeline.contract.DecodedOrder;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SenderText;
import dev.orderpipeline.worker.observe.WorkerMetrics;
import dev.orderpipeline.worker.pipeline.OrderPipeline;
import dev.orderpipeline.worker.trace.OrderSpans;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Takes one {@code orders} record from bytes to an acknowledged result: an outcome on
 * {@code order-results}, or the record in the dead-letter topic (plus a {@code rejected}
 * outcome when its order id is readable). Runs on the record's own virtual thread; never
 * touches the consumer. Thread-safe.
 */
public final class OrderHandler {

    private static final Logger log = LoggerFactory.getLogger(OrderHandler.class);

    /** The MDC key of the order a log line is about, while its record is handled. */
    public static final String ORDER_ID = "order_id";

    private final OrderCodec codec;
    private final OrderPipeline pipeline;
    private final OutcomePublisher publisher;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final OrderSpans spans;

    /** @param spans starts each record's span ({@link OrderSpans#OFF} when tracing is off) */
    public OrderHandler(OrderCodec codec, OrderPipeline pipeline, OutcomePublisher publisher, WorkerMetrics metrics,
                        Clock clock, OrderSpans spans) {
        this.spans = spans;
        this.codec = codec;
        this.pipeline = pipeline;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Whether results for a record may still be published: its partition may have been given
     * to another worker meanwhile, and then a late result must not be published.
     */
    public interface PublishGate {
        /** Whether publishing may start; if so, {@link #endPublish()} must follow. */
        boolean tryBeginPublish();

        void endPublish();
    }

    /** How a record's result ended; see {@link #handle}. */
    public interface Acknowledgement {
        /**
         * @param published {@code true} once the result is on the broker; {@code false} if it was
         *                  dropped because the gate closed (the partition's new owner processes
         *                  the record)
         * @param error     {@code null}, or the {@link OutcomePublisher.PublishException} of a
         *                  result the broker did not take: the offset must not be committed
         */
        void acknowledged(boolean published, Throwable error);
    }

    /**
     * Handles {@code record}: runs its order (or finds it invalid) on the calling thread, then
     * sends its result and returns; the calling thread is free as soon as the result is sent.
     * {@code acknowledgement} is told once the result is acknowledged by the broker (on the
     * producer's I/O thread) or dropped, so the caller may then count the offset as done; it is
     * told exactly once, unless this method throws.
     *
     * @throws OutcomePublisher.PublishException if a dead letter was not taken
     * @throws InterruptedException              if the worker is stopping hard or the partition
     *                                           was revoked; nothing was sent for this record
     */
    public void handle(ConsumerRecord<byte[], byte[]> record, PublishGate gate, Acknowledgement acknowledgement)
            throws InterruptedException, OutcomePublisher.PublishException {
        Instant receivedAt = clock.instant();
        // Current on this thread while the record is handled: the steps' spans, the log lines'
        // trace ids and the trace headers of what is sent all come from it.
        try (OrderSpans.OrderSpan span = spans.start(record)) {
            DecodedOrder decoded = decode(codec, record);
            Optional<String> orderId = switch (decoded) {
                case DecodedOrder.Valid valid -> Optional.of(valid.order().orderId());
                case DecodedOrder.Invalid invalid -> invalid.orderId();
            };
            // Every line logged about this order, on this thread and its step threads (the pipeline
            // hands the MDC on), carries its id; escaped and capped: it is the sender's text.
            try (MDC.MDCCloseable ignored = orderId.map(id -> MDC.putCloseable(ORDER_ID, SenderText.of(id))).orElse(null)) {
                switch (decoded) {
                    case DecodedOrder.Valid valid -> process(valid.order(), receivedAt, gate, acknowledgement, span);
                    case DecodedOrder.Invalid invalid -> {
                        span.deadLettered(invalid);
                        acknowledgement.acknowledged(reject(record, invalid, receivedAt, gate), null);
                    }
                }
            }
        }
    }

    private void process(OrderPlaced order, Instant receivedAt, PublishGate gate, Acknowledgement acknowledgement,
                         OrderSpans.OrderSpan span) throws InterruptedException {
        OrderOutcome outcome = pipeline.process(order, receivedAt);
        span.outcome(outcome);
        if (!gate.tryBeginPublish()) {
            log.info("order_id={} finished after its partition was revoked; its new owner answers it",
                    SenderText.of(order.orderId()));
            acknowledgement.acknowledged(false, null);
            return;
        }
        // Here, on the order's own thread: the producer's I/O thread, which runs the callback
        // below for every record of the worker, must not wait on a log line.
        logUnlessSucceeded(outcome);
        try {
            // Runs on the producer's I/O thread: keep it short.
            publisher.publishAsync(outcome, error -> {
                gate.endPublish();
                if (error == null) {
                    metrics.outcome(outcome);
                }
                acknowledgement.acknowledged(error == null, error);
            });
        } catch (RuntimeException e) {
            gate.endPublish();
            throw e;
        }
    }

    private static void logUnlessSucceeded(OrderOutcome outcome) {
        if (outcome.status() != OrderStatus.SUCCEEDED) {
            log.info("order_id={} status={} error_class={} reason=\"{}\"", SenderText.of(outcome.orderId()),
                    outcome.status().name().toLowerCase(java.util.Locale.ROOT), outcome.errorClass().code(),
                    SenderText.reason(outcome.errorMessage()));
        }
    }

    private boolean reject(ConsumerRecord<byte[], byte[]> record, DecodedOrder.Invalid invalid, Instant receivedAt,
                           PublishGate gate) throws InterruptedException, OutcomePublisher.PublishException {
        if (!gate.tryBeginPublish()) {
            return false;
        }
        try {
            rejectNow(record, invalid, receivedAt);
        } finally {
            gate.endPublish();
        }
        return true;
    }

    private void rejectNow(ConsumerRecord<byte[], byte[]> record, DecodedOrder.Invalid invalid, Instant receivedAt)
            throws InterruptedException, OutcomePublisher.PublishException {
        publisher.deadLetter(record, invalid);
        metrics.deadLetter(invalid.problem());
        log.warn("dead_letter topic={} partition={} offset={} order_id={} problem={} reason=\"{}\"",
                record.topic(), record.partition(), record.offset(), invalid.orderId().orElse("-"),
                invalid.problem(), invalid.reason());
        if (invalid.orderId().isPresent()) {
            // Whoever placed the order waits for an outcome by id: answer it, even if "no".
            OrderOutcome rejected = pipeline.rejected(invalid.orderId().get(), invalid.reason(), null, receivedAt);
            publisher.publish(rejected);
            metrics.outcome(rejected);
        }
    }

    /**
     * The order in {@code record}, with the rules for its key: at most
     * {@link OrderCodec#MAX_KEY_BYTES} (whatever the value), and the order id. Public for the
     * benchmark's Parallel Consumer runner, which decodes exactly as the worker does.
     */
    public static DecodedOrder decode(OrderCodec codec, ConsumerRecord<byte[], byte[]> record) {
        DecodedOrder decoded = codec.decodeOrder(record.value());
        if (record.key() != null && record.key().length > OrderCodec.MAX_KEY_BYTES) {
            Optional<String> orderId = switch (decoded) {
                case DecodedOrder.Valid valid -> Optional.of(valid.order().orderId());
                case DecodedOrder.Invalid invalid -> invalid.orderId();
            };
            return new DecodedOrder.Invalid(DecodedOrder.Problem.OVERSIZED, "record key is " + record.key().length
                    + " bytes, more than the limit of " + OrderCodec.MAX_KEY_BYTES, orderId);
        }
        if (!(decoded instanceof DecodedOrder.Valid valid)) {
            return decoded;
        }
        String orderId = valid.order().orderId();
        if (asciiEquals(record.key(), orderId)) {
            return decoded; // the usual case, decided without decoding the key
        }
        Optional<String> key = utf8(record.key());
        if (key.isEmpty()) {
            return new DecodedOrder.Invalid(DecodedOrder.Problem.RULE_VIOLATION,
                    "record key must be the order id, got " + (record.key() == null ? "no key" : "a key that is not UTF-8"),
                    Optional.of(orderId));
        }
        if (!key.get().equals(orderId)) {
            return new DecodedOrder.Invalid(DecodedOrder.Problem.RULE_VIOLATION,
                    "record key " + SenderText.quoted(key.get()) + " is not the order id " + SenderText.quoted(orderId),
                    Optional.of(orderId));
        }
        return decoded;
    }

    /** Whether {@code bytes} are exactly the ASCII characters of {@code text}. */
    private static boolean asciiEquals(byte[] bytes, String text) {
        if (bytes == null || bytes.length != text.length()) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] < 0 || bytes[i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> utf8(byte[] bytes) {
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
