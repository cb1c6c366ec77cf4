package dev.orderpipeline.cli.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** A consumer group's committed offsets, read with the admin client: the group is never joined. */
public final class GroupOffsets {

    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    /**
     * One partition's committed position.
     *
     * @param offset         the next offset the group will read
     * @param metadataLength the length of the commit's metadata string, 0 when there is none
     */
    public record Committed(long offset, int metadataLength) {
    }

    private GroupOffsets() {
    }

    /**
     * The offsets {@code group} committed on {@code topic}, by partition; empty when the group has
     * committed nothing there or does not exist.
     *
     * @throws BrokerUnavailableException when the cluster does not answer within the connect timeout
     */
    public static Map<Integer, Committed> committed(KafkaConnection connection, String group, String topic)
            throws BrokerUnavailableException, InterruptedException {
        Admin admin;
        try {
            admin = Admin.create(KafkaClients.admin(connection));
        } catch (KafkaException e) {
            throw new BrokerUnavailableException("cannot connect to Kafka at " + connection.bootstrapServers() + ": "
                    + e.getMessage() + " (check --bootstrap-servers and --client-config)", e);
        }
        Map<TopicPartition, OffsetAndMetadata> offsets;
        try {
            offsets = admin.listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions()
                    .timeoutMs((int) connection.connectTimeout().toMillis()))
                    .partitionsToOffsetAndMetadata().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Map.of();
            }
            throw new BrokerUnavailableException("cannot read the committed offsets of group '" + group
                    + "' from Kafka at " + connection.bootstrapServers() + ": " + e.getCause().getMessage(),
                    e.getCause());
        } finally {
            admin.close(CLOSE_GRACE);
        }
        Map<Integer, Committed> committed = new TreeMap<>();
        offsets.forEach((partition, offset) -> {
            // A partition listed without an offset has no commit.
            if (partition.topic().equals(topic) && offset != null) {
                committed.put(partition.partition(), new Committed(offset.offset(),
                        offset.metadata() == null ? 0 : offset.metadata().length()));
            }
        });
        return committed;
    }
}
