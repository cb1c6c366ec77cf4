package dev.orderpipeline.worker.trace;

import dev.orderpipeline.contract.DecodedOrder;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SenderText;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Starts the span of one {@code orders} record (messaging semantic conventions: a CONSUMER
 * "process" span), continuing the sender's trace when its {@code traceparent} header is valid and
 * starting a new one otherwise. Thread-safe (immutable).
 */
public final class OrderSpans {

    /** Starts nothing: tracing is off, and an order pays for one constant. */
    public static final OrderSpans OFF = new OrderSpans(null, TextMapPropagator.noop(), "");

    static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("order.id");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("order.status");
    static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("order.attempts");
    static final AttributeKey<String> DEAD_LETTER_PROBLEM = AttributeKey.stringKey("order.dead_letter.problem");
    /** Order ids are the sender's: escaped and cut to this many characters in a span. */
    static final int MAX_ORDER_ID_CHARS = 128;

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final String groupId;

    OrderSpans(Tracer tracer, TextMapPropagator propagator, String groupId) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.groupId = groupId;
    }

    /**
     * Starts {@code record}'s span and makes it current on the calling thread until the returned
     * span is closed there; the logging MDC carries its trace and span ids meanwhile.
     */
    @SuppressWarnings("MustBeClosedChecker") // the scope is closed by the returned span's close(), on this thread
    public OrderSpan start(ConsumerRecord<byte[], byte[]> record) {
        if (tracer == null) {
            return OrderSpan.NONE;
        }
        Context parent = propagator.extract(Context.root(), record.headers(), KafkaHeaders.GETTER);
        Span span = tracer.spanBuilder(record.topic() + " process")
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.operation.name", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", Integer.toString(record.partition()))
                .setAttribute("messaging.consumer.group.name", groupId)
                .setAttribute("kafka.offset", record.offset())
                .startSpan();
        Context context = parent.with(span).with(StepTracing.FIRST_FAILURE, new AtomicReference<>());
        return new Current(span, context.makeCurrent(), TraceMdc.put(span.getSpanContext()));
    }

    /** One record's span, current on its thread until closed there. */
    public interface OrderSpan extends AutoCloseable {

        OrderSpan NONE = new OrderSpan() {
        };

        /** The record became {@code outcome}. */
        default void outcome(OrderOutcome outcome) {
        }

        /** The record went to the dead-letter topic. */
        default void deadLettered(DecodedOrder.Invalid invalid) {
        }

        @Override
        default void close() {
        }
    }

    private static final class Current implements OrderSpan {
        private final Span span;
        private final Scope scope;
        private final TraceMdc mdc;

        Current(Span span, Scope scope, TraceMdc mdc) {
            this.span = span;
            this.scope = scope;
            this.mdc = mdc;
        }

        @Override
        public void outcome(OrderOutcome outcome) {
            span.setAttribute(ORDER_ID, SenderText.of(outcome.orderId(), MAX_ORDER_ID_CHARS));
            span.setAttribute(STATUS, outcome.status().name().toLowerCase(Locale.ROOT));
            span.setAttribute(ATTEMPTS, outcome.attempt());
            if (outcome.status() != OrderStatus.SUCCEEDED) {
                ErrorClass errorClass = outcome.errorClass();
                span.setAttribute(StepTracing.ERROR_CLASS, errorClass.code());
                span.setStatus(StatusCode.ERROR, errorClass.code() + ": " + SenderText.reason(outcome.errorMessage()));
            }
        }

        @Override
        public void deadLettered(DecodedOrder.Invalid invalid) {
            invalid.orderId().ifPresent(id -> span.setAttribute(ORDER_ID, SenderText.of(id, MAX_ORDER_ID_CHARS)));
            span.setAttribute(STATUS, "dead_lettered");
            span.setAttribute(StepTracing.ERROR_CLASS, ErrorClass.INVALID_ORDER.code());
            span.setAttribute(DEAD_LETTER_PROBLEM, invalid.problem().name());
            span.setStatus(StatusCode.ERROR, "dead-lettered (" + invalid.problem().name() + "): "
                    + SenderText.reason(invalid.reason()));
        }

        @Override
        public void close() {
            span.end();
            scope.close();
            mdc.close();
        }
    }
}
