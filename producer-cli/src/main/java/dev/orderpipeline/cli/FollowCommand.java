package dev.orderpipeline.cli;

import dev.orderpipeline.cli.kafka.ClusterCheck;
import dev.orderpipeline.cli.kafka.KafkaConnection;
import dev.orderpipeline.cli.kafka.TopicReader;
import dev.orderpipeline.cli.kafka.TopicRecord;
import dev.orderpipeline.cli.report.FollowFilter;
import dev.orderpipeline.cli.report.FollowFormat;
import dev.orderpipeline.cli.report.FollowedEvent;
import dev.orderpipeline.contract.Durations;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code order-cli follow}: print outcomes (and dead letters) as they arrive, one line each. */
@Command(name = "follow",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Print outcomes (and dead letters) as they arrive, one line each.",
        description = {
                "Tail the results topic, and with --dead-letters the dead-letter topic, from their end (or "
                        + "--from-beginning). Each event is one line: time, order id, status, error class, "
                        + "per-step status and duration, and latency from createdAt to the worker's decision. "
                        + "--json prints each outcome as the worker wrote it, and each dead letter as a JSON "
                        + "object with key, headers and the base64 value.",
                "",
                "Runs until Ctrl-C, --max events or --idle-timeout without one. Filters of the same kind "
                        + "are or-ed, different kinds and-ed; dead letters have no status, so --status hides them."},
        footer = {
                "  order-cli follow --dead-letters",
                "  order-cli follow --status failed --error-class timeout --error-class vendor_unavailable",
                "  order-cli follow --from-beginning --order-id demo-000042 --max 1 --idle-timeout 5s",
                "  order-cli follow --json --dead-letters | jq -r 'select(.headers) | .key'"},
        sortOptions = false)
final class FollowCommand implements Callable<Integer> {

