package dev.orderpipeline.worker.pipeline;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts step threads that are running right now, the Go design's goroutine tracker. The JDK
 * cannot list virtual threads ({@code Thread.getAllStackTraces()} omits them), so this count
 * is how tests and the shutdown log prove that no step is left running. Thread-safe.
 */
public final class StepTracker {

    private final AtomicInteger running = new AtomicInteger();

    void enter() {
        running.incrementAndGet();
    }

    void exit() {
        running.decrementAndGet();
    }

    /** Step threads between their first and last instruction right now. */
    public int running() {
        return running.get();
    }

    /**
     * Waits until no step runs, at most {@code timeout}.
     *
     * @return whether none runs
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running.get() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
