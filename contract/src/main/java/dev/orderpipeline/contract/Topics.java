package dev.orderpipeline.contract;

/** The default topic names, shared by the worker and the CLI. */
public final class Topics {

    public static final String ORDERS = "orders";
    public static final String RESULTS = "order-results";
    public static final String DEAD_LETTERS = "orders.DLT";

    /** The environment variable both the worker and the CLI read the broker address from. */
    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

    private Topics() {
    }
}
