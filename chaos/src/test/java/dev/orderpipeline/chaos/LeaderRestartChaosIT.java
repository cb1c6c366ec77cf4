package dev.orderpipeline.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.testsupport.WorkerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A three-broker cluster (replication 3, min.insync.replicas 2): the leader of an orders
 * partition is shut down while orders flow, and started again later.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LeaderRestartChaosIT {

    private static final int ORDERS = 3_000;
    private static final int PER_SECOND = 100;
    private static final Duration WAIT = Duration.ofMinutes(2);

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.orderpipeline.chaos.Modes#strictest")
    void partitionLeaderShutDownAndRestarted_everyOrderAnswered(DeliveryMode mode) throws Exception {
        Awaitility.pollInSameThread();
        long started = System.nanoTime();
        try (KafkaClusterTestKit cluster = threeBrokers()) {
            try (ChaosTopics topics = new ChaosTopics(cluster.bootstrapServers(), "leader", (short) 3, Map.of());
                 WorkerProcess worker = WorkerProcess.start("leader", topics.workerArgs("leader", mode,
                         "--step-latency", "20ms", "--max-in-flight", "128"));
                 SteadyOrders steady = SteadyOrders.start(topics, ChaosTopics.orders("leader", ORDERS, new Random(17)),
                         PER_SECOND)) {
                await("the worker holds partitions").atMost(WAIT).until(worker::holdsPartitions);
                await("orders are being answered").atMost(WAIT).until(() -> topics.answered().size() >= 500);

                int leader = leaderOf(cluster, topics.orders);
                cluster.brokers().get(leader).shutdown();
                cluster.brokers().get(leader).awaitShutdown();
                int answeredAtShutdown = topics.answered().size();
                System.out.printf("leader restart [%s]: broker %d (leader of %s-0) shut down at %d answered%n",
                        mode.label(), leader, topics.orders, answeredAtShutdown);
                await("a new leader for " + topics.orders + "-0").atMost(WAIT)
                        .until(() -> leaderOf(cluster, topics.orders) != leader);
                await("orders answered while broker " + leader + " is down").atMost(WAIT)
                        .until(() -> topics.answered().size() >= answeredAtShutdown + 1_000);

                cluster.restartBroker(leader, Map.of());
                await("broker " + leader + " back in the ISR of " + topics.orders + "-0").atMost(WAIT)
                        .until(() -> isrOf(cluster, topics.orders).contains(leader));
                System.out.printf("leader restart [%s]: broker %d back in the ISR at %d answered%n", mode.label(), leader,
                        topics.answered().size());

                steady.await(WAIT);
                await("every order answered").atMost(WAIT).until(topics::allAnswered);
                assertTrue(worker.isAlive(), worker::tail);
                worker.terminate();
                assertEquals(0, worker.awaitExit(Duration.ofSeconds(60)), worker::tail);

                Oracle.Counts counts = Oracle.verify("leader restart", mode, topics,
                        Duration.ofNanos(System.nanoTime() - started));
                Verdicts.assertDelivered(counts, mode, ORDERS);
            }
        }
    }

    private static KafkaClusterTestKit threeBrokers() throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setNumBrokerNodes(3)
                .setNumControllerNodes(1)
                .build())
                // Internal topics as durable as the pipeline's: a broker down loses no offset or transaction state.
                .setConfigProp("offsets.topic.replication.factor", "3")
                .setConfigProp("transaction.state.log.replication.factor", "3")
                .setConfigProp("transaction.state.log.min.isr", "2")
                .setConfigProp("min.insync.replicas", "2")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return cluster;
    }

    private static TopicDescription describe(KafkaClusterTestKit cluster, String topic) throws Exception {
        try (Admin admin = cluster.admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        }
    }

    private static int leaderOf(KafkaClusterTestKit cluster, String topic) throws Exception {
        org.apache.kafka.common.Node leader = describe(cluster, topic).partitions().getFirst().leader();
        return leader == null || leader.isEmpty() ? -1 : leader.id();
    }

    private static List<Integer> isrOf(KafkaClusterTestKit cluster, String topic) throws Exception {
        return describe(cluster, topic).partitions().getFirst().isr().stream().map(n -> n.id()).toList();
    }
}
