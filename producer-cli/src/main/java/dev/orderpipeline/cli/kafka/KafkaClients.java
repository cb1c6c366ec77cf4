package dev.orderpipeline.cli.kafka;

import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The client settings of every Kafka client the CLI creates. Order of precedence: the CLI's
 * tuning, then the user's {@code --client-config}, then the settings the CLI's promises rest on
 * (acks, idempotence, serialisation, the bootstrap address), which nobody overrides.
 */
final class KafkaClients {

    private static final String CLIENT_ID = "order-cli";

    private KafkaClients() {
    }

    static Properties admin(KafkaConnection connection) {
        Properties tuning = new Properties();
        tuning.put(AdminClientConfig.CLIENT_ID_CONFIG, CLIENT_ID + "-admin");
        // The admin call's own timeout (the connect timeout) decides when to give up; no retry
        // budget should outlive it.
        tuning.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) connection.connectTimeout().toMillis());
        tuning.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) connection.connectTimeout().toMillis());
        return merge(connection, tuning, new Properties());
    }

    static Properties producer(KafkaConnection connection) {
        Properties tuning = new Properties();
        tuning.put(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID + "-producer");
        // send() blocks for metadata or buffer space at most this long; the topic was checked
        // beforehand, so a longer wait would only hide a broker that went away.
        tuning.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.max(connection.connectTimeout().toMillis(), 10_000));
        // Batches of a few ms cost nothing noticeable for a human and cut requests for --count 100000.
        tuning.put(ProducerConfig.LINGER_MS_CONFIG, 5);

        Properties required = new Properties();
        // "Sent" must mean "on every in-sync replica": the run report trusts that an acked order
        // reached the worker's topic.
        required.put(ProducerConfig.ACKS_CONFIG, "all");
        // Retries after a lost ack must not write an order twice; a duplicate order would show
        // up as a duplicate outcome and blame the worker.
        required.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        required.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        required.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return merge(connection, tuning, required);
    }

    static Properties consumer(KafkaConnection connection) {
        return consumer(connection, TopicReader.Isolation.READ_COMMITTED);
    }

    static Properties consumer(KafkaConnection connection, TopicReader.Isolation isolation) {
        Properties tuning = new Properties();
        tuning.put(ConsumerConfig.CLIENT_ID_CONFIG, CLIENT_ID + "-results");
        // A worker writing outcomes in transactions may abort some; only committed outcomes are
        // answers, and aborted ones must not count as duplicates. Only verify reads uncommitted,
        // to find the aborted ones.
        tuning.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, switch (isolation) {
            case READ_COMMITTED -> "read_committed";
            case READ_UNCOMMITTED -> "read_uncommitted";
        });

        Properties required = new Properties();
        // The CLI assigns partitions itself and has no group: nothing to commit, and it leaves no
        // consumer group behind on the cluster.
        required.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        required.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        required.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Properties props = merge(connection, tuning, required);
        // A group.id from a shared client config file would make the consumer join that group.
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return props;
    }

    private static Properties merge(KafkaConnection connection, Properties tuning, Properties required) {
        Properties props = new Properties();
        props.putAll(tuning);
        props.putAll(connection.clientConfig());
        props.putAll(required);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
        return props;
    }
}
