package dev.orderpipeline.cli.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The check every command makes before it sends or reads anything: the cluster answers within
 * the connect timeout, and the topics exist. It turns the Kafka client's retry-until-timeout
 * behaviour into one clear message and a bounded wait.
 */
public final class ClusterCheck {

    /** How long closing the admin client may take after a failed check. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    private ClusterCheck() {
    }

    /**
     * The partition count of each topic.
     *
     * @param topics topic name to the option that named it, for the message when it is missing
     * @throws BrokerUnavailableException when the cluster does not answer in time, refuses the
     *                                    credentials, or a topic is missing or not readable
     */
    public static Map<String, Integer> partitionCounts(KafkaConnection connection, Map<String, String> topics)
            throws BrokerUnavailableException, InterruptedException {
        int timeoutMs = (int) connection.connectTimeout().toMillis();
        Admin admin;
        try {
            admin = Admin.create(KafkaClients.admin(connection));
        } catch (KafkaException e) {
            throw new BrokerUnavailableException("cannot connect to Kafka at " + connection.bootstrapServers() + ": "
                    + rootMessage(e) + " (check --bootstrap-servers and --client-config)", e);
        }
        try {
            try {
                admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).clusterId().get();
            } catch (ExecutionException e) {
                throw unavailable(e.getCause(), connection);
            }
            Map<String, KafkaFuture<TopicDescription>> described = admin
                    .describeTopics(topics.keySet(), new DescribeTopicsOptions().timeoutMs(timeoutMs))
                    .topicNameValues();
            Map<String, Integer> partitions = new LinkedHashMap<>();
            for (Map.Entry<String, String> topic : topics.entrySet()) {
                try {
                    partitions.put(topic.getKey(), described.get(topic.getKey()).get().partitions().size());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        throw new BrokerUnavailableException("topic '" + topic.getKey() + "' does not exist at "
                                + connection.bootstrapServers() + " (create it, or name another with "
                                + topic.getValue() + ")", e.getCause());
                    }
                    throw unavailable(e.getCause(), connection);
                }
            }
            return partitions;
        } finally {
            admin.close(CLOSE_GRACE);
        }
    }

    private static BrokerUnavailableException unavailable(Throwable cause, KafkaConnection connection) {
        String where = "Kafka at " + connection.bootstrapServers();
        return switch (cause) {
            case TimeoutException t -> new BrokerUnavailableException("cannot reach " + where + " within "
                    + connection.connectTimeoutText() + " (check --bootstrap-servers)", t);
            case AuthenticationException a -> new BrokerUnavailableException(where
                    + " refused the credentials: " + a.getMessage() + " (check --client-config)", a);
            case AuthorizationException a -> new BrokerUnavailableException(where
                    + " denied access: " + a.getMessage() + " (check the ACLs of the --client-config principal)", a);
            case null -> new BrokerUnavailableException(where + " failed without a cause");
            default -> new BrokerUnavailableException(where + " failed: " + rootMessage(cause), cause);
        };
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
