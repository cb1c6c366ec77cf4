package dev.orderpipeline.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.worker.config.Delivery;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rest of the vendor-outage matrix, too long for the default build: run by
 * {@code bin/outages} (profile {@code outage-matrix}), which prints the numbers of every run.
 */
@Timeout(300)
class OutageMatrixIT {

    @Test
    void vendorDownForTenSeconds_ordersWaitInTheTopic_exactlyOnce() throws Exception {
        CircuitBreakerIT.assertHeldBack(VendorOutageRun.run("breaker-10s-eos", 2_000,
                VendorOutageRun.Outage.TEN_SECONDS, Delivery.EXACTLY_ONCE,
                VendorOutageRun.guarding(true, Duration.ofMinutes(5))));
    }

    @Test
    void breakersOff_vendorDownForTenSeconds_mostOrdersFail_atLeastOnce() throws Exception {
        assertMostFail(VendorOutageRun.run("no-breaker-10s-alo", 2_000, VendorOutageRun.Outage.TEN_SECONDS,
                Delivery.AT_LEAST_ONCE, VendorOutageRun.guarding(false, Duration.ofMinutes(5))));
    }

    @Test
    void breakersOff_vendorDownForTenSeconds_mostOrdersFail_exactlyOnce() throws Exception {
        assertMostFail(VendorOutageRun.run("no-breaker-10s-eos", 2_000, VendorOutageRun.Outage.TEN_SECONDS,
                Delivery.EXACTLY_ONCE, VendorOutageRun.guarding(false, Duration.ofMinutes(5))));
    }

    /**
     * Down 2 s, up 2 s, four times: each opening holds the orders back for at least the open
     * wait (2 s, doubling after a failed probe), so the breaker cannot switch faster than that,
     * and each opening fails at most the orders then running plus the probes.
     */
    @Test
    void flappingVendor_boundedTransitions_boundedFailures() throws Exception {
        VendorOutageRun.Result run = VendorOutageRun.run("breaker-flapping", 2_000, VendorOutageRun.Outage.FLAPPING,
                Delivery.AT_LEAST_ONCE, VendorOutageRun.guarding(true, Duration.ofMinutes(5)));
        assertEquals(run.sent(), run.answered(), run::line);
        assertEquals(0, run.duplicates(), run::line);
        // At most one opening per open wait (2 s) over the 16 s of flapping and the recovery
        // after it, each opening followed by a half-open and its end: 3 transitions.
        long openingsBound = 16 / 2 + 2;
        assertTrue(run.transitions() <= 3 * openingsBound, () -> "at most " + 3 * openingsBound + " transitions: "
                + run.line());
        assertTrue(run.failed() <= openingsBound * (VendorOutageRun.MAX_IN_FLIGHT + 2),
                () -> "at most the running orders and the probes fail per opening: " + run.line());
        assertEquals(0.0, run.rebalances(), run::line);
    }

    @Test
    void breakersOff_vendorDownForGood_everyOrderFails() throws Exception {
        VendorOutageRun.Result run = VendorOutageRun.run("no-breaker-dead-vendor", 300, VendorOutageRun.Outage.PERMANENT,
                Delivery.AT_LEAST_ONCE, VendorOutageRun.guarding(false, Duration.ofSeconds(3)));
        assertEquals(run.sent(), run.answered(), run::line);
        assertEquals(run.sent(), run.failed(), run::line);
        assertEquals(0, run.transitions(), run::line);
    }

    /**
     * Without breakers every order that meets the dead vendor fails: about half the backlog in
     * 10 s here, at least ten times what the breakers let fail.
     */
    private static void assertMostFail(VendorOutageRun.Result run) {
        assertEquals(run.sent(), run.answered(), run::line);
        assertEquals(0, run.duplicates(), run::line);
        int tenTimesTheBreakers = 10 * CircuitBreakerIT.failureBound(VendorOutageRun.TEN_SECONDS);
        assertTrue(run.failed() > tenTimesTheBreakers, () -> "without breakers every order that meets the dead vendor "
                + "fails, more than " + tenTimesTheBreakers + ": " + run.line());
        assertEquals(0, run.transitions(), run::line);
    }
}
