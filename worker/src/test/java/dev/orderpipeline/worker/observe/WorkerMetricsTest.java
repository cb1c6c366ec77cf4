package dev.orderpipeline.worker.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.orderpipeline.contract.StepName;
import dev.orderpipeline.worker.pipeline.AttemptResult;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The meters the dashboard's step panels read, fed the way the composition root feeds them. */
@Timeout(10)
class WorkerMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkerMetrics metrics = new WorkerMetrics(registry);

    @Test
    void everyAttemptResultOfThePipeline_isRecorded_underItsOwnResultTag() {
        for (AttemptResult result : AttemptResult.values()) {
            metrics.stepAttempt(StepName.VENDOR, result.label(), Duration.ofMillis(40));
        }

        for (AttemptResult result : AttemptResult.values()) {
            Timer timer = registry.get("step.attempt.duration").tag("step", "vendor").tag("result", result.label()).timer();
            assertEquals(1, timer.count(), () -> "calls that ended " + result);
            assertEquals(40, timer.totalTime(TimeUnit.MILLISECONDS), 0.001, () -> "time of calls that ended " + result);
        }
        assertThrows(IllegalArgumentException.class, () -> metrics.stepAttempt(StepName.VENDOR, "exploded", Duration.ZERO));
    }

    @Test
    void stepThreadsGauge_readsTheTrackerAtEachScrape() {
        AtomicInteger running = new AtomicInteger(3);
        metrics.bindStepThreads(running::get);

        assertEquals(3, registry.get("step.threads.running").gauge().value());
        running.set(0);
        assertEquals(0, registry.get("step.threads.running").gauge().value());
    }
}
