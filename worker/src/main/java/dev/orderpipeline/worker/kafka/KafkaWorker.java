package dev.orderpipeline.worker.kafka;

import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.kafkaadmin.PartitionLeaders;
import dev.orderpipeline.worker.commit.AtLeastOnceCommitter;
import dev.orderpipeline.worker.commit.Committer;
import dev.orderpipeline.worker.commit.TransactionalCommitter;
import dev.orderpipeline.worker.config.DeliverySettings;
import dev.orderpipeline.worker.config.Flow;
import dev.orderpipeline.worker.config.KafkaConnection;
import dev.orderpipeline.worker.config.Topics;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.consume.PollLoop;
import dev.orderpipeline.worker.guard.StartGate;
import dev.orderpipeline.worker.observe.PollHealth;
import dev.orderpipeline.worker.observe.WorkerMetrics;
import dev.orderpipeline.worker.offsets.GroupCommits;
import dev.orderpipeline.worker.pipeline.OrderPipeline;
import dev.orderpipeline.worker.publish.OrderHandler;
import dev.orderpipeline.worker.publish.OutcomePublisher;
import dev.orderpipeline.worker.trace.Tracing;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's Kafka side: its consumer, producer and poll thread, wired around an
 * {@link OrderPipeline}. The client properties, each with its reason, are in {@link ClientProperties}.
 *
 * <p>Built and started on the caller's thread, which never touches the consumer afterwards: from
 * {@link #start} on, only the {@code order-poll} platform thread it starts (the {@link PollLoop})
 * does, but for the metrics binder's reads of the thread-safe {@code metrics()}. Stopping and the
 * load figures are safe from any thread.
 */
public final class KafkaWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaWorker.class);


    /**
     * The configuration groups the Kafka side needs: where to connect, what to read and write,
     * and how the loop behaves.
     *
     * @param kafka the cluster as it is reached now: with {@code --embedded-broker}, the local
     *              broker's address
     */
    public record Settings(KafkaConnection kafka, Topics topics, DeliverySettings delivery, Flow flow) {

        /** The groups of {@code config}, connecting to {@code bootstrapServers}. */
        public static Settings of(WorkerConfig config, String bootstrapServers) {
            return new Settings(config.kafka().withBootstrapServers(bootstrapServers), config.topics(), config.delivery(),
                    config.flow());
        }

        /** The groups of {@code config}, connecting where it says. */
        public static Settings of(WorkerConfig config) {
            return of(config, config.kafka().bootstrapServers());
        }

        String bootstrapServers() {
            return kafka.bootstrapServers();
        }

        String workerId() {
            return kafka.workerId();
        }

        Map<String, String> overrides() {
            return kafka.overrides();
        }
    }

    /**
     * How often the client binders look for client metrics that appeared since: a partition's
     * records-lag exists only once the partition is assigned and fetched. Micrometer's default,
     * a minute, would leave a new partition off the dashboard for that long; a look is a walk
     * over the client's metric map, cheap at this rate.
     */
    private static final Duration CLIENT_METRICS_REFRESH = Duration.ofSeconds(5);

    private final KafkaProducer<byte[], byte[]> producer;
    /** Reads the group's commits of newly assigned partitions for the poll loop: see {@link GroupCommits}. */
    private final Admin commitReader;
    private final PollLoop loop;
    private final Thread pollThread;
    private final WorkerMetrics metrics;
    // The clients' own metrics (records-lag-max, request rates, ...). Each binder reads its
    // client's metrics() from its own thread, which unlike the rest of the consumer is thread-safe.
    private final KafkaClientMetrics producerMetrics;
    private final KafkaClientMetrics consumerMetrics;
    // The binders' refresh thread, ours to stop: binders leave a scheduler they were given running.
    private final ScheduledExecutorService clientMetricsRefresher;

    private KafkaWorker(Settings settings, OrderPipeline pipeline, OrderCodec codec, Clock clock, WorkerMetrics metrics,
                        PollHealth health, StartGate gate, Tracing tracing) {
        this.producer = new KafkaProducer<>(ClientProperties.producer(settings));
        Map<String, Object> consumerProps = ClientProperties.consumer(settings);
        KafkaConsumer<byte[], byte[]> consumer = null;
        Admin admin = null;
        Committer committer;
        try {
            consumer = new KafkaConsumer<>(consumerProps);
            Map<String, Object> adminProps = ClientProperties.common(settings);
            adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, settings.workerId() + "-commits");
            admin = Admin.create(adminProps);
            committer = switch (settings.delivery().mode()) {
                case AT_LEAST_ONCE -> new AtLeastOnceCommitter(consumer);
                case EXACTLY_ONCE -> {
                    initTransactions(settings);
                    yield new TransactionalCommitter(producer, consumer, metrics);
                }
            };
        } catch (RuntimeException e) {
            if (consumer != null) {
                consumer.close(Duration.ZERO);
            }
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
            producer.close(Duration.ZERO);
            throw e;
        }
        this.commitReader = admin;
        // Stable commits (KIP-447) exactly when the consumer reads committed records, as it would ask.
        boolean stable = "read_committed".equals(String.valueOf(consumerProps.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)));
        this.metrics = metrics;
        this.clientMetricsRefresher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("kafka-client-metrics").factory());
        this.producerMetrics = new KafkaClientMetrics(producer, List.of(), clientMetricsRefresher, CLIENT_METRICS_REFRESH);
        producerMetrics.bindTo(metrics.registry());
        this.consumerMetrics = new KafkaClientMetrics(consumer, List.of(), clientMetricsRefresher, CLIENT_METRICS_REFRESH);
        consumerMetrics.bindTo(metrics.registry());
        OutcomePublisher publisher = new OutcomePublisher(producer, codec, settings.topics().results(),
                settings.topics().deadLetters(), settings.workerId(), clock, maxDeadLetterBytes(settings),
                tracing.headers());
        OrderHandler handler = new OrderHandler(codec, pipeline, publisher, metrics, clock,
                tracing.orders(settings.kafka().groupId()));
        PollLoop.Settings loopSettings = new PollLoop.Settings(settings.topics().orders(), settings.flow(),
                settings.delivery(), Duration.ofMillis(100));
        this.loop = new PollLoop(consumer, committer, handler,
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("order-", 1).factory()),
                loopSettings, clock, metrics, health, GroupCommits.of(admin, settings.kafka().groupId(), stable,
                        String.valueOf(consumerProps.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG))), gate);
        metrics.bindLoad(loop, settings.flow().maxInFlight());
        this.pollThread = Thread.ofPlatform().name("order-poll").unstarted(loop);
    }

    /**
     * The largest dead letter both the producer ({@code max.request.size}) and the dead-letter
     * topic ({@code max.message.bytes}, asked of the cluster, since the topic may not be one
     * this worker created) accept. If the cluster does not say, the broker's default limit.
     */
    static int maxDeadLetterBytes(Settings settings) {
        Object requestSize = ClientProperties.producer(settings).get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        int producerLimit = Integer.parseInt(requestSize.toString().strip());
        Map<String, Object> props = ClientProperties.common(settings);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        // The client refuses a request timeout longer than its API timeout (30 s by default).
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, settings.topics().deadLetters());
        try (Admin admin = Admin.create(props)) {
            ConfigEntry entry = admin.describeConfigs(List.of(topic)).all().get(15, TimeUnit.SECONDS).get(topic)
                    .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (entry != null && entry.value() != null) {
                return Math.min(producerLimit, Integer.parseInt(entry.value()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            log.warn("cannot read max.message.bytes of {} ({}); dead letters are cut to {} bytes", settings.topics().deadLetters(),
                    e.toString(), Math.min(producerLimit, ClientProperties.BROKER_DEFAULT_MESSAGE_BYTES));
        }
        return Math.min(producerLimit, ClientProperties.BROKER_DEFAULT_MESSAGE_BYTES);
    }

    /**
     * Registers this worker's {@code transactional.id} with its coordinator: fences an earlier
     * process with the same id and aborts the transaction it left open (after a kill -9), so
     * its partitions are free at once instead of after {@code transaction.timeout.ms}.
     */
    private void initTransactions(Settings settings) {
        try {
            producer.initTransactions();
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalStateException("cannot start transactions as " + ClientProperties.transactionalId(settings) + ": " + e, e);
        }
    }

    /**
     * Creates the clients and starts the poll thread.
     *
     * @param metrics where outcomes, load and the clients' metrics are counted
     * @param health  where the poll thread tells the health endpoints how it is doing
     * @param gate    how many orders the services' circuit breakers let run now
     * @param tracing the span of each record and the trace headers of what is sent
     */
    public static KafkaWorker start(Settings settings, OrderPipeline pipeline, OrderCodec codec, Clock clock,
                                    WorkerMetrics metrics, PollHealth health, StartGate gate, Tracing tracing) {
        KafkaWorker worker = new KafkaWorker(settings, pipeline, codec, clock, metrics, health, gate, tracing);
        worker.pollThread.start();
        return worker;
    }

    /**
     * Creates the orders, results and dead-letter topics if they do not exist yet. For
     * development and tests; production topics are usually created by whoever runs the cluster.
     */
    public static void createTopics(Settings settings) throws InterruptedException {
        int partitions = settings.topics().partitions();
        Map<String, Object> props = ClientProperties.common(settings);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> topics = new ArrayList<>();
            topics.add(new NewTopic(settings.topics().orders(), partitions, (short) -1));
            topics.add(new NewTopic(settings.topics().results(), partitions, (short) -1));
            topics.add(new NewTopic(settings.topics().deadLetters(), partitions, (short) -1)
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(ClientProperties.MAX_RECORD_BYTES))));
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get();
                    log.info("created topic {} with {} partitions", entry.getKey(), partitions);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + entry.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            List<String> names = topics.stream().map(NewTopic::name).toList();
            try {
                PartitionLeaders.await(admin, names, Duration.ofSeconds(30));
            } catch (java.util.concurrent.TimeoutException e) {
                log.warn("partitions of {} still not served by a leader after 30 s", names);
            }
        }
    }

    public void requestStop() {
        loop.requestStop();
    }

    public PollLoop.Exit awaitExit() throws InterruptedException {
        return loop.awaitExit();
    }

    public int inFlight() {
        return loop.inFlight();
    }

    /** What the poll loop holds now and held at most. Any thread. */
    public WorkerMetrics.Load load() {
        return loop;
    }

    public WorkerMetrics metrics() {
        return metrics;
    }

    /** Stops the loop if still running, waits for it, then flushes and closes the producer. */
    @Override
    public void close() throws InterruptedException {
        loop.requestStop();
        loop.awaitExit();
        consumerMetrics.close();
        commitReader.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(30));
        producerMetrics.close();
        clientMetricsRefresher.shutdownNow();
    }
}
