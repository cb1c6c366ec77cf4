package dev.orderpipeline.worker.config;

/**
 * Where orders come from and where their answers go.
 *
 * @param orders      where orders come from
 * @param results     where outcomes go
 * @param deadLetters where records that are not valid orders go
 * @param create      create the three topics at start-up if they do not exist
 * @param partitions  partitions of topics this worker creates
 */
public record Topics(String orders, String results, String deadLetters, boolean create, int partitions) {

    /** {@code orders}, {@code order-results}, {@code orders.DLT}; not created; 6 partitions if they are. */
    public static final Topics DEFAULTS = new Topics("orders", "order-results", "orders.DLT", false, 6);

    public Topics {
        Checks.requireName("--orders-topic (ORDERS_TOPIC)", orders);
        Checks.requireName("--results-topic (RESULTS_TOPIC)", results);
        Checks.requireName("--dead-letter-topic (DEAD_LETTER_TOPIC)", deadLetters);
        if (orders.equals(results) || orders.equals(deadLetters) || results.equals(deadLetters)) {
            throw new ConfigException("--orders-topic/--results-topic/--dead-letter-topic",
                    "must be three different topics, got " + orders + ", " + results + ", " + deadLetters);
        }
        Checks.requireAtLeast("--topic-partitions (TOPIC_PARTITIONS)", partitions, 1);
    }
}
