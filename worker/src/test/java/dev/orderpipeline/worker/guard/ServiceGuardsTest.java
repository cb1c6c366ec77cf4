package dev.orderpipeline.worker.guard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.worker.config.ServiceGuarding;
import dev.orderpipeline.worker.observe.GuardMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The breakers as the poll loop sees them (the gate's allowance), as health and meters show
 * them, and the bulkhead's wait: without a broker or a service, the calls' results reported by
 * hand as the HTTP adapter reports them.
 */
@Timeout(20)
class ServiceGuardsTest {

    private static final int MAX_IN_FLIGHT = 100;
    private static final Duration OPEN_WAIT = Duration.ofMillis(200);

    /** A clock the test moves; the breaker's own half-open timer runs on real time. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-07T04:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GuardMeters meters = new GuardMeters(registry);

    private ServiceGuards guards(boolean breakers, Duration longestPause, int maxCalls) {
        return new ServiceGuards(List.of("payment", "vendor"),
                new ServiceGuarding(breakers, 50, 4, OPEN_WAIT, 2, longestPause, maxCalls), Duration.ofSeconds(5), clock,
                meters);
    }

    private static void fail(ServiceGuard guard, int calls) throws Exception {
        for (int i = 0; i < calls; i++) {
            try (ServiceGuard.Permit permit = guard.enter()) {
                permit.failed(new IOException("503"));
            }
        }
    }

    private static void answer(ServiceGuard guard, int calls) throws Exception {
        for (int i = 0; i < calls; i++) {
            try (ServiceGuard.Permit permit = guard.enter()) {
                permit.answered();
            }
        }
    }

    @Test
    void transientFailures_openTheBreaker_theGateStartsNothing_andTheServiceIsNotCalled() throws Exception {
        ServiceGuards guards = guards(true, Duration.ofMinutes(5), 10);
        ServiceGuard vendor = guards.guard("vendor");
        assertEquals(MAX_IN_FLIGHT, guards.allowance(MAX_IN_FLIGHT), "closed breakers hold nothing back");

        fail(vendor, 4);

        assertEquals(0, guards.allowance(MAX_IN_FLIGHT), "an open breaker starts no new order");
        assertThrows(ServiceGuard.CircuitOpenException.class, vendor::enter, "a call while open is refused");
        assertEquals(Map.of("vendor", "open"), guards.degraded());
        answer(guards.guard("payment"), 1); // the other service is not affected
        assertEquals(1, meters.notPermittedCount("vendor"));
        assertEquals(1.0, registry.get("circuit.breaker.state").tags("service", "vendor", "state", "open").gauge().value());
        assertEquals(1.0, registry.get("circuit.breaker.holding").tags("service", "vendor").gauge().value());
    }

    @Test
    void answersThatAreNotTransientFailures_keepTheBreakerClosed() throws Exception {
        ServiceGuards guards = guards(true, Duration.ofMinutes(5), 10);

        answer(guards.guard("payment"), 50); // declines, 4xx: the service answered

        assertEquals(MAX_IN_FLIGHT, guards.allowance(MAX_IN_FLIGHT));
        assertEquals(Map.of(), guards.degraded());
        assertEquals(0, meters.transitions("payment"));
    }

    @Test
    void afterTheOpenWait_probesGoThrough_andTheirAnswersCloseTheBreaker() throws Exception {
        ServiceGuards guards = guards(true, Duration.ofMinutes(5), 10);
        ServiceGuard vendor = guards.guard("vendor");
        fail(vendor, 4);

        await("half-open after the open wait").atMost(Duration.ofSeconds(5))
                .until(() -> guards.allowance(MAX_IN_FLIGHT) == 2);
        assertEquals(Map.of("vendor", "half_open"), guards.degraded());
        answer(vendor, 2);

        assertEquals(MAX_IN_FLIGHT, guards.allowance(MAX_IN_FLIGHT), "closed again: every order may start");
        assertEquals(3, meters.transitions("vendor"), "closed->open->half_open->closed");
    }

    @Test
    void aCancelledCall_givesItsProbeBack_soTheBreakerCanStillClose() throws Exception {
        ServiceGuards guards = guards(true, Duration.ofMinutes(5), 10);
        ServiceGuard vendor = guards.guard("vendor");
        fail(vendor, 4);
        await("half-open").atMost(Duration.ofSeconds(5)).until(() -> guards.allowance(MAX_IN_FLIGHT) == 2);

        try (ServiceGuard.Permit cancelled = vendor.enter()) {
            // the order's scope cancelled the call: neither answered nor failed
        }
        answer(vendor, 2);

        assertEquals(Map.of(), guards.degraded(), "the probes' answers closed it");
    }

    @Test
    void afterTheLongestPause_ordersRunAndCallTheServiceAgain_itsFirstAnswerClosesTheBreaker_theNextOutageIsHeld()
            throws Exception {
        ServiceGuards guards = guards(true, Duration.ofSeconds(60), 10);
        ServiceGuard vendor = guards.guard("vendor");
        fail(vendor, 4);
        assertEquals(0, guards.allowance(MAX_IN_FLIGHT));

        clock.advance(Duration.ofSeconds(60));

        assertEquals(MAX_IN_FLIGHT, guards.allowance(MAX_IN_FLIGHT), "given up holding orders back");
        assertTrue(guards.degraded().get("vendor").endsWith(", gave up holding orders back"), guards.degraded()::toString);
        assertEquals(0.0, registry.get("circuit.breaker.holding").tags("service", "vendor").gauge().value());
        fail(vendor, 10); // calls reach the still dead service, as without breakers: not refused
        assertEquals(0, meters.notPermittedCount("vendor"));
        assertEquals(MAX_IN_FLIGHT, guards.allowance(MAX_IN_FLIGHT), "still not holding");

        answer(vendor, 1); // the service is back

        assertEquals(Map.of(), guards.degraded(), "its first answer closed the breaker");
        fail(vendor, 4);
        assertEquals(0, guards.allowance(MAX_IN_FLIGHT), "the next outage is held back again");
    }

    @Test
    void breakersOff_neverHoldOrdersBack_norRefuseCalls() throws Exception {
        ServiceGuards guards = guards(false, Duration.ofMinutes(5), 10);

        fail(guards.guard("vendor"), 40);

        assertEquals(MAX_IN_FLIGHT, guards.allowance(MAX_IN_FLIGHT));
        assertEquals(Map.of(), guards.degraded());
        try (ServiceGuard.Permit permit = guards.guard("vendor").enter()) {
            permit.failed(new IOException("503"));
        }
    }

    @Test
    void aFullBulkhead_makesTheCallWait_andTheWaitEndsAtOnceWhenTheOrderIsCancelled() throws Exception {
        ServiceGuards guards = guards(true, Duration.ofMinutes(5), 1);
        ServiceGuard vendor = guards.guard("vendor");
        AtomicReference<Throwable> waiter = new AtomicReference<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread order;
        try (ServiceGuard.Permit held = vendor.enter()) {
            order = Thread.ofVirtual().start(() -> {
                waiting.countDown();
                try (ServiceGuard.Permit never = vendor.enter()) {
                    waiter.set(new AssertionError("entered a full bulkhead"));
                } catch (Exception e) {
                    waiter.set(e);
                }
            });
            waiting.await();
            await("the second call waits for the slot").atMost(Duration.ofSeconds(5))
                    .until(() -> order.getState() == Thread.State.WAITING || order.getState() == Thread.State.TIMED_WAITING);
            order.interrupt(); // the scope cancelling the order
            order.join(Duration.ofSeconds(5));
            held.answered();
        }

        assertTrue(waiter.get() instanceof InterruptedException, () -> "got " + waiter.get());
        try (ServiceGuard.Permit again = vendor.enter()) {
            again.answered(); // neither the cancelled wait nor the finished call kept the slot
        }
        assertEquals(1.0, registry.get("bulkhead.available.calls").tags("service", "vendor").gauge().value());
    }
}
