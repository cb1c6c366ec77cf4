package dev.orderpipeline.kafkaadmin;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The wait's bounds, where no broker answers at all. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PartitionLeadersTest {

    /** Nothing listens on port 1: every Admin call fails to connect until its own timeout. */
    private static Admin unreachable() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"));
    }

    @Test
    void noBroker_endsAtTheDeadline_withATimeoutNamingTheTopics() {
        Admin admin = unreachable();
        try {
            long start = System.nanoTime();
            TimeoutException e = assertThrows(TimeoutException.class,
                    () -> PartitionLeaders.await(admin, List.of("orders", "order-results"), Duration.ofMillis(800)));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertTrue(e.getMessage().contains("[orders, order-results]"), e.getMessage());
            assertTrue(millis >= 800, "gave up before the deadline: " + millis + " ms");
            // Generous: a loaded 2-core machine; what matters is that it is bounded by the deadline, not by the
            // Admin client's own default timeout of 60 s.
            assertTrue(millis < 15_000, "took " + millis + " ms");
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    @Test
    void interrupt_endsTheWait_withTheInterruptedException() {
        Admin admin = unreachable();
        try {
            Thread.currentThread().interrupt();
            long start = System.nanoTime();
            assertThrows(InterruptedException.class,
                    () -> PartitionLeaders.await(admin, List.of("orders"), Duration.ofSeconds(20)));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 5_000, "waited " + millis + " ms despite the interrupt");
        } finally {
            Thread.interrupted();
            // The Admin call asked for still runs until its own timeout; do not wait for it.
            admin.close(Duration.ZERO);
        }
    }
}
