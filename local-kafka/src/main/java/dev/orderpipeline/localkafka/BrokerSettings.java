package dev.orderpipeline.localkafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/** The server.properties of a one-node development broker; one line of why per setting. */
final class BrokerSettings {

    static final String HOST = "127.0.0.1";
    static final int NODE_ID = 1;
    static final String CLIENT_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private BrokerSettings() {}

    static Properties of(int clientPort, int controllerPort, Path logDir, Duration startupTimeout,
                         Map<String, String> overrides) {
        var props = new Properties();
        // One JVM plays both KRaft roles, as `kafka-storage format --standalone` expects.
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", Integer.toString(NODE_ID));
        // Loopback only: a development broker must not be reachable from the network.
        props.setProperty("listeners", CLIENT_LISTENER + "://" + HOST + ":" + clientPort
                + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        // Clients are sent back exactly the address they dialled, never a host name.
        props.setProperty("advertised.listeners", CLIENT_LISTENER + "://" + HOST + ":" + clientPort);
        props.setProperty("listener.security.protocol.map",
                CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        props.setProperty("inter.broker.listener.name", CLIENT_LISTENER);
        // A dynamic quorum of one voter, matching the --standalone format.
        props.setProperty("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        props.setProperty("log.dirs", logDir.toString());

        // Internal topics default to 3 replicas, which one node cannot host: the first
        // consumer group or transaction would fail with COORDINATOR_NOT_AVAILABLE.
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("transaction.state.log.replication.factor", "1");
        // Default 2: transactional producers would be refused with NOT_ENOUGH_REPLICAS.
        props.setProperty("transaction.state.log.min.isr", "1");
        // Likewise for the share groups' state topic, created on a share group's first use.
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");
        // The default 3 s wait for more members only slows every test's first poll.
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        // A typo in a topic name must fail loudly, not create an empty topic that nobody reads.
        props.setProperty("auto.create.topics.enable", "false");
        // Enough partitions to exercise parallel partition assignment by default.
        props.setProperty("num.partitions", "6");
        // The log cleaner (compaction of __consumer_offsets) otherwise takes 128 MiB of heap up
        // front; 2 MiB, as in Kafka's own test harness, still holds ~80,000 keys per pass.
        props.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        // Without it a start that cannot finish (say, the controller never elects) waits forever.
        props.setProperty("server.max.startup.time.ms", Long.toString(startupTimeout.toMillis()));

        props.putAll(overrides);
        return props;
    }
}
