package dev.orderpipeline.worker.steps.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.stubs.StubServices;
import dev.orderpipeline.stubs.StubServices.Behaviour;
import dev.orderpipeline.stubs.StubServices.Service;
import dev.orderpipeline.worker.config.ServiceGuarding;
import dev.orderpipeline.worker.guard.ServiceGuards;
import dev.orderpipeline.worker.observe.GuardMeters;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.worker.pipeline.ErrorClassifier;
import dev.orderpipeline.worker.pipeline.OrderPipeline;
import dev.orderpipeline.worker.pipeline.StepTracker;
import dev.orderpipeline.worker.steps.CourierPool;
import dev.orderpipeline.worker.steps.PaymentDeclinedException;
import dev.orderpipeline.worker.steps.StepContext;
import dev.orderpipeline.worker.steps.VendorUnavailableException;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP adapters with their service's breaker and bulkhead, against {@link StubServices}:
 * what feeds a breaker (the service's transient failures, not its declines), that an open one
 * keeps the calls from the service, and that the bulkhead bounds the calls the service sees.
 */
@Timeout(30)
class GuardedHttpStepsTest {

    private final Clock clock = Clock.systemUTC();
    private final HttpClient client = HttpSteps.newClient(Duration.ofSeconds(2));
    private StubServices stub;

    @BeforeEach
    void start() throws IOException {
        stub = StubServices.start(0, Behaviour.succeeding(Duration.ofMillis(5)), new Random(1));
    }

    @AfterEach
    void stop() throws IOException {
        stub.close();
        client.close();
    }

    private ServiceGuards guards(int maxCalls) {
        return new ServiceGuards(List.of("payment", "vendor"),
                new ServiceGuarding(true, 50, 6, Duration.ofMinutes(1), 2, Duration.ofMinutes(5), maxCalls),
                Duration.ofSeconds(5), clock, new GuardMeters(new SimpleMeterRegistry()));
    }

    private static OrderPlaced order(String id) {
        return SampleOrders.order(id, Instant.parse("2026-12-07T04:00:00Z"), null, new Random(7));
    }

    private StepContext context(String key) {
        return new StepContext(clock.instant().plusSeconds(5), key, clock);
    }

    private long vendorRequests() {
        return stub.requests().stream().filter(r -> r.service() == Service.VENDOR).count();
    }

    @Test
    void vendorAnswering503_opensItsBreaker_andLaterCallsFailAsUnavailableWithoutReachingIt() throws Exception {
        ServiceGuards guards = guards(10);
        HttpVendorNotifier vendor = new HttpVendorNotifier(client, stub.baseUrl(), guards.guard("vendor"), TextMapPropagator.noop());
        stub.outage(Service.VENDOR, null);
        for (int i = 0; i < 6; i++) {
            int n = i;
            assertThrows(VendorUnavailableException.class, () -> vendor.notify(order("o" + n), context("o" + n + ":vendor")));
        }
        assertEquals(6, vendorRequests());

        VendorUnavailableException refused = assertThrows(VendorUnavailableException.class,
                () -> vendor.notify(order("o7"), context("o7:vendor")));

        assertEquals(6, vendorRequests(), "the open breaker kept the call from the vendor");
        assertEquals(ErrorClass.VENDOR_UNAVAILABLE, ErrorClassifier.classify(refused));
        assertTrue(refused.getMessage().contains("circuit breaker is open"), refused::getMessage);
        assertEquals(0, guards.allowance(10), "and the poll loop starts no new order");
    }

    @Test
    void paymentDeclines_areAnswers_theBreakerStaysClosed() throws Exception {
        ServiceGuards guards = guards(10);
        HttpPaymentGateway payment = new HttpPaymentGateway(client, stub.baseUrl(), guards.guard("payment"), TextMapPropagator.noop());
        stub.behave(Service.PAYMENT, Behaviour.failing(402, Duration.ofMillis(1)));

        for (int i = 0; i < 20; i++) {
            int n = i;
            assertThrows(PaymentDeclinedException.class, () -> payment.authorize(order("d" + n), context("d" + n + ":payment")));
        }

        assertEquals(10, guards.allowance(10));
        assertEquals(20, stub.requests().size(), "every decline was asked of the provider");
    }

    /**
     * The vendor's only slot is held by a call that hangs: an order waiting for it spends its own
     * deadline there, and ends with the usual deadline outcome, its wait cancelled with the order
     * (the vendor never sees the call, no step thread is left).
     */
    @Test
    void anOrderWaitingForAFullBulkhead_endsWithItsDeadlineOutcome_withoutCallingTheService() throws Exception {
        ServiceGuards guards = guards(1);
        HttpVendorNotifier vendor = new HttpVendorNotifier(client, stub.baseUrl(), guards.guard("vendor"), TextMapPropagator.noop());
        stub.behave(Service.VENDOR, Behaviour.succeeding(Duration.ofSeconds(20)));
        StepTracker tracker = new StepTracker();
        OrderPipeline pipeline = OrderPipeline.builder(new HttpPaymentGateway(client, stub.baseUrl()), vendor,
                        new HttpCourierDispatcher(client, stub.baseUrl(), new CourierPool(4)))
                .orderDeadline(Duration.ofMillis(500)).workerId("bulkhead-test").tracker(tracker).clock(clock).build();
        try (ExecutorService hog = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> hanging = hog.submit(() -> vendor.notify(order("hog"), context("hog:vendor")));
            org.awaitility.Awaitility.await("the hanging call holds the slot").atMost(Duration.ofSeconds(5))
                    .until(() -> vendorRequests() == 1);

            OrderOutcome outcome = pipeline.process(order("waiter"), clock.instant());

            assertEquals(OrderStatus.FAILED, outcome.status(), outcome::toString);
            assertEquals(ErrorClass.TIMEOUT, outcome.errorClass(), outcome::toString);
            assertEquals(1, vendorRequests(), "the waiting order never reached the vendor");
            assertEquals(0, tracker.running(), "step threads left running");
            hanging.cancel(true);
        }
    }

    @Test
    void manyOrdersAtOnce_theServiceSeesAtMostTheBulkheadsCalls_andEveryOrderIsServed() throws Exception {
        int maxCalls = 4;
        ServiceGuards guards = guards(maxCalls);
        HttpVendorNotifier vendor = new HttpVendorNotifier(client, stub.baseUrl(), guards.guard("vendor"), TextMapPropagator.noop());
        stub.behave(Service.VENDOR, Behaviour.succeeding(Duration.ofMillis(50)));

        List<Future<String>> calls = new ArrayList<>();
        try (ExecutorService orders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 40; i++) {
                String id = "b" + i;
                calls.add(orders.submit(() -> vendor.notify(order(id), context(id + ":vendor"))));
            }
        }
        for (Future<String> call : calls) {
            assertTrue(call.get().startsWith("ack-"), "every order notified the vendor");
        }
        assertEquals(maxCalls, stub.peakConcurrentCalls(Service.VENDOR), "vendor calls in progress at once, as it counted");
    }
}
