package dev.orderpipeline.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every scenario holds the verifier's counts to, whatever fault it injected. */
final class Verdicts {

    private Verdicts() {
    }

    /**
     * Every valid order sent is on the topic and answered, every bad record dead-lettered, no key
     * reordered, everything committed; duplicates only where {@code mode} allows them.
     */
    static void assertDelivered(Oracle.Counts c, DeliveryMode mode, long validSent) {
        assertEquals(validSent, c.validOrders(), () -> "valid orders on the topic, verifier counts " + c);
        assertEquals(0, c.lost(), () -> "lost (no outcome / no dead letter), verifier counts " + c);
        if (mode.forbidsDuplicates()) {
            assertEquals(0, c.duplicated(), () -> "duplicated in " + mode.label() + ", verifier counts " + c);
        }
        assertEquals(0, c.outOfOrder(), () -> "keys answered out of order, verifier counts " + c);
        assertEquals(0, c.lag(), () -> "the group's lag once the last worker stopped, verifier counts " + c);
        assertTrue(c.passed(), () -> "the verifier's verdict, verifier counts " + c);
    }
}
