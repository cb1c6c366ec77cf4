package dev.orderpipeline.cli.pacing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Decides when each order is sent and what its {@code createdAt} is. Unpaced, an order goes
 * out at once, stamped with the clock. At a rate, the orders follow a fixed schedule (open
 * loop): order i is due at {@code start + i / rate}, waits for that moment if early, goes at
 * once if late, and is stamped with its due time either way. A sender that falls behind thus
 * shows up as latency instead of hiding it (no coordinated omission).
 *
 * <p>Used from the sending thread only.
 */
public final class Pacer {

    /** Waits until the clock reads {@code due}; a test's implementation advances a fake clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepUntil(Instant due) throws InterruptedException;
    }

    private final Clock clock;
    private final Sleeper sleeper;
    /** Nanoseconds between two due times; 0 when unpaced. */
    private final double intervalNanos;
    // Owned by the sending thread: the first order's due time, and how many were handed out.
    private Instant start;
    private long next;

    private Pacer(Clock clock, Sleeper sleeper, double intervalNanos) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.intervalNanos = intervalNanos;
    }

    /** As fast as the producer takes them, each stamped with the clock when handed over. */
    public static Pacer unpaced(Clock clock) {
        return new Pacer(clock, due -> { }, 0);
    }

    /**
     * {@code perSecond} orders a second on a fixed schedule, starting at the first call of
     * {@link #awaitNext}.
     *
     * @throws IllegalArgumentException unless {@code perSecond} is positive and finite
     */
    public static Pacer atRate(double perSecond, Clock clock, Sleeper sleeper) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be a positive number of orders per second, got " + perSecond);
        }
        return new Pacer(clock, sleeper, 1e9 / perSecond);
    }

    /** Sleeps with {@link Thread#sleep} until {@code clock} reads the due time. */
    public static Sleeper sleeping(Clock clock) {
        return due -> {
            for (Duration left = Duration.between(clock.instant(), due); left.isPositive();
                    left = Duration.between(clock.instant(), due)) {
                Thread.sleep(left);
            }
        };
    }

    /** Waits until the next order is due and returns its due time: the {@code createdAt} to stamp. */
    public Instant awaitNext() throws InterruptedException {
        if (intervalNanos == 0) {
            next++;
            return clock.instant();
        }
        if (start == null) {
            start = clock.instant();
        }
        Instant due = start.plusNanos(Math.round(next * intervalNanos));
        next++;
        if (clock.instant().isBefore(due)) {
            sleeper.sleepUntil(due);
        }
        return due;
    }
}
