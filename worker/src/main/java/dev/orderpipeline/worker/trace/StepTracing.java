package dev.orderpipeline.worker.trace;

import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.SenderText;
import dev.orderpipeline.contract.StepName;
import dev.orderpipeline.worker.pipeline.PipelineTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pipeline's spans: one per step attempt and one per undo, children of the order's span, and
 * the order's deadline on the order's span. Thread-safe: each call works on its thread's context.
 */
final class StepTracing implements PipelineTracing {

    static final AttributeKey<String> STEP = AttributeKey.stringKey("order.step");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("order.step.attempt");
    static final AttributeKey<String> RESULT = AttributeKey.stringKey("order.step.result");
    static final AttributeKey<Boolean> CANCELLED = AttributeKey.booleanKey("order.step.cancelled");
    static final AttributeKey<String> ERROR_CLASS = AttributeKey.stringKey("order.error_class");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<Long> RETRY_IN_MS = AttributeKey.longKey("order.step.retry_in_ms");
    static final AttributeKey<String> DEADLINE = AttributeKey.stringKey("order.deadline");
    static final AttributeKey<Long> DEADLINE_MS = AttributeKey.longKey("order.deadline_ms");

    /**
     * The first step of an order that failed for good, kept in the order's context so that the
     * siblings it cancels can say why. Written once by that step's thread before the scope
     * cancels the others; the interrupt that cancels them happens-after the write.
     */
    static final ContextKey<AtomicReference<String>> FIRST_FAILURE = ContextKey.named("order.first_failure");

    private final Tracer tracer;

    StepTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public <T> Callable<T> inCurrentTrace(Callable<T> task) {
        Context context = Context.current();
        return () -> {
            try (Scope scope = context.makeCurrent();
                 TraceMdc mdc = TraceMdc.put(io.opentelemetry.api.trace.Span.fromContext(context).getSpanContext())) {
                return task.call();
            }
        };
    }

    @Override
    public void deadline(Instant deadline) {
        io.opentelemetry.api.trace.Span.current().setAttribute(DEADLINE, deadline.toString());
    }

    @Override
    public void deadlineExpired(Duration deadline) {
        io.opentelemetry.api.trace.Span.current().addEvent("order deadline expired", Attributes.of(DEADLINE_MS, deadline.toMillis()));
    }

    @Override
    public void stepFailed(StepName step, ErrorClass errorClass) {
        AtomicReference<String> first = Context.current().get(FIRST_FAILURE);
        if (first != null) {
            first.compareAndSet(null, step.label() + " failed (" + errorClass.code() + ")");
        }
    }

    @Override
    public PipelineTracing.Span attempt(StepName step, int attempt) {
        return start(step.label(), Attributes.of(STEP, step.label(), ATTEMPT, (long) attempt));
    }

    @Override
    public PipelineTracing.Span compensation(StepName step) {
        return start("compensate " + step.label(), Attributes.of(STEP, step.label()));
    }

    @SuppressWarnings("MustBeClosedChecker") // the scope is closed by the returned span's close(), on this thread
    private StepSpan start(String name, Attributes attributes) {
        Context parent = Context.current();
        io.opentelemetry.api.trace.Span span = tracer.spanBuilder(name).setParent(parent).setAllAttributes(attributes).startSpan();
        return new StepSpan(span, parent.with(span).makeCurrent(), TraceMdc.put(span.getSpanContext()),
                parent.get(FIRST_FAILURE));
    }

    /** A step attempt's or an undo's span; used only by the thread that started it. */
    private static final class StepSpan implements PipelineTracing.Span {
        private final io.opentelemetry.api.trace.Span span;
        private final Scope scope;
        private final TraceMdc mdc;
        private final AtomicReference<String> firstFailure;

        StepSpan(io.opentelemetry.api.trace.Span span, Scope scope, TraceMdc mdc, AtomicReference<String> firstFailure) {
            this.span = span;
            this.scope = scope;
            this.mdc = mdc;
            this.firstFailure = firstFailure;
        }

        @Override
        public void succeeded() {
            span.setAttribute(RESULT, "succeeded");
        }

        @Override
        public void failed(ErrorClass errorClass, Throwable failure) {
            span.setAttribute(RESULT, "failed");
            error(errorClass, failure);
        }

        @Override
        public void retrying(ErrorClass errorClass, Throwable failure, Duration wait) {
            span.setAttribute(RESULT, "retrying");
            span.setAttribute(RETRY_IN_MS, wait.toMillis());
            error(errorClass, failure);
        }

        @Override
        public void cancelled(boolean deadlinePassed) {
            span.setAttribute(RESULT, "cancelled");
            span.setAttribute(CANCELLED, true);
            String sibling = firstFailure == null ? null : firstFailure.get();
            span.setStatus(StatusCode.ERROR, deadlinePassed ? "cancelled: the deadline passed"
                    : sibling != null ? "cancelled: sibling " + sibling
                    : "cancelled: the worker is stopping");
        }

        private void error(ErrorClass errorClass, Throwable failure) {
            span.setAttribute(ERROR_CLASS, errorClass.code());
            span.setAttribute(ERROR_TYPE, failure.getClass().getName());
            // The message may quote the order's own fields or a service's answer.
            String message = failure.getMessage();
            span.setStatus(StatusCode.ERROR, errorClass.code() + ": "
                    + (message == null ? failure.getClass().getSimpleName() : SenderText.reason(message)));
        }

        @Override
        public void close() {
            span.end();
            scope.close();
            mdc.close();
        }
    }
}
