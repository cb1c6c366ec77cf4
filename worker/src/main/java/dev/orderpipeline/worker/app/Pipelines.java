package dev.orderpipeline.worker.app;

import dev.orderpipeline.contract.Compensation;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.StepName;
import dev.orderpipeline.worker.config.StepServices;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.guard.ServiceGuards;
import dev.orderpipeline.worker.observe.WorkerMetrics;
import dev.orderpipeline.worker.pipeline.AttemptResult;
import dev.orderpipeline.worker.pipeline.OrderPipeline;
import dev.orderpipeline.worker.pipeline.PipelineEvents;
import dev.orderpipeline.worker.pipeline.StepTracker;
import dev.orderpipeline.worker.steps.CourierDispatcher;
import dev.orderpipeline.worker.steps.CourierPool;
import dev.orderpipeline.worker.steps.PaymentGateway;
import dev.orderpipeline.worker.steps.VendorNotifier;
import dev.orderpipeline.worker.steps.http.HttpCourierDispatcher;
import dev.orderpipeline.worker.steps.http.HttpPaymentGateway;
import dev.orderpipeline.worker.steps.http.HttpSteps;
import dev.orderpipeline.worker.steps.http.HttpVendorNotifier;
import dev.orderpipeline.worker.trace.Tracing;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.slf4j.LoggerFactory;

/**
 * Assembles the per-order pipeline from the configuration: its steps (simulated, or the services
 * over HTTP behind their circuit breakers and bulkheads), and what it tells the worker's meters
 * and traces. Public for the benchmark's Parallel Consumer runner, which runs the worker's own
 * pipeline inside another engine.
 */
public final class Pipelines {

    private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";

    private Pipelines() {
    }

    /** The pipeline over the payment, vendor and courier services over HTTP, each behind its guard. */
    public static OrderPipeline overHttp(WorkerConfig config, ServiceGuards guards, CourierPool couriers,
                                   StepTracker tracker, Clock clock, Random random, WorkerMetrics metrics,
                                              Tracing tracing) {
        HttpClient client = HttpSteps.newClient(config.kafka().connectTimeout());
        StepServices services = config.steps().services();
        return of(config,
                new HttpPaymentGateway(client, services.payment(), guards.guard(StepName.PAYMENT.label()), tracing.propagator()),
                new HttpVendorNotifier(client, services.vendor(), guards.guard(StepName.VENDOR.label()), tracing.propagator()),
                new HttpCourierDispatcher(client, services.courier(), couriers, guards.guard(StepName.COURIER.label()),
                        tracing.propagator()),
                tracker, clock, random, metrics, tracing);
    }

    /** The pipeline over these steps, telling the worker's meters and traces what it does. */
    public static OrderPipeline of(WorkerConfig config, PaymentGateway payment, VendorNotifier vendor,
                                          CourierDispatcher courier, StepTracker tracker, Clock clock, Random random,
                                          WorkerMetrics metrics, Tracing tracing) {
        installStepMdc();
        PipelineEvents events = new PipelineEvents() {
            @Override
            public void retrying(StepName step, ErrorClass errorClass) {
                metrics.stepRetry(step, errorClass);
            }

            @Override
            public void attempted(StepName step, AttemptResult result, Duration duration) {
                metrics.stepAttempt(step, result.label(), duration);
            }

            @Override
            public void compensation(String orderId, Compensation compensation) {
                metrics.compensation(compensation.step(), compensation.status());
            }
        };
        return OrderPipeline.builder(payment, vendor, courier)
                .orderDeadline(config.flow().orderDeadline())
                .workerId(config.kafka().workerId())
                .tracker(tracker)
                .clock(clock)
                .retry(config.retry())
                .compensationDeadline(config.flow().compensationDeadline())
                .random(random)
                .events(events)
                .tracing(tracing.pipeline())
                .build();
    }

    /**
     * What a step thread logs names its order: the pipeline binds the order's MDC for its steps,
     * and a Logback filter puts it in the step thread's MDC when it logs. Only with Logback as the
     * SLF4J provider: an embedder's class path without Logback cannot even load the filter class
     * (its supertype is Logback's), so it is not touched there, and step lines lack the order's MDC.
     */
    private static void installStepMdc() {
        if (LOGBACK_CONTEXT.equals(LoggerFactory.getILoggerFactory().getClass().getName())) {
            StepMdcFilter.install();
        }
    }
}
