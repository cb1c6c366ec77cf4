package dev.orderpipeline.cli;

import dev.orderpipeline.cli.kafka.BrokerUnavailableException;
import dev.orderpipeline.cli.kafka.ClusterCheck;
import dev.orderpipeline.cli.kafka.GroupOffsets;
import dev.orderpipeline.cli.kafka.KafkaConnection;
import dev.orderpipeline.cli.kafka.TopicReader;
import dev.orderpipeline.cli.kafka.TopicRecord;
import dev.orderpipeline.cli.verify.DeliveryCheck;
import dev.orderpipeline.cli.verify.Verification;
import dev.orderpipeline.cli.verify.VerifyReport;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code order-cli verify}: check the topics for lost, duplicated, reordered and aborted deliveries. */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Check the topics for lost, duplicated, reordered and aborted deliveries.",
        description = {
                "Read the orders, results and dead-letter topics from their beginning up to their end offsets "
                        + "at start (read_committed), and the results topic once more with read_uncommitted; "
                        + "then report:",
                "  lost          valid orders without an outcome; malformed records that no",
                "                dead letter names (dlt.original.topic/partition/offset)",
                "  duplicated    ids with more outcomes than orders records carrying the id;",
                "                records dead-lettered more than once",
                "  out of order  keys with several orders whose first outcomes (matched by",
                "                orderCreatedAt) are not in the orders' offset order",
                "  aborted       outcomes only visible with read_uncommitted",
                "  warnings      malformed records with an order id but no rejected outcome",
                "and the consumer group's committed offsets and lag on the orders topic.",
                "",
                "Exit 0 when no order is lost (and, with --exactly-once, none is duplicated), else 1. "
                        + "Run it once the worker has caught up: an order still in flight counts as lost."},
        footer = {
                "  order-cli verify",
                "  order-cli verify --exactly-once --json"},
        sortOptions = false)
final class VerifyCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(200);

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--exactly-once", description = "Duplicates are failures too.")
    boolean exactlyOnce;

    @Option(names = "--allow-duplicates",
            description = "Duplicates are reported but allowed (at-least-once). The default.")
    boolean allowDuplicates;

    @Option(names = "--json", description = "Print one JSON object with every finding instead of the summary.")
    boolean json;

    @Option(names = "--group", paramLabel = "GROUP", defaultValue = "order-worker",
            description = "Consumer group whose committed offsets on the orders topic are shown. Default: ${DEFAULT-VALUE}.")
    String group;



    @Mixin
    PipelineTopicOptions topicNames;

    @ArgGroup(validate = false, heading = KafkaOptions.HEADING)
    KafkaOptions kafka = new KafkaOptions();

    VerifyCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (exactlyOnce && allowDuplicates) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--exactly-once and --allow-duplicates exclude each other");
        }
        Verification.Guarantee guarantee = exactlyOnce
                ? Verification.Guarantee.EXACTLY_ONCE : Verification.Guarantee.AT_LEAST_ONCE;
        KafkaConnection connection = kafka.connection(spec, context.environment());
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr(), context.clock());

        Map<String, Integer> partitions = ClusterCheck.partitionCounts(connection, topicNames.byOption());
        progress.say("reading " + topicNames.orders + ", " + topicNames.results + " and " + topicNames.deadLetters + " at "
                + connection.bootstrapServers() + " up to their current end");

        // The orders' end offsets are fixed first and the answers' after them, so every answer
        // written for an order that is read has had the time it took to get here to arrive.
        try (TopicReader orders = open(connection, partitions, topicNames.orders, TopicReader.Isolation.READ_COMMITTED)) {
            Map<Integer, GroupOffsets.Committed> committed = GroupOffsets.committed(connection, group, topicNames.orders);
            try (TopicReader results = open(connection, partitions, topicNames.results, TopicReader.Isolation.READ_COMMITTED);
                    TopicReader uncommitted = open(connection, partitions, topicNames.results,
                            TopicReader.Isolation.READ_UNCOMMITTED);
                    TopicReader deadLetters = open(connection, partitions, topicNames.deadLetters,
                            TopicReader.Isolation.READ_COMMITTED)) {
                List<TopicRecord> orderRecords = orders.readToEndOffsets(POLL);
                DeliveryCheck.History history = new DeliveryCheck.History(topicNames.orders, orderRecords,
                        results.readToEndOffsets(POLL), results.endOffsets(topicNames.results),
                        uncommitted.readToEndOffsets(POLL), deadLetters.readToEndOffsets(POLL));
                Verification verification = DeliveryCheck.check(history, new OrderCodec());
                VerifyReport.Topics names = new VerifyReport.Topics(topicNames.orders, topicNames.results, topicNames.deadLetters);
                VerifyReport.GroupLag lag = new VerifyReport.GroupLag(group, orders.endOffsets(topicNames.orders), committed);
                if (json) {
                    out.println(VerifyReport.json(verification, guarantee, names, lag));
                } else {
                    VerifyReport.lines(verification, guarantee, names, lag).forEach(out::println);
                }
                out.flush();
                return (verification.passed(guarantee) ? ExitCode.OK : ExitCode.CHECK_FAILED).code();
            }
        }
    }

    private static TopicReader open(KafkaConnection connection, Map<String, Integer> partitions, String topic,
            TopicReader.Isolation isolation) throws BrokerUnavailableException {
        return TopicReader.open(connection, Map.of(topic, partitions.get(topic)), TopicReader.Start.BEGINNING, isolation);
    }
}
