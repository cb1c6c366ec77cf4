package dev.orderpipeline.worker.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.orderpipeline.worker.config.SimulationSettings;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class SimulatedStepsTest {

    private static final Instant NOW = Instant.parse("2026-01-31T18:30:00Z");
    private static final OrderPlaced ORDER = SampleOrders.order("order-1", NOW, null, new Random(1));
    private static final StepContext CONTEXT = new StepContext(NOW.plusSeconds(5), "order-1",
            Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void zeroLatencyStep_answersAtOnce() throws Exception {
        VendorNotifier vendor = SimulatedSteps.vendor(SimulationSettings.fixedLatency(Duration.ZERO), new Random(1));

        assertEquals("ack-" + ORDER.vendorId(), vendor.notify(ORDER, CONTEXT));
    }

    /** Cancellation reaches a step whether or not it sleeps: it ends as a cancelled sleep would. */
    @ParameterizedTest(name = "latency {0} ns")
    @ValueSource(longs = {0, 999, 1_000_000})
    void cancelledStep_endsWithInterruptedException_andClearsTheFlag(long latencyNanos) {
        VendorNotifier vendor = SimulatedSteps.vendor(SimulationSettings.fixedLatency(Duration.ofNanos(latencyNanos)),
                new Random(1));

        Thread.currentThread().interrupt();

        assertThrows(InterruptedException.class, () -> vendor.notify(ORDER, CONTEXT));
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt was delivered, so it is cleared");
    }
}