    private static final Duration MAX_POLL = Duration.ofMillis(200);
    /** How long a Ctrl-C waits for the loop to print its last line and close the consumer. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--dead-letters", description = "Also follow the dead-letter topic.")
    boolean deadLetters;

    @Option(names = "--from-beginning", description = "Start at the oldest record the topics still hold, not at their end.")
    boolean fromBeginning;

    @Option(names = "--status", paramLabel = "STATUS",
            description = "Only outcomes with this status (succeeded, failed, rejected); repeatable.")
    List<String> statuses = List.of();

    @Option(names = "--error-class", paramLabel = "CODE",
            description = "Only events with this error class (payment_declined, timeout, invalid_order, ...); "
                    + "repeatable.")
    List<String> errorClasses = List.of();

    @Option(names = "--order-id", paramLabel = "ID", description = "Only events for this order id (key); repeatable.")
    List<String> orderIds = List.of();

    @Option(names = "--json", description = "One JSON object per line, for scripts.")
    boolean json;

    @Option(names = "--max", paramLabel = "N", description = "Stop after printing N events.")
    Long max;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop when no event was printed for this long.")
    Duration idleTimeout;

    @Option(names = "--results-topic", paramLabel = "TOPIC", defaultValue = Topics.RESULTS,
            description = "Topic the outcomes appear on. Default: ${DEFAULT-VALUE}.")
    String resultsTopic;

    @Option(names = "--dlt-topic", paramLabel = "TOPIC", defaultValue = Topics.DEAD_LETTERS,
            description = "Dead-letter topic, read with --dead-letters. Default: ${DEFAULT-VALUE}.")
    String deadLetterTopic;

    @ArgGroup(validate = false, heading = KafkaOptions.HEADING)
    KafkaOptions kafka = new KafkaOptions();

    FollowCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        FollowFilter filter = new FollowFilter(parseStatuses(), parseErrorClasses(), Set.copyOf(orderIds));
        if (max != null && max < 1) {
            throw usage("--max must be at least 1, got " + max);
        }
        if (idleTimeout != null && idleTimeout.isZero()) {
            throw usage("--idle-timeout must be positive");
        }
        KafkaConnection connection = kafka.connection(spec, context.environment());
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr(), context.clock());

        Map<String, String> topics = new LinkedHashMap<>();
        topics.put(resultsTopic, "--results-topic");
        if (deadLetters) {
            topics.put(deadLetterTopic, "--dlt-topic");
        }
        Map<String, Integer> partitions = ClusterCheck.partitionCounts(connection, topics);
        TopicReader.Start start = fromBeginning ? TopicReader.Start.BEGINNING : TopicReader.Start.END;
        try (TopicReader reader = TopicReader.open(connection, partitions, start)) {
            progress.say("following " + String.join(" and ", topics.keySet()) + " at " + connection.bootstrapServers()
                    + (fromBeginning ? " from the beginning" : " from the end") + " (Ctrl-C to stop)");
            StopOnShutdown stop = new StopOnShutdown(reader);
            try {
                long printed = print(reader, filter, out, stop);
                progress.say("stopped after " + printed + " events" + (stop.requested ? " (interrupted)" : ""));
            } finally {
                stop.done();
            }
        }
        return ExitCode.OK.code();
    }

    /** Prints matching events until --max, --idle-timeout or Ctrl-C; returns how many it printed. */
    private long print(TopicReader reader, FollowFilter filter, PrintWriter out, StopOnShutdown stop) throws Exception {
        OrderCodec codec = new OrderCodec();
        Duration poll = idleTimeout == null || idleTimeout.compareTo(MAX_POLL) > 0 ? MAX_POLL : idleTimeout;
        long printed = 0;
        Instant lastEvent = context.clock().instant();
        while (!stop.requested) {
            for (TopicRecord record : reader.poll(poll)) {
                FollowedEvent event = FollowedEvent.of(record, resultsTopic, codec);
                if (!filter.accepts(event)) {
                    continue;
                }
                out.println(json ? FollowFormat.json(event) : FollowFormat.human(event));
                out.flush();
                printed++;
                lastEvent = context.clock().instant();
                if (max != null && printed >= max) {
                    return printed;
                }
            }
            if (idleTimeout != null && !context.clock().instant().isBefore(lastEvent.plus(idleTimeout))) {
                spec.commandLine().getErr().println("order-cli: no event for " + Durations.format(idleTimeout));
                return printed;
            }
        }
        return printed;
    }

    /**
     * Ctrl-C: the JVM runs this hook, which wakes the poll and waits until the loop has finished
     * its line and closed the consumer. Removed again when the loop ends by itself.
     */
    private static final class StopOnShutdown {
        // Written by the shutdown hook thread, read by the command thread.
        volatile boolean requested;
        private final CountDownLatch finished = new CountDownLatch(1);
        private final Thread hook;

        StopOnShutdown(TopicReader reader) {
            hook = Thread.ofPlatform().name("order-cli-follow-stop").unstarted(() -> {
                requested = true;
                reader.wakeup();
                try {
                    finished.await(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
        }

        void done() {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook is running and waits for finished.
            }
        }
    }

    private Set<OrderStatus> parseStatuses() {
        Set<OrderStatus> parsed = EnumSet.noneOf(OrderStatus.class);
        for (String s : statuses) {
            try {
                parsed.add(OrderStatus.valueOf(s.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw usage("--status " + s + ": not one of " + Arrays.stream(OrderStatus.values())
                        .map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
            }
        }
        return parsed;
    }

    private Set<ErrorClass> parseErrorClasses() {
        Set<ErrorClass> parsed = EnumSet.noneOf(ErrorClass.class);
        for (String code : errorClasses) {
            parsed.add(ErrorClass.fromCode(code.strip().toLowerCase(Locale.ROOT)).orElseThrow(() -> usage(
                    "--error-class " + code + ": not one of " + Arrays.stream(ErrorClass.values())
                            .map(ErrorClass::code).collect(Collectors.joining(", ")))));
        }
        return parsed;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
