package dev.orderpipeline.worker.app;

import dev.orderpipeline.contract.Durations;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.worker.config.ConfigException;
import dev.orderpipeline.worker.config.Delivery;
import dev.orderpipeline.worker.config.EffectiveConfig.Setting;
import dev.orderpipeline.worker.config.EffectiveConfig.Source;
import dev.orderpipeline.worker.config.EffectiveConfig;
import dev.orderpipeline.worker.config.Ordering;
import dev.orderpipeline.worker.config.RetryOptions;
import dev.orderpipeline.worker.config.SimulationSettings;
import dev.orderpipeline.worker.config.StepServices;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.consume.PollLoop;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * {@code order-worker}: reads the command line and environment, starts the {@link Worker},
 * stops it on SIGTERM or Ctrl-C, and exits with a code that says how it ended.
 */
@Command(name = "order-worker", mixinStandardHelpOptions = true, version = "order-worker 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Consumes orders from Kafka, runs payment, vendor and courier for each at once under a "
                + "deadline, and publishes one outcome per order. Every option can also be set with the "
                + "environment variable shown, or in the --config file; a flag wins over the environment, "
                + "which wins over the file, which wins over the default.",
        exitCodeListHeading = "%nExit codes:%n")
public final class Main implements Callable<Integer> {

    // No static logger: initialising this class must not set up logging before main() has
    // taken over the stop signals (see main).

    @Option(names = LayeredDefaults.CONFIG_OPTION, paramLabel = "FILE",
            description = "Properties file with settings, one per line: the long option name without dashes "
                    + "(order-deadline=5s), or kafka.<client property>=value. Unknown keys are refused. Env: WORKER_CONFIG.")
    String configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka brokers. Env: KAFKA_BOOTSTRAP_SERVERS.")
    String bootstrapServers;

    @Option(names = "--embedded-broker",
            description = "Start a local single-node Kafka broker inside this process and use it (development only; "
                    + "topics are created).")
    boolean embeddedBroker;

