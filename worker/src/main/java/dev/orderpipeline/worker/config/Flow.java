package dev.orderpipeline.worker.config;

import dev.orderpipeline.contract.OrderCodec;
import java.time.Duration;

/**
 * How much work the worker takes on, and how long each piece of it may take.
 *
 * @param maxInFlight          orders worked on at once, over all partitions; fetching pauses at this many
 * @param orderDeadline        how long one order's three steps may take together
 * @param compensationDeadline how long undoing the succeeded steps of a failed order may take
 * @param drainBudget          on SIGTERM, how long in-flight orders may take to finish
 * @param maxOrderBytes        larger order records are dead-lettered as oversized
 */
public record Flow(int maxInFlight, Duration orderDeadline, Duration compensationDeadline, Duration drainBudget,
                   int maxOrderBytes) {

    /** 256 orders at once, 5 s each, 2 s for undos, 30 s to drain, 64 KiB per order. */
    public static final Flow DEFAULTS = new Flow(256, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(30),
            OrderCodec.DEFAULT_MAX_ORDER_BYTES);

    public Flow {
        Checks.requireAtLeast("--max-in-flight (MAX_IN_FLIGHT)", maxInFlight, 1);
        Checks.requirePositive("--order-deadline (ORDER_DEADLINE)", orderDeadline);
        Checks.requirePositive("--compensation-deadline (COMPENSATION_DEADLINE)", compensationDeadline);
        Checks.requirePositive("--drain-budget (DRAIN_BUDGET)", drainBudget);
        Checks.requireAtLeast("--max-order-bytes (MAX_ORDER_BYTES)", maxOrderBytes, 1024);
    }
}
