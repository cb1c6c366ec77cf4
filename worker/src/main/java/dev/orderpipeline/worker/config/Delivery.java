package dev.orderpipeline.worker.config;

/** What a consumer of {@code order-results} can rely on when workers crash, stop or rebalance. */
public enum Delivery {
    /**
     * Every order gets an outcome; after a crash, an order finished but not yet committed is
     * processed again and can get a second one. Offsets are committed after the outcomes are
     * acknowledged. The default: nothing waits for a transaction, and the downstream consumers
     * of outcomes de-duplicate by order id anyway.
     */
    AT_LEAST_ONCE,
    /**
     * Outcomes, dead letters and the consumed offsets are committed in one Kafka transaction
     * per commit interval: a {@code read_committed} consumer sees exactly one outcome per order,
     * also across crashes, aborts and rebalances. Outcomes become visible only when their
     * transaction commits, up to one commit interval later.
     */
    EXACTLY_ONCE;

    /** The option value: {@code at-least-once}, {@code exactly-once}. */
    public String option() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Reads an option value such as {@code exactly-once}; case and {@code -}/{@code _} do not matter. */
    public static Delivery parse(String value) {
        return valueOf(value.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
}
