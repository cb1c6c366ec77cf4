package dev.orderpipeline.worker.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What start-up asks of the cluster before it starts anything that depends on it: that its
 * hosts resolve, that it answers (within {@code --connect-timeout}), and that the three topics
 * exist. Each failure is an {@link IllegalStateException} whose message is the one line the
 * user reads: what is wrong and what to do.
 *
 * <p>Runs on the starting thread, with its own short-lived admin client, before any consumer exists.
 */
public final class StartupChecks {

    private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);

    /**
     * Between two connection attempts while the cluster does not answer. Kafka's client logs
     * one WARN per failed attempt ("Connection to node -1 ... could not be established"), and
     * by default retries after 50 ms, doubling to 1 s: 30+ lines in 30 s. With 3 s (Kafka adds
     * 20 % jitter) the wait logs one line every 2.4-3.6 s, and notices a cluster that comes up
     * at most that much later. Only the check's own Admin client gets this; the worker's
     * consumer and producer keep Kafka's defaults, so a broker lost later is still retried fast.
     */
    static final Duration RECONNECT_BACKOFF = Duration.ofSeconds(3);

    private StartupChecks() {
    }

    /**
     * Resolves the host of every {@code host:port}; at least one must resolve, as for Kafka's
     * client, which otherwise throws from its constructor.
     *
     * @throws IllegalStateException naming the hosts when none resolves
     */
    public static void requireResolvable(String bootstrapServers, List<String> hosts) {
        List<String> unknown = new ArrayList<>();
        for (String host : hosts) {
            try {
                InetAddress.getAllByName(host);
                return;
            } catch (UnknownHostException e) {
                unknown.add(host);
            }
        }
        throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + ": unknown host "
                + String.join(", ", unknown) + "; check --bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS) and DNS");
    }

    /**
     * Asks the cluster for its id, so that a wrong address or credentials stop start-up with a
     * clear message instead of a worker that polls nothing forever.
     *
     * @return the cluster id
     * @throws IllegalStateException with a one-line reason if the cluster did not answer in time
     */
    public static String checkConnection(KafkaWorker.Settings settings, Duration timeout) throws InterruptedException {
        Map<String, Object> props = ClientProperties.common(settings);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 15_000));
        props.putIfAbsent(CommonClientConfigs.RECONNECT_BACKOFF_MS_CONFIG, (int) RECONNECT_BACKOFF.toMillis());
        props.putIfAbsent(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, (int) RECONNECT_BACKOFF.toMillis());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, settings.workerId() + "-startup");
        log.info("connecting to Kafka at {}; waiting up to {} s (--connect-timeout)", settings.bootstrapServers(),
                timeout.toSeconds());
        Admin admin = Admin.create(props);
        try {
            return admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException) {
                // Reachable, but the credentials were refused: say that, not "cannot reach".
                throw new IllegalStateException("Kafka at " + settings.bootstrapServers() + " refused the credentials: "
                        + e.getCause().getMessage(), e.getCause());
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw notAnswered(settings, timeout, e.getCause());
            }
            throw new IllegalStateException("cannot reach Kafka at " + settings.bootstrapServers() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw notAnswered(settings, timeout, e);
        } finally {
            // Not the default close, which waits for the pending request: after an interrupt
            // (a stop signal during start-up) that is up to the whole connect timeout.
            admin.close(Duration.ZERO);
        }
    }

    private static IllegalStateException notAnswered(KafkaWorker.Settings settings, Duration timeout, Throwable cause) {
        return new IllegalStateException("cannot reach Kafka at " + settings.bootstrapServers() + ": no answer within "
                + timeout.toSeconds() + " s (--connect-timeout); check the address and that the brokers run", cause);
    }

    /**
     * Checks that the orders, results and dead-letter topics exist. Without this, a missing
     * orders topic showed only as Kafka's "UNKNOWN_TOPIC_OR_PARTITION" WARN once a second,
     * forever, and a missing results topic as a fatal error at the first outcome. A topic this
     * worker may not describe (no ACL that implies DESCRIBE) counts as present: the ACLs are
     * checked where they are used, with their own message.
     *
     * @throws IllegalStateException naming the missing topics and the two ways to fix it
     */
    public static void requireTopics(KafkaWorker.Settings settings, Duration timeout) throws InterruptedException {
        Map<String, Object> props = ClientProperties.common(settings);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 15_000));
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, settings.workerId() + "-startup");
        Set<String> topics = new LinkedHashSet<>(List.of(settings.topics().orders(), settings.topics().results(),
                settings.topics().deadLetters()));
        List<String> missing = new ArrayList<>();
        try (Admin admin = Admin.create(props)) {
            Map<String, KafkaFuture<org.apache.kafka.clients.admin.TopicDescription>> described =
                    admin.describeTopics(topics).topicNameValues();
            for (String topic : topics) {
                try {
                    described.get(topic).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        missing.add(topic);
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    throw notAnswered(settings, timeout, e);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException((missing.size() == 1 ? "topic " : "topics ") + String.join(", ", missing)
                    + (missing.size() == 1 ? " does" : " do") + " not exist on the Kafka cluster at "
                    + settings.bootstrapServers() + ": create " + (missing.size() == 1 ? "it" : "them")
                    + ", or start the worker with --create-topics (CREATE_TOPICS=true)");
        }
    }
}
