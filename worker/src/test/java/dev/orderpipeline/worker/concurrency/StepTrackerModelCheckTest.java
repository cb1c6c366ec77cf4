package dev.orderpipeline.worker.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.worker.pipeline.StepTracker;
import java.lang.reflect.Method;
import java.time.Duration;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model-checks {@link StepTracker}: the count that proves no step thread leaks must stay exact
 * when steps enter and exit concurrently with a thread reading it.
 */
@Timeout(60)
class StepTrackerModelCheckTest {

    private static final String TRACKER = "dev.orderpipeline.worker.pipeline.StepTracker";
    // enter()/exit() are package-private: only the pipeline's scope calls them.
    private static final Method ENTER = Interleaved.method(TRACKER, "enter");
    private static final Method EXIT = Interleaved.method(TRACKER, "exit");
    private static final int STEPS = 3;

    @Test
    void concurrentEnterExit_countStaysInRange_endsAtZero_idle() {
        Lincheck.runConcurrentTest(/* invocations= */ 200, () -> {
            StepTracker tracker = new StepTracker();
            Runnable step = () -> {
                Interleaved.invoke(ENTER, tracker);
                int seen = tracker.running();
                assertTrue(seen >= 1 && seen <= STEPS, "a running step saw running()=" + seen);
                Interleaved.invoke(EXIT, tracker);
            };
            Runnable observer = () -> {
                int seen = tracker.running();
                assertTrue(seen >= 0 && seen <= STEPS, "observer saw running()=" + seen);
            };

            Interleaved.runInParallel(step, step, step, observer);

            assertEquals(0, tracker.running(), "steps still counted as running after all exited");
            try {
                assertTrue(tracker.awaitIdle(Duration.ZERO), "awaitIdle after all steps exited");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
    }
}
