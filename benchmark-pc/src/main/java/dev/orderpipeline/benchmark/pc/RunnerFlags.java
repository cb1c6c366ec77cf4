package dev.orderpipeline.benchmark.pc;

import dev.orderpipeline.contract.Durations;
import dev.orderpipeline.worker.config.ConfigException;
import dev.orderpipeline.worker.config.Ordering;
import dev.orderpipeline.worker.config.ServiceGuarding;
import dev.orderpipeline.worker.config.SimulationSettings;
import dev.orderpipeline.worker.config.StepServices;
import dev.orderpipeline.worker.config.WorkerConfig;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The runner's options: the worker's names and meanings for the few that the benchmark varies,
 * every other setting of the pipeline at the worker's default. A picocli mixin of
 * {@link ParallelConsumerRunner}; read on the main thread, at start-up only.
 */
final class RunnerFlags {

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT", description = "Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--orders-topic", defaultValue = "orders",
            description = "Topic to read orders from (default: ${DEFAULT-VALUE}).")
    String ordersTopic;

    @Option(names = "--results-topic", defaultValue = "order-results",
            description = "Topic for outcomes (default: ${DEFAULT-VALUE}).")
    String resultsTopic;

    @Option(names = "--dead-letter-topic", defaultValue = "orders.DLT",
            description = "Topic for records that are not valid orders (default: ${DEFAULT-VALUE}).")
    String deadLetterTopic;

    @Option(names = "--group-id", defaultValue = "order-benchmark-pc",
            description = "Consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--max-in-flight", defaultValue = "256",
            description = "Parallel Consumer's maxConcurrency: orders worked on at once, each on a platform thread of "
                    + "its pool (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--ordering", defaultValue = "key", paramLabel = "MODE",
            description = "Parallel Consumer's ProcessingOrder: key, partition or unordered (default: ${DEFAULT-VALUE}).")
    String ordering;

    @Option(names = "--order-deadline", defaultValue = "5s", paramLabel = "DURATION",
            description = "Time one order's three steps may take together (default: ${DEFAULT-VALUE}).")
    String orderDeadline;

    @Option(names = "--step-latency", defaultValue = "20ms", paramLabel = "DURATION",
            description = "Simulated steps: mean latency of each step (default: ${DEFAULT-VALUE}).")
    String stepLatency;

    @Option(names = "--step-jitter", defaultValue = "5ms", paramLabel = "DURATION",
            description = "Simulated steps: latency varies by up to this either way (default: ${DEFAULT-VALUE}).")
    String stepJitter;

    @Option(names = "--courier-pool-size", defaultValue = "64",
            description = "Couriers shared by this process's orders (default: ${DEFAULT-VALUE}).")
    int courierPoolSize;

    @Option(names = "--payment-url", paramLabel = "URL",
            description = "Base URL of the payment service; with --vendor-url and --courier-url the steps are the "
                    + "worker's HTTP steps instead of simulated ones.")
    String paymentUrl;

    @Option(names = "--vendor-url", paramLabel = "URL", description = "Base URL of the vendor service.")
    String vendorUrl;

    @Option(names = "--courier-url", paramLabel = "URL", description = "Base URL of the courier service.")
    String courierUrl;

    /**
     * The worker's configuration with these flags, and everything else at the worker's defaults
     * (retries, compensation deadline, size cap, bulkheads) but for the circuit breakers, which
     * are off: in the worker an open breaker pauses fetching, a hook Parallel Consumer does not
     * have, so here it would only fail orders sooner than the worker ever does. The bulkheads stay,
     * so each service sees as many calls at once as from the worker.
     *
     * @throws ConfigException naming the first wrong flag
     */
    WorkerConfig config(String workerId) {
        Duration latency = duration("--step-latency", stepLatency);
        SimulationSettings simulation;
        try {
            simulation = new SimulationSettings(latency, latency, latency, duration("--step-jitter", stepJitter),
                    0.0, 0.0, SimulationSettings.DEFAULTS.slowStepDelay());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("simulated steps", e.getMessage());
        }
        ServiceGuarding d = ServiceGuarding.DEFAULTS;
        return WorkerConfig.builder()
                .bootstrapServers(bootstrapServers)
                .ordersTopic(ordersTopic)
                .resultsTopic(resultsTopic)
                .deadLetterTopic(deadLetterTopic)
                .groupId(groupId)
                .workerId(workerId)
                .orderDeadline(duration("--order-deadline", orderDeadline))
                .maxInFlight(maxInFlight)
                .ordering(ordering())
                .courierPoolSize(courierPoolSize)
                .simulation(simulation)
                .services(StepServices.of(paymentUrl, vendorUrl, courierUrl))
                .guarding(new ServiceGuarding(/* breakers= */ false, d.failureRatePercent(), d.window(), d.openWait(),
                        d.probes(), d.longestPause(), d.maxCalls()))
                .build();
    }

    /** The worker's ordering mode as Parallel Consumer's: the same three meanings. */
    static ProcessingOrder processingOrder(Ordering ordering) {
        return switch (ordering) {
            case KEY -> ProcessingOrder.KEY;
            case PARTITION -> ProcessingOrder.PARTITION;
            case UNORDERED -> ProcessingOrder.UNORDERED;
        };
    }

    private Ordering ordering() {
        try {
            return Ordering.valueOf(ordering.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException("--ordering", "\"" + ordering + "\" is not one of key, partition, unordered");
        }
    }

    private static Duration duration(String key, String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }
}
