package dev.orderpipeline.chaos;

import static org.awaitility.Awaitility.await;

import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.kafkaadmin.PartitionLeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One scenario's orders, results and dead-letter topics on a cluster, with what a user of the
 * pipeline does: place orders (at once or at a steady rate), and watch which got an answer.
 * The consumer is used by the test thread only; the producer by any thread.
 */
final class ChaosTopics implements AutoCloseable {

    static final int PARTITIONS = 6;
    // The results reader's max.poll.records (the consumer default, stated here because answered() relies on it).
    private static final int MAX_POLL_RECORDS = 500;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

    final String orders;
    final String results;
    final String deadLetters;
    final String groupId;

    final int partitions;

    private final String bootstrapServers;
    private final OrderCodec codec = new OrderCodec();
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> resultsReader;
    // Written by the test thread only (answered()): ids, and orders (an id sent again is a new order).
    private final Set<String> answered = new HashSet<>();
    private final Set<OrderRef> answeredOrders = new HashSet<>();
    // Written by whichever thread sends; read by the test thread.
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final Set<OrderRef> placed = ConcurrentHashMap.newKeySet();
    // Written by the producer's I/O thread once the broker has an order; read by the test thread.
    private final Set<OrderRef> acked = ConcurrentHashMap.newKeySet();

    /**
     * One order: its id and its {@code createdAt}, which an outcome names in {@code orderCreatedAt}.
     * Several orders may share an id (and so a key); each owes its own outcome.
     */
    private record OrderRef(String orderId, Instant createdAt) {
    }

    /**
     * Creates the three topics.
     *
     * @param replicas     replication factor of each
     * @param ordersConfig extra configuration of the orders topic (e.g. max.message.bytes)
     */
    ChaosTopics(String bootstrapServers, String scenario, short replicas, Map<String, String> ordersConfig) {
        this(bootstrapServers, scenario, PARTITIONS, replicas, ordersConfig);
    }

