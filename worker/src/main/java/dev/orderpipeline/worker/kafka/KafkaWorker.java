package dev.orderpipeline.worker.kafka;

import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.kafkaadmin.PartitionLeaders;
import dev.orderpipeline.worker.commit.AtLeastOnceCommitter;
import dev.orderpipeline.worker.commit.Committer;
import dev.orderpipeline.worker.commit.TransactionalCommitter;
import dev.orderpipeline.worker.config.Delivery;
import dev.orderpipeline.worker.config.DeliverySettings;
import dev.orderpipeline.worker.config.Flow;
import dev.orderpipeline.worker.config.KafkaConnection;
import dev.orderpipeline.worker.config.Topics;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.consume.PollLoop;
import dev.orderpipeline.worker.observe.PollHealth;
import dev.orderpipeline.worker.observe.WorkerMetrics;
import dev.orderpipeline.worker.offsets.GroupCommits;
import dev.orderpipeline.worker.pipeline.OrderPipeline;
import dev.orderpipeline.worker.publish.OrderHandler;
import dev.orderpipeline.worker.publish.OutcomePublisher;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's Kafka side: its consumer, producer and poll thread, wired around an
 * {@link OrderPipeline}. Every client property is set here, each with the reason for it.
 */
public final class KafkaWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaWorker.class);

    /**
     * Dead letters keep the original bytes, so the dead-letter topic and the producer accept
     * records larger than a broker's 1 MB default; a still larger one is cut (and marked so).
     */
    static final int MAX_RECORD_BYTES = 2 * 1024 * 1024;
    /** A broker's default {@code message.max.bytes}: what a topic accepts unless it says otherwise. */
    static final int BROKER_DEFAULT_MESSAGE_BYTES = 1_048_588;
    /** The consumer's {@code session.timeout.ms} under the classic protocol: how long a dead member holds its partitions. */
    static final int SESSION_TIMEOUT_MS = 10_000;
    /** The least {@code transaction.timeout.ms} the worker sets: see {@link #transactionTimeout}. */
    static final Duration MIN_TRANSACTION_TIMEOUT = Duration.ofSeconds(6);
    /** Room in the transaction timeout beyond one commit interval. */
    static final Duration TRANSACTION_SLACK = Duration.ofSeconds(5);

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

    private KafkaWorker(Settings settings, OrderPipeline pipeline, OrderCodec codec, Clock clock, WorkerMetrics metrics,
                        PollHealth health) {
        this.producer = new KafkaProducer<>(producerProperties(settings));
        Map<String, Object> consumerProps = consumerProperties(settings);
        KafkaConsumer<byte[], byte[]> consumer = null;
        Admin admin = null;
        Committer committer;
        try {
            consumer = new KafkaConsumer<>(consumerProps);
            Map<String, Object> adminProps = common(settings);
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
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(metrics.registry());
        this.consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(metrics.registry());
        OutcomePublisher publisher = new OutcomePublisher(producer, codec, settings.topics().results(),
                settings.topics().deadLetters(), settings.workerId(), clock, maxDeadLetterBytes(settings));
        OrderHandler handler = new OrderHandler(codec, pipeline, publisher, metrics, clock);
        PollLoop.Settings loopSettings = new PollLoop.Settings(settings.topics().orders(), settings.flow(),
                settings.delivery(), Duration.ofMillis(100));
        this.loop = new PollLoop(consumer, committer, handler,
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("order-", 1).factory()),
                loopSettings, clock, metrics, health, GroupCommits.of(admin, settings.kafka().groupId(), stable,
                        String.valueOf(consumerProps.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG))));
        metrics.bindLoad(loop, settings.flow().maxInFlight());
        this.pollThread = Thread.ofPlatform().name("order-poll").unstarted(loop);
    }

    /**
     * The largest dead letter both the producer ({@code max.request.size}) and the dead-letter
     * topic ({@code max.message.bytes}, asked of the cluster, since the topic may not be one
     * this worker created) accept. If the cluster does not say, the broker's default limit.
     */
    static int maxDeadLetterBytes(Settings settings) {
        Object requestSize = producerProperties(settings).get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        int producerLimit = Integer.parseInt(requestSize.toString().strip());
        Map<String, Object> props = common(settings);
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
                    e.toString(), Math.min(producerLimit, BROKER_DEFAULT_MESSAGE_BYTES));
        }
        return Math.min(producerLimit, BROKER_DEFAULT_MESSAGE_BYTES);
    }

    /**
     * The {@code transaction.timeout.ms} the worker sets in exactly-once mode unless it is given.
     * A transaction stays open about one commit interval (the loop commits every interval, also
     * while it drains or waits on a revocation), so the timeout covers an interval, the commit
     * and {@link #TRANSACTION_SLACK} for a slow broker; never less than
     * {@link #MIN_TRANSACTION_TIMEOUT}: 6 s at the default 1 s interval.
     *
     * <p>Short, because it is how long the open transaction of a worker killed and not restarted
     * under the same id holds back its partitions: their next owner cannot read their committed
     * offsets, nor {@code read_committed} readers the results it wrote, until the broker aborts
     * it, at the first check ({@code transaction.abort.timed.out.transaction.cleanup.interval.ms},
     * every 10 s by default) after the timeout. The producer's default of 60 s made that a
     * minute; 15 s made it 15-25 s. A live worker whose transaction outlasts the timeout (a
     * broker away longer) loses only that transaction: its next send or commit fails with
     * {@code InvalidProducerEpochException}, which is not fatal, and the abort that follows lets
     * the producer go on (verified against the Kafka 4 broker), so its orders are redone.
     */
    public static Duration transactionTimeout(Duration commitInterval) {
        Duration needed = commitInterval.plus(TRANSACTION_SLACK);
        return needed.compareTo(MIN_TRANSACTION_TIMEOUT) > 0 ? needed : MIN_TRANSACTION_TIMEOUT;
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
            throw new IllegalStateException("cannot start transactions as " + transactionalId(settings) + ": " + e, e);
        }
    }

    /**
     * One transactional producer per worker process, its id derived from the group and the
     * worker id. Since KIP-447 (Kafka 2.5) a transactional id no longer has to follow a
     * partition to fence zombies: the offsets go in with the consumer's group metadata, and
     * the group coordinator refuses them from a member whose generation has passed. So the id
     * only has to be unique among live processes (as the worker id already is, host-pid by
     * default) and, ideally, stable across a restart, so that the restarted process aborts its
     * predecessor's open transaction at once.
     */
    static String transactionalId(Settings settings) {
        return settings.kafka().groupId() + "-" + settings.workerId();
    }

    /**
     * Creates the clients and starts the poll thread.
     *
     * @param metrics where outcomes, load and the clients' metrics are counted
     * @param health  where the poll thread tells the health endpoints how it is doing
     */
    public static KafkaWorker start(Settings settings, OrderPipeline pipeline, OrderCodec codec, Clock clock,
                                    WorkerMetrics metrics, PollHealth health) {
        KafkaWorker worker = new KafkaWorker(settings, pipeline, codec, clock, metrics, health);
        worker.pollThread.start();
        return worker;
    }

    /**
     * Creates the orders, results and dead-letter topics if they do not exist yet. For
     * development and tests; production topics are usually created by whoever runs the cluster.
     */
    public static void createTopics(Settings settings) throws InterruptedException {
        int partitions = settings.topics().partitions();
        Map<String, Object> props = common(settings);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> topics = new ArrayList<>();
            topics.add(new NewTopic(settings.topics().orders(), partitions, (short) -1));
            topics.add(new NewTopic(settings.topics().results(), partitions, (short) -1));
            topics.add(new NewTopic(settings.topics().deadLetters(), partitions, (short) -1)
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_RECORD_BYTES))));
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
    }

    static Map<String, Object> common(Settings settings) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.putAll(settings.overrides());
        return props;
    }

    static Map<String, Object> consumerProperties(Settings settings) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.kafka().groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.workerId() + "-consumer");
        // Offsets are committed by the poll loop, only below orders whose result is on the broker.
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A new group must not skip the orders placed before its first worker started.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Orders written in a transaction that was then aborted were never placed.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // With KIP-848's protocol, chosen by the operator (--kafka group.protocol=consumer), the
        // broker assigns incrementally and owns the session timeout
        // (group.consumer.session.timeout.ms): the client may set neither.
        if (!usesConsumerProtocol(settings)) {
            // The classic protocol, stated: its session timeout is the client's to set (the
            // consumer protocol's is the broker's, 45 s at least on a default broker), and a
            // static member restarted within its session gets its partitions back at once
            // (the consumer protocol refuses it until the old session ends).
            props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CLASSIC.name().toLowerCase(Locale.ROOT));
            // A rebalance moves only the partitions that change owner; the others keep working.
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
            // A member killed without leaving holds its partitions until this passes: 10 s, not
            // the default 45 s (the broker's default group.min.session.timeout.ms is 6 s).
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
            // Members learn of a rebalance at their next heartbeat: within a second, not three.
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        }
        // Static membership: the worker id is the member's identity, so a worker restarted with
        // the same --worker-id (after a crash too) takes its partitions back without a
        // rebalance and without waiting out its old session. On SIGTERM the worker still leaves
        // the group (PollLoop closes with LEAVE_GROUP), so its partitions move at once.
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.workerId());
        // No poll hands over more records than there is room for, so running plus waiting
        // records stay within twice the in-flight limit even for a small limit.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, Math.min(500, settings.flow().maxInFlight())));
        // Bytes in, so that a record that is not an order is dead-lettered instead of failing poll().
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        if (settings.delivery().mode() == Delivery.EXACTLY_ONCE) {
            // On assignment the worker reads the group's committed offsets, which waits while a
            // transaction with offsets for the partition is open: after a kill -9 under another
            // worker id, until the broker aborts it at transaction.timeout.ms (plus up to 10 s
            // until its next check). Wait that long and more, at least the default 60 s.
            props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    (int) Math.max(60_000, transactionTimeout(settings.delivery().commitInterval()).plusSeconds(30).toMillis()));
        }
        props.putAll(settings.overrides());
        return props;
    }

    /** Whether the operator chose KIP-848's consumer protocol with {@code --kafka group.protocol=consumer}. */
    static boolean usesConsumerProtocol(Settings settings) {
        String protocol = settings.overrides().get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        return protocol != null && protocol.strip().equalsIgnoreCase(GroupProtocol.CONSUMER.name());
    }

    static Map<String, Object> producerProperties(Settings settings) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, settings.workerId() + "-producer");
        // An offset is committed once its outcome is acknowledged: that ack must survive a broker loss.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // The producer's own retries must never write an outcome twice.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Dead letters carry the original value, which may be close to the broker's limit.
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES);
        // Outcomes are small and many: a short linger batches them without hurting latency much.
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        if (settings.delivery().mode() == Delivery.EXACTLY_ONCE) {
            // Outcomes, dead letters and offsets in one transaction per commit interval.
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(settings));
            // Short, so that a killed worker's open transaction does not block its partitions'
            // readers for a minute; long enough for a commit interval (a given value wins, and was
            // checked against the interval at start-up).
            props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout(settings.delivery().commitInterval()).toMillis());
        }
        props.putAll(settings.overrides());
        return props;
    }
}
