package dev.orderpipeline.benchmark.pc;

import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.StepName;
import dev.orderpipeline.worker.app.Pipelines;
import dev.orderpipeline.worker.config.ConfigException;
import dev.orderpipeline.worker.config.StepSettings;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.guard.ServiceGuards;
import dev.orderpipeline.worker.observe.GuardMeters;
import dev.orderpipeline.worker.observe.Metrics;
import dev.orderpipeline.worker.observe.WorkerMetrics;
import dev.orderpipeline.worker.pipeline.OrderPipeline;
import dev.orderpipeline.worker.pipeline.StepTracker;
import dev.orderpipeline.worker.publish.OutcomePublisher;
import dev.orderpipeline.worker.steps.CourierPool;
import dev.orderpipeline.worker.steps.PaymentLedger;
import dev.orderpipeline.worker.steps.SimulatedSteps;
import dev.orderpipeline.worker.trace.TraceHeaders;
import dev.orderpipeline.worker.trace.Tracing;
import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelConsumerOptions.CommitMode;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import io.confluent.parallelconsumer.internal.DrainingCloseable.DrainingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

/**
 * The worker's per-order pipeline run by Confluent Parallel Consumer (0.5.3.3) instead of the
 * worker's own poll loop: the peer a team would pick for key-ordered concurrency within a
 * partition, doing the same work per order ({@link OrderFunction}), so the benchmark compares the
 * engines.
 *
 * <p>What is chosen, and why:
 * <ul>
 *   <li>{@code pollAndProduceMany}: Parallel Consumer's own produce path, as its users write
 *       consume-process-produce (the many-records form, because an invalid order with a readable
 *       id is answered by a dead letter and a {@code rejected} outcome).</li>
 *   <li>{@code maxConcurrency} = {@code --max-in-flight}; {@code ordering} = {@code --ordering}.
 *       Parallel Consumer runs the user function on a pool of that many platform threads; left
 *       so, since that is what its users get. The order's steps still run on virtual threads, in
 *       the pipeline's structured scope.</li>
 *   <li>Commit mode {@code PERIODIC_CONSUMER_ASYNCHRONOUS}, Parallel Consumer's default, stated;
 *       every other option at Parallel Consumer's default.</li>
 *   <li>Clients: Kafka 3.9.1's defaults but for what the work needs (byte arrays in and out,
 *       earliest offsets for a group that starts after its backlog was written, auto-commit off
 *       as Parallel Consumer requires) and the worker's {@code linger.ms=5} and
 *       {@code read_committed}, so that batching and visibility are the worker's.</li>
 *   <li>On SIGTERM or SIGINT: Parallel Consumer is closed with {@code DONT_DRAIN}, which
 *       finishes the orders being processed, sends their results and commits, but starts none
 *       of those merely fetched (as the worker does on SIGTERM); then the counts, and exit 0
 *       (3 if that took longer than the worker's drain budget, 30 s).</li>
 * </ul>
 */
@Command(name = "order-benchmark-pc", mixinStandardHelpOptions = true,
        description = "The order pipeline run by Confluent Parallel Consumer, a benchmark peer of order-worker.")
public final class ParallelConsumerRunner {

    /** Time the orders in progress get to finish at a stop: the worker's default drain budget. */
    private static final Duration DRAIN_BUDGET = Duration.ofSeconds(30);

    @Mixin
    private RunnerFlags flags;

    private ParallelConsumerRunner() {
    }

