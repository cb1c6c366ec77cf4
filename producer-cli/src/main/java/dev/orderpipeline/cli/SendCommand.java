package dev.orderpipeline.cli;

import dev.orderpipeline.cli.kafka.ClusterCheck;
import dev.orderpipeline.cli.kafka.KafkaConnection;
import dev.orderpipeline.cli.kafka.OrderSender;
import dev.orderpipeline.cli.kafka.SendResult;
import dev.orderpipeline.cli.orders.OrderSource;
import dev.orderpipeline.cli.report.SendReport;
import dev.orderpipeline.contract.Topics;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code order-cli send}: put orders on the orders topic and wait for every acknowledgement. */
@Command(name = "send",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Send orders and wait until Kafka has acknowledged each one.",
        description = {
                "Send orders to the orders topic (acks=all, idempotent) and wait until Kafka has acknowledged "
                        + "every one. Progress goes to stderr, the summary to stdout.",
                "",
                "Generated orders take the scenario shares given; the rest are valid. Each record's key is its "
                        + "order id and its createdAt is the moment it is sent, or with --rate the moment it was "
                        + "due on the schedule."},
        footer = {
                "  order-cli send -b localhost:9092 -n 1000 --declines 0.1 --malformed 0.02",
                "  order-cli send -n 10 --seed 42 --key-space demo   # same ids, same orders",
                "  order-cli send --rate 200 --duration 30s          # 6000 orders, 200 a second",
                "  order-cli send --file orders.jsonl",
                "  jq -c '.orders[]' export.json | order-cli send --file -"},
        sortOptions = false)
final class SendCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--orders-topic", paramLabel = "TOPIC", defaultValue = Topics.ORDERS,
            description = "Topic to send the orders to. Default: ${DEFAULT-VALUE}.")
    String ordersTopic;

    @Mixin
    OrderInputOptions input;

    @ArgGroup(validate = false, heading = KafkaOptions.HEADING)
    KafkaOptions kafka = new KafkaOptions();

    SendCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        KafkaConnection connection = kafka.connection(spec, context.environment());
        OrderSource orders = input.open(context);
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr(), context.clock());

        ClusterCheck.partitionCounts(connection, Map.of(ordersTopic, "--orders-topic"));
        progress.say("sending " + orders.describe() + " to " + ordersTopic + " at " + connection.bootstrapServers());
        SendResult result;
        try (OrderSender sender = OrderSender.open(connection, context.clock())) {
            result = sender.sendAll(orders, orders.size(), ordersTopic,
                    Sending.showingProgress(progress, orders.size(), context.clock()), input.pacer(context));
        }
        SendReport.lines(result, orders.describe(), ordersTopic).forEach(out::println);
        out.flush();
        return Sending.exitCode(result, progress).code();
    }
}
