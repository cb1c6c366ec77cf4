package dev.orderpipeline.worker.steps;

import dev.orderpipeline.contract.StepFault;
import dev.orderpipeline.worker.config.SimulationSettings;
import java.time.Duration;
import java.util.Random;

/**
 * The behaviour every simulated step shares: wait its latency (interruptibly, so cancellation
 * works), or misbehave as the order asks.
 */
final class SimulatedLatency {

    private static final Duration ONE_MICROSECOND = Duration.ofNanos(1_000);

    private final Duration jitter;
    private final Duration slowStepDelay;
    // java.util.Random is thread-safe; seeded in tests for repeatable runs.
    private final Random random;

    SimulatedLatency(SimulationSettings settings, Random random) {
        this.jitter = settings.jitter();
        this.slowStepDelay = settings.slowStepDelay();
        this.random = random;
    }

    /**
     * Waits as a step with mean latency {@code mean} would, honouring {@code fault}.
     *
     * @return {@code true} if the order asked this step to fail with its business failure
     */
    boolean await(Duration mean, StepFault fault, String step) throws InterruptedException {
        if (fault == StepFault.SLOW) {
            sleep(slowStepDelay);
            return false;
        }
        sleep(withJitter(mean));
        return switch (fault) {
            case null -> false;
            case FAIL -> true;
            case CRASH -> throw new IllegalStateException("simulated defect in the " + step + " step");
            case SLOW, FLAKY -> false;
        };
    }

    /** Whether {@code fault} asks this attempt to fail transiently: a flaky step fails its first attempt only. */
    static boolean flakyAttempt(StepFault fault, StepContext context) {
        return fault == StepFault.FLAKY && context.attempt() == 1;
    }

    boolean chance(double share) {
        return share > 0 && random.nextDouble() < share;
    }

    /**
     * Sleeps {@code duration}, or for one under a microsecond only answers a cancellation as a
     * sleep would: {@code Thread.sleep(0)} on a virtual thread yields it, a trip through the
     * scheduler that cost more than the rest of a zero-latency step.
     */
    private static void sleep(Duration duration) throws InterruptedException {
        if (duration.compareTo(ONE_MICROSECOND) >= 0) {
            Thread.sleep(duration);
        } else if (Thread.interrupted()) {
            throw new InterruptedException("cancelled before a zero-latency step");
        }
    }

    private Duration withJitter(Duration mean) {
        long jitterNanos = jitter.toNanos();
        if (jitterNanos == 0) {
            return mean;
        }
        long delta = random.nextLong(-jitterNanos, jitterNanos + 1);
        return Duration.ofNanos(Math.max(0, mean.toNanos() + delta));
    }
}
