package dev.orderpipeline.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.worker.config.Delivery;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The vendor service down under a backlog, with the circuit breakers on (the default run's two
 * cases; {@link OutageMatrixIT} adds exactly-once, breakers off and a flapping vendor):
 * the orders wait in the topic instead of failing, and a vendor that never comes back is given
 * up on after the longest pause.
 */
@Timeout(180)
class CircuitBreakerIT {

    /**
     * Orders that may fail: those running when the breaker opened (at most max-in-flight), and
     * the probes of each half-open test during the outage (at most one per open wait, and one more).
     */
    static int failureBound(Duration outage) {
        long cycles = outage.dividedBy(Duration.ofSeconds(2)) + 1;
        return VendorOutageRun.MAX_IN_FLIGHT + (int) (2 * cycles);
    }

    static void assertHeldBack(VendorOutageRun.Result run) {
        assertEquals(run.sent(), run.answered(), () -> "orders without an outcome: " + run.line());
        assertEquals(0, run.duplicates(), () -> "orders answered twice: " + run.line());
        assertEquals(0, run.unvoided(), () -> "failed orders whose payment stayed authorised: " + run.line());
        assertTrue(run.failed() <= failureBound(VendorOutageRun.TEN_SECONDS),
                () -> "at most " + failureBound(VendorOutageRun.TEN_SECONDS) + " orders may fail: " + run.line());
        assertEquals(run.failed() == 0 ? Map.of() : Map.of(ErrorClass.VENDOR_UNAVAILABLE, (long) run.failed()),
                run.failedBy(), () -> "only the vendor's outage may fail orders: " + run.line());
        assertTrue(run.delayed() > run.sent() / 2, () -> "most orders waited for the vendor and then succeeded: "
                + run.line());
        assertTrue(run.transitions() >= 3, () -> "the vendor breaker opened, probed and closed: " + run.line());
        assertEquals(0.0, run.rebalances(), () -> "the paused consumer kept its partitions: " + run.line());
        assertTrue(run.readyWhileDown().startsWith("200 ") && run.readyWhileDown().contains("\"degraded\":{\"vendor\":"),
                () -> "ready stays 200 and names the vendor breaker: " + run.readyWhileDown());
        assertTrue(run.metricsWhileDown().contains("circuit_breaker_holding{service=\"vendor\"} 1.0"),
                () -> "the holding gauge shows the pause: " + run.metricsWhileDown());
    }

    @Test
    void vendorDownForTenSeconds_ordersWaitInTheTopic_andSucceedAfterRecovery_atLeastOnce() throws Exception {
        assertHeldBack(VendorOutageRun.run("breaker-10s-alo", 2_000, VendorOutageRun.Outage.TEN_SECONDS,
                Delivery.AT_LEAST_ONCE, VendorOutageRun.guarding(true, Duration.ofMinutes(5))));
    }

    @Test
    void vendorDownForGood_afterTheLongestPause_ordersFailAsWithoutBreakers() throws Exception {
        Duration longestPause = Duration.ofSeconds(3);
        VendorOutageRun.Result run = VendorOutageRun.run("breaker-dead-vendor", 300, VendorOutageRun.Outage.PERMANENT,
                Delivery.AT_LEAST_ONCE, VendorOutageRun.guarding(true, longestPause));
        assertEquals(run.sent(), run.answered(), () -> "orders without an outcome: " + run.line());
        assertEquals(Map.of(ErrorClass.VENDOR_UNAVAILABLE, (long) run.sent()), run.failedBy(),
                () -> "every order fails as vendor_unavailable, as without breakers: " + run.line());
        assertTrue(run.firstToLastOutcome().compareTo(longestPause.minusSeconds(1)) >= 0,
                // Less a moment: the breaker opened, and its pause began, just before the first outcome.
                () -> "the breaker held the backlog back for the longest pause first: " + run.line());
        assertEquals(0, run.duplicates(), run::line);
        // Orders running when the breaker opened had their vendor call refused at once, often
        // while their payment call was under way: those payments are voided by key too.
        assertEquals(0, run.unvoided(), () -> "failed orders whose payment stayed authorised: " + run.line());
    }
}