    /** As above, with {@code partitions} partitions per topic instead of {@link #PARTITIONS}. */
    ChaosTopics(String bootstrapServers, String scenario, int partitions, short replicas, Map<String, String> ordersConfig) {
        this.bootstrapServers = bootstrapServers;
        this.partitions = partitions;
        String prefix = "%s-%06x".formatted(scenario, ThreadLocalRandom.current().nextInt(1 << 24));
        this.orders = prefix + "-orders";
        this.results = prefix + "-results";
        this.deadLetters = prefix + "-dlt";
        this.groupId = prefix + "-workers";
        Map<String, String> replicated = replicas > 1 ? Map.of("min.insync.replicas", "2") : Map.of();
        Map<String, String> ordersTopic = new java.util.HashMap<>(replicated);
        ordersTopic.putAll(ordersConfig);
        createTopics(bootstrapServers, List.of(
                new NewTopic(orders, partitions, replicas).configs(ordersTopic),
                new NewTopic(results, partitions, replicas).configs(replicated),
                new NewTopic(deadLetters, partitions, replicas).configs(replicated)));
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                // Stored on every in-sync replica before the ack; retries never duplicate an order.
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // Room for the oversized poison records; the topic's limit decides what is taken.
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024,
                // Long enough to ride out a leader election without failing a send.
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000));
        this.resultsReader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS,
                // Only answers a downstream reader would see.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        List<TopicPartition> resultPartitions = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            resultPartitions.add(new TopicPartition(results, p));
        }
        resultsReader.assign(resultPartitions);
        resultsReader.seekToBeginning(resultPartitions);
    }

    /** Creates {@code topics} and waits until their leaders serve. */
    static void createTopics(String bootstrapServers, List<NewTopic> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(topics).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            PartitionLeaders.await(admin, topics.stream().map(NewTopic::name).toList(), ADMIN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topics, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create " + topics + ": " + e, e);
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Worker flags for this scenario's topics and group, in {@code mode}, followed by {@code more}. */
    List<String> workerArgs(String workerId, DeliveryMode mode, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers", bootstrapServers,
                "--orders-topic", orders, "--results-topic", results, "--dead-letter-topic", deadLetters,
                "--group-id", groupId, "--worker-id", workerId,
                "--commit-interval", "200ms",
                // A killed worker's partitions move after 6 s (the broker's minimum), not after 45 s.
                "--kafka", "session.timeout.ms=6000", "--kafka", "heartbeat.interval.ms=1000"));
        args.addAll(mode.workerArgs());
        args.addAll(List.of(more));
        return args;
    }

    /**
     * Worker flags for this scenario's topics and group, in {@code mode}, with the worker's own
     * defaults for everything else (commit interval, session timeout): what the availability
     * scenarios measure. Followed by {@code more}.
     */
    List<String> defaultWorkerArgs(String workerId, DeliveryMode mode, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers", bootstrapServers,
                "--orders-topic", orders, "--results-topic", results, "--dead-letter-topic", deadLetters,
                "--group-id", groupId, "--worker-id", workerId));
        args.addAll(mode.workerArgs());
        args.addAll(List.of(more));
        // -Dchaos.worker.args="--commit-interval 3s" measures a setting other than the default.
        String extra = System.getProperty("chaos.worker.args", "").strip();
        if (!extra.isEmpty()) {
            args.addAll(List.of(extra.split("\\s+")));
        }
        return args;
    }

    /** Valid orders {@code prefix-0 .. prefix-(count-1)}, each keyed by its id. */
    static List<OrderPlaced> orders(String prefix, int count, Random random) {
        List<OrderPlaced> orders = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            orders.add(SampleOrders.order(prefix + "-" + i, Instant.now(), null, random));
        }
        return orders;
    }

    /**
     * {@code perKey} orders for each of {@code keys} keys: ids {@code prefix-0 .. prefix-(keys-1)},
     * each id sent {@code perKey} times back to back with a later {@code createdAt} each time, as a
     * shop sends an order's updates. The key is the order id (the worker requires it), so these
     * are several orders per key: answered in any other order than sent, they are out of order.
     */
    static List<OrderPlaced> ordersPerKey(String prefix, int keys, int perKey, Random random) {
        List<OrderPlaced> orders = new ArrayList<>(keys * perKey);
        // Whole milliseconds, one apart, all in the past: distinct createdAts that every codec keeps.
        Instant first = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).minusMillis((long) keys * perKey);
        for (int k = 0; k < keys; k++) {
            for (int n = 0; n < perKey; n++) {
                orders.add(SampleOrders.order(prefix + "-" + k, first.plusMillis(orders.size()), null, random));
            }
        }
        return orders;
    }

    /** Sends the orders and waits for every ack. Safe from any thread. */
    void sendAll(List<OrderPlaced> batch) throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        for (OrderPlaced order : batch) {
            acks.add(send(order));
        }
        awaitAll(acks);
    }

    Future<RecordMetadata> send(OrderPlaced order) {
        OrderRef ref = new OrderRef(order.orderId(), order.createdAt());
        sent.add(order.orderId());
        placed.add(ref);
        return producer.send(new ProducerRecord<>(orders, order.orderId().getBytes(StandardCharsets.UTF_8),
                codec.encode(order)), (metadata, error) -> {
                    if (error == null) {
                        acked.add(ref);
                    }
                });
    }

    /** Sends a record as given (null key or value allowed); the future says whether the broker took it. */
    Future<RecordMetadata> sendRaw(byte[] key, byte[] value) {
        return producer.send(new ProducerRecord<>(orders, key, value));
    }

    /** {@link #sendRaw} to another topic of the same cluster. */
    Future<RecordMetadata> sendRawTo(String topic, byte[] key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, key, value));
    }

    static void awaitAll(List<Future<RecordMetadata>> acks) throws InterruptedException {
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("an order was not acknowledged: " + e.getCause(), e.getCause());
            }
        }
    }

    /** Adds an order sent some other way (e.g. {@link #sendRaw}) to those that must be answered. */
    void expectAnswer(String orderId) {
        sent.add(orderId);
    }

    /** Every record on the dead-letter topic now, read from its beginning. Test thread only. */
    List<ConsumerRecord<byte[], byte[]>> deadLetterRecords() {
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < this.partitions; p++) {
                partitions.add(new TopicPartition(deadLetters, p));
            }
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> reader.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + deadLetters + " to its end within " + ADMIN_TIMEOUT);
                }
                reader.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** Ids of the valid orders sent so far. */
    Set<String> sent() {
        return Set.copyOf(sent);
    }

    /** Valid orders sent so far with {@link #send}: an id sent three times counts three. */
    int ordersSent() {
        return placed.size();
    }

    /** Orders with at least one committed outcome so far, counted as {@link #ordersSent} counts them. Test thread only. */
    int ordersAnswered() {
        answered();
        return answeredOrders.size();
    }

    /** Ids with at least one committed outcome so far (reads what is new first). Test thread only. */
    Set<String> answered() {
        // One poll returns at most max.poll.records: a full one means more is waiting. A short one
        // means caught up; stopping there (not at an empty poll) ends the read while outcomes
        // keep arriving.
        int read;
        do {
            read = 0;
            for (ConsumerRecord<byte[], byte[]> r : resultsReader.poll(Duration.ofMillis(200))) {
                OrderOutcome outcome = codec.decodeOutcome(r.value());
                answered.add(outcome.orderId());
                answeredOrders.add(new OrderRef(outcome.orderId(), outcome.orderCreatedAt()));
                read++;
            }
        } while (read >= MAX_POLL_RECORDS);
        return answered;
    }

    /**
     * Orders with a committed outcome (as {@link #ordersAnswered} counts them), read up to the end
     * the results topic has now (its last stable offset for this read_committed reader): after a
     * worker is killed, everything it wrote. Test thread only.
     */
    int ordersAnsweredToEnd() {
        Map<TopicPartition, Long> ends = resultsReader.endOffsets(resultsReader.assignment(), ADMIN_TIMEOUT);
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (ends.entrySet().stream().anyMatch(e -> resultsReader.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("results not read to their end " + ends + " within " + ADMIN_TIMEOUT);
            }
            answered();
        }
        return answeredOrders.size();
    }

    /** Records of the orders topic below the group's committed offsets: the orders the group will not process again. */
    long committedRecords() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(orders) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the group's committed offsets: " + e, e);
        }
    }

    /** Every valid order sent so far has an outcome, each order of an id sent several times its own. Test thread only. */
    boolean allAnswered() {
        return answered().containsAll(sent) && answeredOrders.containsAll(placed);
    }

    /**
     * Waits up to {@code timeout} for {@link #allAnswered}, and returns whether it came. It does not
     * fail the scenario itself: the orders still unanswered are the verifier's to count as lost, so
     * a scenario that goes on to {@code order-cli verify} fails on its lost count and names them.
     */
    boolean awaitAllAnswered(String why, Duration timeout) {
        try {
            await(why).atMost(timeout).until(this::allAnswered);
            return true;
        } catch (ConditionTimeoutException e) {
            System.out.printf("%s: not within %s (%d of %d orders answered); the verifier counts the rest%n",
                    why, timeout, answeredOrders.size(), placed.size());
            return false;
        }
    }

    /** How many orders the broker has acknowledged that have no outcome yet. Test thread only. */
    long unanswered() {
        answered();
        return acked.stream().filter(ref -> !answeredOrders.contains(ref)).count();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        resultsReader.close();
    }
}
