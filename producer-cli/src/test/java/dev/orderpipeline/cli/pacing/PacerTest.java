package dev.orderpipeline.cli.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PacerTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    /** A clock that moves only when told; its sleeper records each wait and jumps to its end. */
    private static final class FakeTime extends Clock {
        Instant now = T0;
        final List<Instant> sleptUntil = new ArrayList<>();

        Pacer.Sleeper sleeper() {
            return due -> {
                sleptUntil.add(due);
                now = due;
            };
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void atRate_onTime_waitsForEachDueTime_andStampsIt() throws Exception {
        FakeTime time = new FakeTime();
        Pacer pacer = Pacer.atRate(4, time, time.sleeper());

        List<Instant> stamped = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stamped.add(pacer.awaitNext());
        }

        List<Instant> want = List.of(T0, T0.plusMillis(250), T0.plusMillis(500), T0.plusMillis(750));
        assertEquals(want, stamped, "createdAt of each order");
        assertEquals(want.subList(1, 4), time.sleptUntil, "waits (none for the first order)");
    }

    @Test
    void atRate_senderFallsBehind_sendsAtOnce_butStampsTheDueTime_soTheDelayCountsAsLatency() throws Exception {
        FakeTime time = new FakeTime();
        Pacer pacer = Pacer.atRate(10, time, time.sleeper());

        Instant first = pacer.awaitNext();
        // The producer blocked for 350 ms: orders 2-4 (due at 100, 200, 300 ms) are late.
        time.advance(Duration.ofMillis(350));
        List<Instant> late = List.of(pacer.awaitNext(), pacer.awaitNext(), pacer.awaitNext());
        Instant onTimeAgain = pacer.awaitNext();

        assertEquals(T0, first);
        assertEquals(List.of(T0.plusMillis(100), T0.plusMillis(200), T0.plusMillis(300)), late,
                "late orders keep their due time, not the time they went out");
        assertEquals(T0.plusMillis(400), onTimeAgain);
        assertEquals(List.of(T0.plusMillis(400)), time.sleptUntil, "only the order that was early waited");
    }

    @Test
    void atRate_fractionalRate_doesNotDrift() throws Exception {
        FakeTime time = new FakeTime();
        Pacer pacer = Pacer.atRate(3, time, time.sleeper());

        Instant last = null;
        for (int i = 0; i <= 300; i++) {
            last = pacer.awaitNext();
        }

        assertEquals(T0.plusSeconds(100), last, "order 300 at 3/s is due exactly 100 s after the first");
    }

    @Test
    void unpaced_neverWaits_andStampsTheClock() throws Exception {
        FakeTime time = new FakeTime();
        Pacer pacer = Pacer.unpaced(time);

        Instant a = pacer.awaitNext();
        time.advance(Duration.ofMillis(7));
        Instant b = pacer.awaitNext();

        assertEquals(List.of(T0, T0.plusMillis(7)), List.of(a, b));
        assertEquals(List.of(), time.sleptUntil);
    }

    @Test
    void atRate_rejectsRatesThatAreNotPositive() {
        for (double rate : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> Pacer.atRate(rate, Clock.systemUTC(), due -> { }),
                    "rate " + rate);
        }
    }

    // An interrupt flag set beforehand makes any Thread.sleep throw at once: a sleeper that does
    // not throw never slept, and one that throws tried to.
    @Test
    void sleeping_neverSleepsForADueTimeNowOrInThePast() throws Exception {
        FakeTime time = new FakeTime();
        Thread.currentThread().interrupt();
        try {
            Pacer.sleeping(time).sleepUntil(T0.minusSeconds(1));
            Pacer.sleeping(time).sleepUntil(T0);
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt flag was consumed: the sleeper slept");
        }
    }

    @Test
    void sleeping_sleepsForADueTimeInTheFuture_andKeepsTheInterrupt() {
        FakeTime time = new FakeTime();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> Pacer.sleeping(time).sleepUntil(T0.plusMillis(1)),
                "a due time 1 ms ahead must be waited for");
    }
}
