package dev.orderpipeline.worker.kafka;

import dev.orderpipeline.worker.config.Delivery;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Every property the worker sets on its Kafka clients, each with the reason for it; an
 * operator's {@code --kafka} overrides are applied last. Pure functions of the settings, any thread.
 */
final class ClientProperties {

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
    static Duration transactionTimeout(Duration commitInterval) {
        Duration needed = commitInterval.plus(TRANSACTION_SLACK);
        return needed.compareTo(MIN_TRANSACTION_TIMEOUT) > 0 ? needed : MIN_TRANSACTION_TIMEOUT;
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
    static String transactionalId(KafkaWorker.Settings settings) {
        return settings.kafka().groupId() + "-" + settings.workerId();
    }

    private ClientProperties() {
    }

    static Map<String, Object> common(KafkaWorker.Settings settings) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.putAll(settings.overrides());
        return props;
    }

    static Map<String, Object> consumer(KafkaWorker.Settings settings) {
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
        // the group (the poll loop's Drain closes with LEAVE_GROUP), so its partitions move at once.
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
    static boolean usesConsumerProtocol(KafkaWorker.Settings settings) {
        String protocol = settings.overrides().get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        return protocol != null && protocol.strip().equalsIgnoreCase(GroupProtocol.CONSUMER.name());
    }

    static Map<String, Object> producer(KafkaWorker.Settings settings) {
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