    public static void main(String[] args) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        ParallelConsumerRunner runner = new ParallelConsumerRunner();
        CommandLine cli = new CommandLine(runner);
        try {
            CommandLine.ParseResult parsed = cli.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                System.exit(0);
            }
        } catch (CommandLine.ParameterException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        WorkerConfig config;
        try {
            config = runner.flags.config("parallel-consumer-" + ProcessHandle.current().pid());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(config, stop));
    }

    /**
     * Runs until {@code stop} opens, then closes Parallel Consumer gracefully. The exit code: 0,
     * 1 if Parallel Consumer failed on its own, 3 if it did not close within {@link #DRAIN_BUDGET}.
     */
    static int run(WorkerConfig config, CountDownLatch stop) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        Metrics meters = Metrics.create();
        WorkerMetrics metrics = new WorkerMetrics(meters.registry());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(config));
        Map<String, Object> producerProperties = producerProperties(config);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties);
        int maxRecordBytes = new ProducerConfig(producerProperties).getInt(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        OutcomePublisher records = new OutcomePublisher(producer, new OrderCodec(), config.topics().results(),
                config.topics().deadLetters(), config.kafka().workerId(), clock, maxRecordBytes, TraceHeaders.OFF);
        OrderFunction function = new OrderFunction(new OrderCodec(config.flow().maxOrderBytes()),
                pipeline(config, clock, metrics), records, metrics, clock);

        ParallelConsumerOptions<byte[], byte[]> options = ParallelConsumerOptions.<byte[], byte[]>builder()
                .consumer(consumer)
                .producer(producer)
                .maxConcurrency(config.flow().maxInFlight())
                .ordering(RunnerFlags.processingOrder(config.delivery().ordering()))
                .commitMode(CommitMode.PERIODIC_CONSUMER_ASYNCHRONOUS)
                .build();
        ParallelStreamProcessor<byte[], byte[]> pc = ParallelStreamProcessor.createEosStreamProcessor(options);
        AtomicBoolean started = new AtomicBoolean();
        pc.subscribe(List.of(config.topics().orders()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty() && started.compareAndSet(false, true)) {
                    System.out.println("parallel consumer started");
                }
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // Parallel Consumer finishes and commits what it owns of them itself.
            }
        });
        pc.pollAndProduceMany(function);

        // Parallel Consumer stops by itself when it fails (a user function never fails here; the
        // clients can): then this returns too, and the exit code says so.
        while (!stop.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
            if (pc.isClosedOrFailed()) {
                System.err.println("parallel consumer failed; see the log above");
                System.out.println("parallel consumer stopped: " + function.counts());
                return 1;
            }
        }
        int exitCode = 0;
        try {
            pc.close(DRAIN_BUDGET, DrainingMode.DONT_DRAIN);
        } catch (Exception e) {
            // Parallel Consumer throws its TimeoutException undeclared when its control loop has
            // not closed in time. The orders it had not committed are redone by the group's next
            // consumer: exit 3, as the worker does when its drain budget runs out.
            System.err.println("parallel consumer did not close within " + DRAIN_BUDGET + " (" + e + "); "
                    + "what it had not committed will be redone");
            exitCode = 3;
        }
        meters.close();
        System.err.println("failed orders by error class: " + function.failuresByErrorClass());
        System.out.println("parallel consumer stopped: " + function.counts());
        return exitCode;
    }

    /** The worker's pipeline over the steps it would build from {@code config}. */
    private static OrderPipeline pipeline(WorkerConfig config, Clock clock, WorkerMetrics metrics) {
        StepSettings steps = config.steps();
        StepTracker tracker = new StepTracker();
        CourierPool couriers = new CourierPool(steps.courierPoolSize());
        Random random = new Random();
        Tracing tracing = Tracing.off();
        if (steps.overHttp()) {
            ServiceGuards guards = new ServiceGuards(
                    List.of(StepName.PAYMENT.label(), StepName.VENDOR.label(), StepName.COURIER.label()),
                    steps.guarding(), config.flow().orderDeadline(), clock, new GuardMeters(metrics.registry()));
            return Pipelines.overHttp(config, guards, couriers, tracker, clock, random, metrics, tracing);
        }
        return Pipelines.of(config, SimulatedSteps.payment(steps.simulation(), random, new PaymentLedger()),
                SimulatedSteps.vendor(steps.simulation(), random),
                SimulatedSteps.courier(steps.simulation(), random, couriers), tracker, clock, random, metrics, tracing);
    }

    private static Map<String, Object> consumerProperties(WorkerConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.kafka().groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.kafka().workerId() + "-consumer");
        // Parallel Consumer commits itself, and refuses a consumer that auto-commits.
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // The benchmark writes a backlog before this group's first poll: read it all.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // As the worker: orders of an aborted transaction were never placed.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Bytes in, so that a record that is not an order is dead-lettered instead of failing poll().
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    private static Map<String, Object> producerProperties(WorkerConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, config.kafka().workerId() + "-producer");
        // The worker's linger (Kafka 4's default, 0 in 3.9): outcomes batch alike in both engines.
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }
}