    @Option(names = "--embedded-broker-port", defaultValue = "0", paramLabel = "PORT",
            description = "Port of the local broker; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int embeddedBrokerPort;

    @Option(names = "--orders-topic", defaultValue = "orders",
            description = "Topic to read orders from. Env: ORDERS_TOPIC (default: ${DEFAULT-VALUE}).")
    String ordersTopic;

    @Option(names = "--results-topic", defaultValue = "order-results",
            description = "Topic for outcomes. Env: RESULTS_TOPIC (default: ${DEFAULT-VALUE}).")
    String resultsTopic;

    @Option(names = "--dead-letter-topic", defaultValue = "orders.DLT",
            description = "Topic for records that are not valid orders. Env: DEAD_LETTER_TOPIC (default: ${DEFAULT-VALUE}).")
    String deadLetterTopic;

    @Option(names = "--group-id", defaultValue = "order-worker",
            description = "Consumer group; workers in one group share the partitions. Env: GROUP_ID (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--worker-id",
            description = "Names this instance in outcomes and logs. Env: WORKER_ID (default: host-pid).")
    String workerId;

    @Option(names = "--create-topics", defaultValue = "false",
            description = "Create the three topics at start-up if missing; without it a missing topic stops start-up "
                    + "with exit code 4. Env: CREATE_TOPICS (default: ${DEFAULT-VALUE}).")
    boolean createTopics;

    @Option(names = "--topic-partitions", defaultValue = "6",
            description = "Partitions of topics the worker creates. Env: TOPIC_PARTITIONS (default: ${DEFAULT-VALUE}).")
    int topicPartitions;

    @Option(names = "--order-deadline", defaultValue = "5s", paramLabel = "DURATION",
            description = "Time one order's three steps may take together; then all are cancelled and the order "
                    + "times out. Env: ORDER_DEADLINE (default: ${DEFAULT-VALUE}).")
    String orderDeadline;

    @Option(names = "--max-in-flight", defaultValue = "256",
            description = "Orders worked on at once; fetching pauses at this many. Env: MAX_IN_FLIGHT (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--ordering", defaultValue = "key", paramLabel = "MODE",
            description = "Which orders of a partition run at once: key (same key one after the other), partition "
                    + "(one at a time per partition), unordered. Env: ORDERING (default: ${DEFAULT-VALUE}).")
    String ordering;

    @Option(names = "--delivery", defaultValue = "at-least-once", paramLabel = "MODE",
            description = "at-least-once (offsets committed after the outcomes are acknowledged; a crash can repeat "
                    + "an outcome) or exactly-once (outcomes, dead letters and offsets in one Kafka transaction per "
                    + "commit interval; read_committed consumers see each outcome once). Env: DELIVERY (default: ${DEFAULT-VALUE}).")
    String delivery;

    @Option(names = "--drain-budget", defaultValue = "30s", paramLabel = "DURATION",
            description = "On SIGTERM, time in-flight orders get to finish. Env: DRAIN_BUDGET (default: ${DEFAULT-VALUE}).")
    String drainBudget;

    @Option(names = "--commit-interval", defaultValue = "1s", paramLabel = "DURATION",
            description = "How often finished offsets are committed. Env: COMMIT_INTERVAL (default: ${DEFAULT-VALUE}).")
    String commitInterval;

    @Option(names = "--courier-pool-size", defaultValue = "64",
            description = "Couriers shared by this worker's orders. Env: COURIER_POOL_SIZE (default: ${DEFAULT-VALUE}).")
    int courierPoolSize;

    @Option(names = "--max-order-bytes", defaultValue = "" + OrderCodec.DEFAULT_MAX_ORDER_BYTES,
            description = "Larger order records are dead-lettered. Env: MAX_ORDER_BYTES (default: ${DEFAULT-VALUE}).")
    int maxOrderBytes;

    @Option(names = "--retry-max-attempts", defaultValue = "3", paramLabel = "N",
            description = "Calls of one step per order, the first included, when it fails transiently (see --retry-on); "
                    + "1 turns retries off. Env: RETRY_MAX_ATTEMPTS (default: ${DEFAULT-VALUE}).")
    int retryMaxAttempts;

    @Option(names = "--retry-backoff", defaultValue = "50ms", paramLabel = "DURATION",
            description = "Cap of the first wait before a retry; it doubles per retry, the wait is drawn below it "
                    + "(full jitter). Env: RETRY_BACKOFF (default: ${DEFAULT-VALUE}).")
    String retryBackoff;

    @Option(names = "--retry-max-backoff", defaultValue = "1s", paramLabel = "DURATION",
            description = "Largest cap of a wait before a retry. Env: RETRY_MAX_BACKOFF (default: ${DEFAULT-VALUE}).")
    String retryMaxBackoff;

    @Option(names = "--retry-budget", defaultValue = "2s", paramLabel = "DURATION",
            description = "Total time one order's steps may wait between attempts; the order deadline bounds it too. "
                    + "Env: RETRY_BUDGET (default: ${DEFAULT-VALUE}).")
    String retryBudget;

    @Option(names = "--retry-on", defaultValue = "vendor_unavailable,no_courier_available", paramLabel = "CLASSES",
            description = "Error classes retried: any of vendor_unavailable, no_courier_available, timeout, or none. "
                    + "payment_declined, invalid_order and internal are never retried. Env: RETRY_ON (default: ${DEFAULT-VALUE}).")
    String retryOn;

    @Option(names = "--step-attempt-timeout", defaultValue = "off", paramLabel = "DURATION",
            description = "One step attempt taking longer fails as timeout (retried if timeout is in --retry-on); off: "
                    + "only the order deadline bounds it. Env: STEP_ATTEMPT_TIMEOUT (default: ${DEFAULT-VALUE}).")
    String stepAttemptTimeout;

    @Option(names = "--compensation-deadline", defaultValue = "2s", paramLabel = "DURATION",
            description = "Time the undos of a failed order (void the payment, retract the vendor notification) may "
                    + "take, after the order's own deadline. Env: COMPENSATION_DEADLINE (default: ${DEFAULT-VALUE}).")
    String compensationDeadline;

    @Option(names = "--step-latency", defaultValue = "20ms", paramLabel = "DURATION",
            description = "Simulated steps: mean latency of each step. Env: STEP_LATENCY (default: ${DEFAULT-VALUE}).")
    String stepLatency;

    @Option(names = "--step-jitter", defaultValue = "5ms", paramLabel = "DURATION",
            description = "Simulated steps: latency varies by up to this either way. Env: STEP_JITTER (default: ${DEFAULT-VALUE}).")
    String stepJitter;

    @Option(names = "--payment-decline-rate", defaultValue = "0",
            description = "Simulated steps: share of payments declined at random, 0..1. Env: PAYMENT_DECLINE_RATE (default: ${DEFAULT-VALUE}).")
    double paymentDeclineRate;

    @Option(names = "--vendor-outage-rate", defaultValue = "0",
            description = "Simulated steps: share of vendor calls failing at random, 0..1. Env: VENDOR_OUTAGE_RATE (default: ${DEFAULT-VALUE}).")
    double vendorOutageRate;

    @Option(names = "--connect-timeout", defaultValue = "30s", paramLabel = "DURATION",
            description = "At start-up, how long to wait for the Kafka cluster to answer before exiting with code 4. "
                    + "Env: CONNECT_TIMEOUT (default: ${DEFAULT-VALUE}).")
    String connectTimeout;

    @Option(names = "--http-port", defaultValue = "8080", paramLabel = "PORT",
            description = "Port of GET /metrics (Prometheus), /health/live and /health/ready; 0 picks a free one "
                    + "(logged). Env: HTTP_PORT (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--payment-url", paramLabel = "URL",
            description = "Base URL of the payment service; with --vendor-url and --courier-url the worker calls the "
                    + "three services over HTTP instead of simulating them. Env: PAYMENT_URL.")
    String paymentUrl;

    @Option(names = "--vendor-url", paramLabel = "URL", description = "Base URL of the vendor service. Env: VENDOR_URL.")
    String vendorUrl;

    @Option(names = "--courier-url", paramLabel = "URL", description = "Base URL of the courier service. Env: COURIER_URL.")
    String courierUrl;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
            description = "Extra Kafka client property for all clients, e.g. --kafka security.protocol=SASL_SSL. Repeatable.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    /** Environment and {@code --config} file under the flags; set before parsing. */
    private LayeredDefaults defaults;

    /** The stop signals: taken over by main() before parsing, else when the command runs. */
    private StopSignals signals;

    public static void main(String[] args) {
        // First of all: from here on SIGTERM and Ctrl-C are ours. Before this line the JVM's own
        // handler ends the process with 143; nothing of the worker has started then.
        StopSignals signals = StopSignals.install();
        int code;
        try {
            code = commandLine(System.getenv(), signals).execute(args);
        } catch (Throwable e) {
            // Not a known failure (those return their code): one line, and the process ends
            // instead of lingering on threads that start-up left behind.
            System.err.println("order-worker: stopped by an unexpected error: " + describe(e));
            code = ExitCode.FAILED.code();
        }
        System.exit(code);
    }

    /** Runs with the process environment. */
    static int run(String... args) {
        return run(System.getenv(), args);
    }

    /** Runs with {@code env} as the environment, so that tests can set it. */
    static int run(Map<String, String> env, String... args) {
        return commandLine(env).execute(args);
    }

    /**
     * The command line of a {@link Main} that reads {@code env} as its environment; it takes over
     * the stop signals only when it runs.
     */
    static CommandLine commandLine(Map<String, String> env) {
        return commandLine(env, null);
    }

    /** An exception and, if it has one, its root cause: the part that usually says what went wrong. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e + "; caused by " + root;
    }

    private static CommandLine commandLine(Map<String, String> env, StopSignals signals) {
        Main main = new Main();
        main.signals = signals;
        CommandLine cli = new CommandLine(main);
        cli.getCommandSpec().usageMessage().exitCodeList(ExitCode.helpList());
        main.defaults = new LayeredDefaults(env, cli.getCommandSpec());
        cli.setDefaultValueProvider(main.defaults);
        cli.setParameterExceptionHandler((e, argv) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("order-worker: " + e.getMessage() + " (see --help)");
            return ExitCode.CONFIG.code();
        });
        // Whatever call() did not turn into a code: one line, no trace (main adds nothing to it).
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("order-worker: stopped by an unexpected error: " + describe(e));
            return ExitCode.FAILED.code();
        });
        return cli;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (signals == null) {
            signals = StopSignals.install();
        }
        Optional<String> jvmProblem = PreviewCheck.problem();
        if (jvmProblem.isPresent()) {
            System.err.println("order-worker: " + jvmProblem.get());
            return ExitCode.CONFIG.code();
        }
        WorkerConfig config;
        try {
            config = config();
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("order-worker: invalid configuration: " + e.getMessage());
            return ExitCode.CONFIG.code();
        }
        if (signals.stopRequested()) {
            return stoppedDuringStartUp("before connecting");
        }
        // The line below tells whoever waits for the process that main() runs (and the signals are ours).
        log().info("effective configuration: {}", EffectiveConfig.describe(effectiveSettings()));
        Worker worker;
        try {
            worker = Worker.start(config, Clock.systemUTC());
        } catch (InterruptedException e) {
            if (!signals.stopRequested()) {
                throw e;
            }
            // Stopped before any order was taken: nothing to drain, a clean stop.
            return stoppedDuringStartUp("before taking any order");
        } catch (ConfigException e) {
            if (signals.stopRequested()) {
                return stoppedDuringStartUp(e.getMessage());
            }
            System.err.println("order-worker: invalid configuration: " + e.getMessage());
            return ExitCode.CONFIG.code();
        } catch (IllegalStateException e) {
            if (signals.stopRequested()) {
                return stoppedDuringStartUp(e.getMessage());
            }
            System.err.println("order-worker: " + e.getMessage());
            return ExitCode.KAFKA_UNAVAILABLE.code();
        } catch (RuntimeException e) {
            // A Kafka client interrupted while it was being set up throws its own unchecked kind.
            if (signals.stopRequested()) {
                return stoppedDuringStartUp(e.toString());
            }
            Optional<String> kafkaProblem = kafkaConfigProblem(e);
            if (kafkaProblem.isEmpty()) {
                throw e;
            }
            System.err.println("order-worker: invalid configuration: " + kafkaProblem.get());
            return ExitCode.CONFIG.code();
        }
        signals.started(worker);
        PollLoop.Exit exit = worker.awaitExit();
        worker.close();
        log().info("exit code {} ({})", ExitCode.of(exit).code(), exit);
        return ExitCode.of(exit).code();
    }

    /**
     * A Kafka client refused one of its properties (given with --kafka or as kafka.* in the file):
     * the property and the problem, without the value, which may be a secret. Kafka's message
     * reads "Invalid value V for configuration K[: problem]".
     */
    static Optional<String> kafkaConfigProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.config.ConfigException && t.getMessage() != null) {
                // Compiled here, not in a static field: Main's initialisation runs before main() takes over the signals.
                Matcher m = Pattern.compile("(?s)Invalid value .* for configuration (\\S+?)(?:: (.*))?").matcher(t.getMessage());
                return Optional.of(m.matches()
                        ? "--kafka " + m.group(1) + ": invalid value" + (m.group(2) == null ? "" : "; " + m.group(2))
                        : "--kafka: " + t.getMessage());
            }
        }
        return Optional.empty();
    }

    private static int stoppedDuringStartUp(String when) {
        log().info("exit code {} (stopped during start-up, {})", ExitCode.CLEAN.code(), when);
        return ExitCode.CLEAN.code();
    }

    private static Logger log() {
        return LoggerFactory.getLogger(Main.class);
    }

    WorkerConfig config() {
        Map<String, String> kafka = new LinkedHashMap<>(defaults.fileKafkaProperties());
        kafka.putAll(kafkaProperties);
        SimulationSettings simulation;
        Duration latency = duration("--step-latency (STEP_LATENCY)", stepLatency);
        try {
            simulation = new SimulationSettings(latency, latency, latency, duration("--step-jitter (STEP_JITTER)", stepJitter),
                    paymentDeclineRate, vendorOutageRate, SimulationSettings.DEFAULTS.slowStepDelay());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("simulated steps", e.getMessage());
        }
        // Parsed in the order of the options above, so that of two bad values the same one is named first.
        return WorkerConfig.builder()
                .bootstrapServers(bootstrapServers)
                .embeddedBroker(embeddedBroker)
                .embeddedBrokerPort(embeddedBrokerPort)
                .ordersTopic(ordersTopic)
                .resultsTopic(resultsTopic)
                .deadLetterTopic(deadLetterTopic)
                .groupId(groupId)
                .workerId(workerId == null || workerId.isBlank() ? defaults.defaultWorkerId() : workerId)
                .createTopics(createTopics)
                .topicPartitions(topicPartitions)
                .orderDeadline(duration("--order-deadline (ORDER_DEADLINE)", orderDeadline))
                .maxInFlight(maxInFlight)
                .ordering(ordering(ordering))
                .drainBudget(duration("--drain-budget (DRAIN_BUDGET)", drainBudget))
                .commitInterval(duration("--commit-interval (COMMIT_INTERVAL)", commitInterval))
                .courierPoolSize(courierPoolSize)
                .maxOrderBytes(maxOrderBytes)
                .simulation(simulation)
                .kafkaOverrides(kafka)
                .connectTimeout(duration("--connect-timeout (CONNECT_TIMEOUT)", connectTimeout))
                .httpPort(httpPort)
                .services(StepServices.of(paymentUrl, vendorUrl, courierUrl))
                .retry(RetryOptions.policy(retryMaxAttempts, retryBackoff, retryMaxBackoff, retryBudget, retryOn,
                        stepAttemptTimeout))
                .compensationDeadline(duration("--compensation-deadline (COMPENSATION_DEADLINE)", compensationDeadline))
                .delivery(delivery(delivery))
                .build();
    }

    private static Delivery delivery(String value) {
        try {
            return Delivery.parse(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException("--delivery (DELIVERY)", "\"" + value + "\" is not one of at-least-once, exactly-once");
        }
    }

    private static Ordering ordering(String value) {
        try {
            return Ordering.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException("--ordering (ORDERING)", "\"" + value + "\" is not one of key, partition, unordered");
        }
    }

    private static Duration duration(String key, String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    /**
     * Every option's value and where it came from, then the Kafka client properties (a flag
     * wins over the file line with the same key). Call after parsing; values are not masked yet.
     */
    List<Setting> effectiveSettings() {
        CommandSpec spec = defaults.spec();
        ParseResult parsed = spec.commandLine().getParseResult();
        List<Setting> settings = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            String name = option.longestName();
            if (option.usageHelp() || option.versionHelp() || option.isMultiValue()) {
                continue;
            }
            Source source = parsed.hasMatchedOption(option) ? Source.FLAG : defaults.sourceUnlessFlag(name);
            Object value = option.getValue();
            settings.add(new Setting(LayeredDefaults.fileKey(name), value == null ? null : String.valueOf(value), source));
        }
        Map<String, Setting> kafka = new TreeMap<>();
        defaults.fileKafkaProperties().forEach((k, v) -> kafka.put(k, new Setting("kafka." + k, v, Source.FILE)));
        kafkaProperties.forEach((k, v) -> kafka.put(k, new Setting("kafka." + k, v, Source.FLAG)));
        settings.addAll(kafka.values());
        return settings;
    }
}
