package dev.orderpipeline.worker.it;

import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.testkafka.TestKafka;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.config.WorkerConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.awaitility.Awaitility;

/**
 * One test's set of topics on the real broker, with what a user of the pipeline does: place
 * orders, read outcomes and dead letters, compare committed offsets with the end of the log.
 */
final class PipelineTopics implements AutoCloseable {

    static final int PARTITIONS = 3;

    /** A worker configuration for these topics and this group, everything else at its default. */
    WorkerConfigBuilder workerConfig() {
        return WorkerConfig.builder()
                .bootstrapServers(bootstrapServers())
                .ordersTopic(orders)
                .resultsTopic(results)
                .deadLetterTopic(deadLetters)
                .groupId(groupId)
                .topicPartitions(PARTITIONS);
    }
    /** How long settling may take: commits follow the worker's commit interval (1 s or less in the tests). */
    private static final Duration SETTLE = Duration.ofSeconds(60);

    final String orders;
    final String results;
    final String deadLetters;
    final String groupId;

    private final OrderCodec codec = new OrderCodec();
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> resultsConsumer;
    private final KafkaConsumer<byte[], byte[]> deadLetterConsumer;
    private final Map<String, List<OrderOutcome>> outcomes = new HashMap<>();
    private final List<ConsumerRecord<byte[], byte[]>> deadLetterRecords = new ArrayList<>();
    private final Map<String, Headers> outcomeHeaders = new HashMap<>();

    PipelineTopics(String name) {
        // The conditions given to Awaitility read through this class's consumers, which must stay
        // on the test thread.
        org.awaitility.Awaitility.pollInSameThread();
        String prefix = TestKafka.uniqueName(name);
        this.orders = prefix + "-orders";
        this.results = prefix + "-results";
        this.deadLetters = prefix + "-dlt";
        this.groupId = prefix + "-workers";
        TestKafka.createTopics(PARTITIONS, orders, results, deadLetters);
        this.producer = new KafkaProducer<>(TestKafka.producerProps());
        this.resultsConsumer = consumerOf(results);
        this.deadLetterConsumer = consumerOf(deadLetters);
    }

    private static KafkaConsumer<byte[], byte[]> consumerOf(String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(TestKafka.consumerProps(TestKafka.uniqueName("reader")));
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    String bootstrapServers() {
        return TestKafka.bootstrapServers();
    }

    RecordMetadata send(OrderPlaced order) throws Exception {
        return sendRaw(order.orderId().getBytes(StandardCharsets.UTF_8), codec.encode(order), List.of());
    }

    /** Sends all and waits for every ack. */
    void sendAll(List<OrderPlaced> orders) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (OrderPlaced order : orders) {
            acks.add(producer.send(new ProducerRecord<>(this.orders, order.orderId().getBytes(StandardCharsets.UTF_8),
                    codec.encode(order))));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    RecordMetadata sendRaw(byte[] key, byte[] value, List<Header> headers) throws Exception {
        return producer.send(new ProducerRecord<>(orders, null, key, value, headers)).get();
    }

    /** Every outcome read so far, by order id (reads what is new first). */
    Map<String, List<OrderOutcome>> outcomes() {
        for (ConsumerRecord<byte[], byte[]> record : resultsConsumer.poll(Duration.ofMillis(200))) {
            OrderOutcome outcome = codec.decodeOutcome(record.value());
            if (!outcome.orderId().equals(new String(record.key(), StandardCharsets.UTF_8))) {
                throw new AssertionError("outcome keyed " + new String(record.key(), StandardCharsets.UTF_8)
                        + " is for order " + outcome.orderId());
            }
            outcomes.computeIfAbsent(outcome.orderId(), id -> new ArrayList<>()).add(outcome);
            outcomeHeaders.put(outcome.orderId(), record.headers());
        }
        return outcomes;
    }

    /** The headers of the last outcome read for {@code orderId}; read the outcomes first. */
    Headers outcomeHeaders(String orderId) {
        return outcomeHeaders.get(orderId);
    }

    /**
     * Every outcome, once the worker group has committed all orders sent so far (in either
     * delivery mode nothing more is written for a committed order) and the results topic has been
     * read up to its end (its last stable offset: this reader is read_committed).
     */
    Map<String, List<OrderOutcome>> settledOutcomes() {
        Awaitility.await("the worker group commits every order sent").atMost(SETTLE).until(this::allCommitted);
        return readToEnd();
    }

    /** Every outcome, after reading the results topic up to its end as it is now (no waiting for commits). */
    Map<String, List<OrderOutcome>> readToEnd() {
        Map<TopicPartition, Long> ends = resultsConsumer.endOffsets(resultsConsumer.assignment());
        Awaitility.await("the results are read to their end " + ends).atMost(SETTLE).until(() -> {
            outcomes();
            return ends.entrySet().stream().allMatch(e -> resultsConsumer.position(e.getKey()) >= e.getValue());
        });
        return outcomes;
    }

    /** Whether every id in {@code ids} has at least one outcome. */
    boolean allHaveOutcomes(Set<String> ids) {
        return outcomes().keySet().containsAll(ids);
    }

    /**
     * The one outcome of {@code orderId}, judged once no other can arrive: the worker group has
     * committed every order sent so far and the results are read to their end, so a duplicate
     * written after the first outcome is seen, not missed.
     */
    OrderOutcome onlyOutcome(String orderId) {
        List<OrderOutcome> found = settledOutcomes().getOrDefault(orderId, List.of());
        if (found.size() != 1) {
            throw new AssertionError("order " + orderId + ": want exactly one outcome, got " + found);
        }
        return found.getFirst();
    }

    /** Ids with more than one outcome. */
    Set<String> duplicates() {
        return outcomes().entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        deadLetterConsumer.poll(Duration.ofMillis(200)).forEach(deadLetterRecords::add);
        return deadLetterRecords;
    }

    /** For each orders partition: committed offset of the worker group, or -1, and the end offset. */
    Map<TopicPartition, long[]> committedVersusEnd() throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(orders, p), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
            Map<TopicPartition, long[]> result = new HashMap<>();
            ends.forEach((tp, end) -> {
                OffsetAndMetadata c = committed.get(tp);
                result.put(tp, new long[] {c == null ? -1 : c.offset(), end.offset()});
            });
            return result;
        }
    }

    /** The worker group's committed offsets on the orders topic, with their metadata. */
    Map<TopicPartition, OffsetAndMetadata> committed() throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        }
    }

    /** Whether the worker group has committed up to the end of every orders partition (an empty one needs no commit). */
    boolean allCommitted() throws ExecutionException, InterruptedException {
        return committedVersusEnd().values().stream().allMatch(v -> v[0] == v[1] || (v[0] == -1 && v[1] == 0));
    }

    @Override
    public void close() {
        producer.close();
        resultsConsumer.close();
        deadLetterConsumer.close();
    }
}
