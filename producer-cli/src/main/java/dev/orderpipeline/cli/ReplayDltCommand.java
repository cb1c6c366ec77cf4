package dev.orderpipeline.cli;

import dev.orderpipeline.cli.kafka.ClusterCheck;
import dev.orderpipeline.cli.kafka.KafkaConnection;
import dev.orderpipeline.cli.kafka.OrderSender;
import dev.orderpipeline.cli.kafka.SendResult;
import dev.orderpipeline.cli.kafka.TopicReader;
import dev.orderpipeline.cli.kafka.TopicRecord;
import dev.orderpipeline.cli.replay.DeadLetterSelection;
import dev.orderpipeline.cli.replay.Replays;
import dev.orderpipeline.cli.report.SendReport;
import dev.orderpipeline.contract.Durations;
import dev.orderpipeline.contract.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code order-cli replay-dlt}: send dead letters back to the orders topic once the cause is fixed. */
@Command(name = "replay-dlt",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Send dead letters back to the orders topic (dry run unless --execute).",
        description = {
                "Read the dead-letter topic from its beginning up to its end at start, pick the dead letters "
                        + "that match every filter given, and list them: key, dlt.problem, dlt.reason, the "
                        + "original record's topic/partition/offset and the dead letter's own.",
                "",
                "Nothing is sent without --execute. With it, each picked record goes to the orders topic "
                        + "with its original key and value, its original headers without the dlt.* ones, and "
                        + "two more: replay.of (topic/partition/offset of the dead letter) and replay.at."},
        footer = {
                "  order-cli replay-dlt                                   # list every dead letter",
                "  order-cli replay-dlt --problem MALFORMED_JSON --since 2h",
                "  order-cli replay-dlt --reason-contains currency --since 2026-11-27T08:00:00Z --execute"},
        sortOptions = false)
final class ReplayDltCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(200);

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--execute", description = "Send the picked records. Without it, only list them.")
    boolean execute;

    @Option(names = "--problem", paramLabel = "PROBLEM",
            description = "Only dead letters with this dlt.problem (MALFORMED_JSON, MISSING_FIELD, ...); repeatable.")
    List<String> problems = List.of();

    @Option(names = "--reason-contains", paramLabel = "TEXT",
            description = "Only dead letters whose dlt.reason contains TEXT, ignoring case.")
    String reasonContains;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only dead letters dead-lettered at or after TIME: ISO-8601 (2026-11-27T08:00:00Z) "
                    + "or a duration ago (2h, 30m).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only dead letters dead-lettered before TIME.")
    String until;

    @Option(names = "--dlt-topic", paramLabel = "TOPIC", defaultValue = Topics.DEAD_LETTERS,
            description = "Dead-letter topic to read. Default: ${DEFAULT-VALUE}.")
    String deadLetterTopic;

    @Option(names = "--orders-topic", paramLabel = "TOPIC", defaultValue = Topics.ORDERS,
            description = "Topic to replay to. Default: ${DEFAULT-VALUE}.")
    String ordersTopic;

    @ArgGroup(validate = false, heading = KafkaOptions.HEADING)
    KafkaOptions kafka = new KafkaOptions();

    ReplayDltCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Instant now = context.clock().instant();
        DeadLetterSelection selection;
        try {
            selection = new DeadLetterSelection(Set.copyOf(problems), reasonContains,
                    time("--since", since, now), time("--until", until, now));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        KafkaConnection connection = kafka.connection(spec, context.environment());
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr(), context.clock());

        Map<String, String> topics = new LinkedHashMap<>();
        topics.put(deadLetterTopic, "--dlt-topic");
        topics.put(ordersTopic, "--orders-topic");
        Map<String, Integer> partitions = ClusterCheck.partitionCounts(connection, topics);
        List<TopicRecord> all;
        try (TopicReader reader = TopicReader.open(connection, Map.of(deadLetterTopic, partitions.get(deadLetterTopic)),
                TopicReader.Start.BEGINNING)) {
            progress.say("reading " + deadLetterTopic + " at " + connection.bootstrapServers() + " up to its current end");
            all = reader.readToEndOffsets(POLL);
        }
        List<TopicRecord> picked = all.stream().filter(selection::accepts).toList();

        if (!execute) {
            out.println("dry run: " + picked.size() + " of " + all.size() + " dead letters on " + deadLetterTopic
                    + " would be replayed to " + ordersTopic + " (add --execute to send them)");
            picked.forEach(r -> out.println(Replays.line(r)));
            out.flush();
            return ExitCode.OK.code();
        }
        out.println("replaying " + picked.size() + " of " + all.size() + " dead letters on " + deadLetterTopic
                + " to " + ordersTopic);
        picked.forEach(r -> out.println(Replays.line(r)));
        Instant replayAt = context.clock().instant();
        List<OrderSender.OutgoingRecord> records = picked.stream().map(r -> new OrderSender.OutgoingRecord(
                ordersTopic, r.key(), r.value(), Replays.headers(r, replayAt))).toList();
        SendResult result;
        try (OrderSender sender = OrderSender.open(connection, context.clock())) {
            result = sender.sendRecords(records);
        }
        SendReport.lines(result, "dead letters from " + deadLetterTopic, ordersTopic).forEach(out::println);
        out.flush();
        return Sending.exitCode(result, progress).code();
    }

    /** ISO-8601, or a duration before {@code now}; {@code null} when not given. */
    private Instant time(String option, String text, Instant now) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException notAnInstant) {
            try {
                return now.minus(Durations.parse(text));
            } catch (IllegalArgumentException notADuration) {
                throw usage(option + " " + text + ": neither an ISO-8601 time (2026-11-27T08:00:00Z) "
                        + "nor a duration ago (2h)");
            }
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
