package dev.orderpipeline.cli;

import dev.orderpipeline.cli.kafka.BrokerUnavailableException;
import dev.orderpipeline.cli.kafka.ClusterCheck;
import dev.orderpipeline.cli.kafka.EndOffsets;
import dev.orderpipeline.cli.kafka.KafkaConnection;
import dev.orderpipeline.cli.kafka.OrderSender;
import dev.orderpipeline.cli.kafka.ResultConsumer;
import dev.orderpipeline.cli.kafka.SendResult;
import dev.orderpipeline.cli.orders.OrderSource;
import dev.orderpipeline.cli.orders.OutgoingOrder;
import dev.orderpipeline.cli.report.OutcomeTracker;
import dev.orderpipeline.cli.report.OutcomeTracker.Completion;
import dev.orderpipeline.cli.report.RunReport;
import dev.orderpipeline.cli.report.RunSummary;
import dev.orderpipeline.cli.report.SendReport;
import dev.orderpipeline.contract.Durations;
import dev.orderpipeline.contract.Topics;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code order-cli run}: send like {@code send}, then wait for every order's answer, and report
 * what came back and how long it took.
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Send orders, wait for their outcomes, report counts and latency.",
        description = {
                "Send orders like 'send', then wait for the answer to each: an outcome on the results topic "
                        + "for a valid order (matched by orderId), the record on the dead-letter topic for a "
                        + "malformed one (matched by key). Reading starts at the end of both topics before the "
                        + "first order is sent, so no answer is missed; answers for other orders are ignored.",
                "",
                "Prints counts by status, error class, dead-letter problem and scenario, end-to-end latency "
                        + "percentiles (createdAt, stamped at send, to the moment the answer is read) with a "
                        + "histogram, duplicate answers, and the orders still missing at --timeout (exit 75).",
                "",
                "Once every order is answered, it keeps reading until it has read everything already on both "
                        + "topics at that moment (for at most 5s, and never past --timeout), so that a second "
                        + "answer already written is reported as a duplicate."},
        footer = {
                "  order-cli run -n 500 --declines 0.1 --slow-couriers 0.05 --malformed 0.02",
                "  order-cli run --file orders.jsonl --allow-invalid --timeout 2m"},
        sortOptions = false)
final class RunCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long to wait for the answers after the last record is acked. Default: ${DEFAULT-VALUE}.")
    Duration timeout;



    @Mixin
    PipelineTopicOptions topicNames;

    @Mixin
    OrderInputOptions input;

    @ArgGroup(validate = false, heading = KafkaOptions.HEADING)
    KafkaOptions kafka = new KafkaOptions();

    RunCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be positive");
        }
        KafkaConnection connection = kafka.connection(spec, context.environment());
        OrderSource orders = input.open(context, /* severalOrdersPerKey= */ false);
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr(), context.clock());

        Map<String, Integer> partitions = ClusterCheck.partitionCounts(connection, topicNames.byOption());

        OutcomeTracker tracker = new OutcomeTracker();
        SendResult sent;
        Completion completion;
        Duration waited;
        try (ResultConsumer results = ResultConsumer.start(connection, topicNames.results, topicNames.deadLetters, partitions,
                tracker, context.clock())) {
            progress.say("sending " + orders.describe() + " to " + topicNames.orders + " at " + connection.bootstrapServers());
            try (OrderSender sender = OrderSender.open(connection, context.clock())) {
                sent = sender.sendAll(orders, orders.size(), topicNames.orders,
                        tracking(tracker, progress, orders.size(), context.clock()), input.pacer(context));
            }
            tracker.allSent();
            SendReport.lines(sent, orders.describe(), topicNames.orders).forEach(out::println);
            out.flush();
            progress.say("waiting up to " + Durations.format(timeout) + " for the answers on " + topicNames.results
                    + " and " + topicNames.deadLetters);
            Instant waitStart = context.clock().instant();
            long deadline = System.nanoTime() + timeout.toNanos();
            completion = awaitAnswers(tracker, progress, deadline);
            waited = Duration.between(waitStart, context.clock().instant());
            if (completion instanceof Completion.AllAnswered) {
                catchUp(results, progress, deadline);
            }
        }

        RunSummary summary = tracker.summary();
        RunReport.lines(summary, topicNames.results, topicNames.deadLetters, waited, timeout).forEach(out::println);
        out.flush();
        return exitCode(completion, sent, summary, progress).code();
    }

    /** Waits in slices of the progress interval, so that a long wait shows how far it got. */
    private Completion awaitAnswers(OutcomeTracker tracker, Progress progress, long deadline) throws InterruptedException {
        while (true) {
            long left = deadline - System.nanoTime();
            Completion completion = tracker.awaitAnswers(Duration.ofNanos(Math.max(0, Math.min(left, Progress.INTERVAL.toNanos()))));
            if (!(completion instanceof Completion.TimedOut) || left <= Progress.INTERVAL.toNanos()) {
                return completion;
            }
            progress.maybe(() -> {
                OutcomeTracker.Counts counts = tracker.counts();
                return "answers " + counts.answered() + "/" + counts.owed();
            });
        }
    }

    /**
     * Every order has its answer, but more answers may already be on the broker (a second
     * outcome for some order, in a later fetch): read up to the end offsets as they are now, so
     * that every answer already written is counted and duplicates are not under-reported.
     */
    private static void catchUp(ResultConsumer results, Progress progress, long deadline) throws InterruptedException {
        Duration grace = EndOffsets.catchUpGrace(Duration.ofNanos(deadline - System.nanoTime()));
        if (!results.catchUp(grace)) {
            progress.say("note: could not read up to the end of the results and dead-letter topics within "
                    + Durations.format(grace) + "; answers still unread (duplicates, say) are not in the report");
        }
    }

    private static OrderSender.Observer tracking(OutcomeTracker tracker, Progress progress, long planned, Clock clock) {
        OrderSender.Observer showing = Sending.showingProgress(progress, planned, clock);
        return new OrderSender.Observer() {
            @Override
            public void sending(OutgoingOrder order, Instant createdAt) {
                tracker.expect(order, createdAt);
            }

            @Override
            public void failed(OutgoingOrder order, Exception error) {
                tracker.sendFailed(order.key());
            }

            @Override
            public void progress(long sent, long acked, long failed) {
                showing.progress(sent, acked, failed);
            }
        };
    }

    private ExitCode exitCode(Completion completion, SendResult sent, RunSummary summary, Progress progress) {
        if (!summary.duplicates().isEmpty()) {
            progress.say("warning: " + summary.duplicates().size() + " orders were answered more than once");
        }
        return switch (completion) {
            case Completion.ConsumerFailed failed -> {
                progress.say("stopped reading the answers: " + (failed.cause() instanceof BrokerUnavailableException kafka
                        ? kafka.getMessage() : failed.cause().toString()));
                yield ExitCode.of(failed.cause());
            }
            case Completion.AllAnswered all -> Sending.exitCode(sent, progress);
            case Completion.TimedOut timedOut -> {
                ExitCode sendCode = Sending.exitCode(sent, progress);
                if (sendCode != ExitCode.OK) {
                    yield sendCode;
                }
                progress.say(summary.missing().size() + " of " + (summary.expectedOutcomes() + summary.expectedDeadLetters())
                        + " orders got no answer within " + Durations.format(timeout) + " (listed under 'missing')");
                yield ExitCode.TEMP_FAILURE;
            }
        };
    }
}
