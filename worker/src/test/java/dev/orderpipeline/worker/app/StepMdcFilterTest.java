package dev.orderpipeline.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.observe.WorkerMetrics;
import dev.orderpipeline.worker.pipeline.OrderPipeline;
import dev.orderpipeline.worker.pipeline.StepTracker;
import dev.orderpipeline.worker.steps.CourierPool;
import dev.orderpipeline.worker.steps.PaymentGateway;
import dev.orderpipeline.worker.steps.StepContext;
import dev.orderpipeline.worker.steps.VendorNotifier;
import dev.orderpipeline.worker.trace.Tracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A line logged on a step's thread carries the order's MDC, as the order thread's lines do, in
 * a pipeline assembled as the worker assembles it.
 */
@Timeout(30)
class StepMdcFilterTest {

    private final Logger stepLog = (Logger) LoggerFactory.getLogger("test.step");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @AfterEach
    void detach() {
        stepLog.detachAppender(lines);
        MDC.clear();
    }

    @Test
    void aLineLoggedByAStep_carriesTheOrdersId_andNoneLeaksToTheCallersNextOrder() throws Exception {
        lines.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        lines.start();
        stepLog.addAppender(lines);
        PaymentGateway payment = new PaymentGateway() {
            @Override
            public String authorize(dev.orderpipeline.contract.OrderPlaced order, StepContext context) {
                stepLog.info("charging");
                return "auth-1";
            }

            @Override
            public String voidAuthorization(dev.orderpipeline.contract.OrderPlaced order, String authorization,
                                            StepContext context) {
                return "void-1";
            }
        };
        VendorNotifier vendor = new VendorNotifier() {
            @Override
            public String notify(dev.orderpipeline.contract.OrderPlaced order, StepContext context) {
                return "ack";
            }

            @Override
            public String retract(dev.orderpipeline.contract.OrderPlaced order, String acknowledgement, StepContext context) {
                return "retracted";
            }
        };
        CourierPool couriers = new CourierPool(1);
        WorkerConfig config = WorkerConfig.builder().bootstrapServers("localhost:9092").build();
        OrderPipeline pipeline = Pipelines.of(config, payment, vendor,
                (order, context) -> couriers.tryTake(context.remaining()), new StepTracker(), Clock.systemUTC(),
                new Random(1), new WorkerMetrics(new SimpleMeterRegistry()), Tracing.off());

        MDC.put("order_id", "o-logged");
        OrderOutcome outcome = pipeline.process(SampleOrders.order("o-logged", Instant.now(), Simulation.NONE, new Random(2)), Instant.now());
        MDC.clear();
        OrderOutcome next = pipeline.process(SampleOrders.order("o-next", Instant.now(), Simulation.NONE, new Random(3)), Instant.now());

        assertEquals(OrderStatus.SUCCEEDED, outcome.status());
        assertEquals(OrderStatus.SUCCEEDED, next.status());
        List<ILoggingEvent> logged = lines.list;
        assertEquals(2, logged.size(), () -> "lines: " + logged);
        assertEquals("o-logged", logged.get(0).getMDCPropertyMap().get("order_id"), () -> "line " + logged.get(0));
        assertNull(logged.get(1).getMDCPropertyMap().get("order_id"), () -> "line " + logged.get(1));
    }
}
