package dev.orderpipeline.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.testkafka.TestKafka;
import dev.orderpipeline.testsupport.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A rebalance storm: three workers in one group, and every few seconds one of them leaves
 * (SIGTERM) and a new one joins, while orders arrive at a steady rate. Five orders per key, sent
 * back to back: a key whose partition moves mid-way must still be answered in turn.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RebalanceStormChaosIT {

    private static final int ORDERS_PER_KEY = 5;
    private static final int ORDERS = 480 * ORDERS_PER_KEY;
    private static final int PER_SECOND = 80;
    private static final int CHANGES = 6;
    private static final Duration WAIT = Duration.ofMinutes(2);
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.orderpipeline.chaos.Modes#strictest")
    void workersJoinAndLeaveEveryFewSeconds_everyOrderAnswered(DeliveryMode mode) throws Exception {
        Awaitility.pollInSameThread();
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        System.out.printf("rebalance storm [%s]: seed %d (rerun with -Dchaos.seed=%d)%n", mode.label(), seed, seed);
        Random random = new Random(seed);
        long started = System.nanoTime();
        List<WorkerProcess> running = new ArrayList<>();
        List<WorkerProcess> left = new ArrayList<>();
        try (ChaosTopics topics = new ChaosTopics(TestKafka.bootstrapServers(), "storm", (short) 1, Map.of())) {
            int next = 0;
            for (; next < 3; next++) {
                running.add(WorkerProcess.start("storm-" + next, args(topics, mode, "storm-" + next)));
            }
            // Orders start once all three are members, so that the storm, not the start-up, meets them.
            await("the first workers hold partitions").atMost(WAIT)
                    .until(() -> running.stream().allMatch(WorkerProcess::holdsPartitions));
            int changesWithWorkPending = 0;
            try (SteadyOrders steady = SteadyOrders.start(topics,
                    ChaosTopics.ordersPerKey("storm", ORDERS / ORDERS_PER_KEY, ORDERS_PER_KEY, random), PER_SECOND)) {
                for (int change = 0; change < CHANGES; change++) {
                    long pause = 2_000 + random.nextInt(3_000);
                    // The storm's rhythm, not a wait for a condition.
                    Thread.sleep(pause);
                    // Any worker may leave, also one still connecting: SIGTERM then abandons its start-up
                    // (exit 0). Not a JVM that has not reached main() yet: the JVM itself ends that one (143).
                    await("a worker whose main() runs").atMost(WAIT)
                            .until(() -> running.stream().anyMatch(WorkerProcess::mainStarted));
                    List<WorkerProcess> up = running.stream().filter(WorkerProcess::mainStarted).toList();
                    WorkerProcess leaving = up.get(random.nextInt(up.size()));
                    running.remove(leaving);
                    leaving.terminate();
                    // Orders on the topic without an outcome when the worker is told to leave.
                    if (topics.unanswered() > 0) {
                        changesWithWorkPending++;
                    }
                    left.add(leaving);
                    running.add(WorkerProcess.start("storm-" + next, args(topics, mode, "storm-" + next)));
                    next++;
                    System.out.printf("storm: after %d ms %s leaves, storm-%d joins; %d of %d sent answered%n", pause,
                            leaving.name(), next - 1, topics.ordersAnswered(), topics.ordersSent());
                }
                assertTrue(changesWithWorkPending >= CHANGES / 2, "only " + changesWithWorkPending + " of " + CHANGES
                        + " changes came while orders on the topic were unanswered");
                steady.await(WAIT);
                topics.awaitAllAnswered("every order answered after " + CHANGES + " leaves and joins", WAIT);
            }
            await("the last workers' main() runs").atMost(WAIT)
                    .until(() -> running.stream().allMatch(WorkerProcess::mainStarted));
            for (WorkerProcess w : running) {
                w.terminate();
            }
            List<WorkerProcess> all = new ArrayList<>(left);
            all.addAll(running);
            for (WorkerProcess w : all) {
                Integer exit = w.awaitExit(Duration.ofSeconds(60));
                // Also a stop that meets a rebalance, or comes during start-up: 0, as documented.
                assertEquals(0, exit, () -> "exit code of a worker sent SIGTERM: " + w.tail());
            }
            // Revocations a worker logged before its own SIGTERM: partitions moved to a worker that
            // joined, not given up by one that was leaving.
            int revocations = all.stream().mapToInt(RebalanceStormChaosIT::revocationsBeforeItsStop).sum();
            System.out.printf("storm: %d workers in all, %d partition revocations to other workers logged%n",
                    all.size(), revocations);
            assertTrue(revocations >= CHANGES / 2, "the storm moved partitions between running workers only "
                    + revocations + " times in " + CHANGES + " changes");
            Oracle.Counts counts = Oracle.verify("rebalance storm", mode, topics, Duration.ofNanos(System.nanoTime() - started));
            Verdicts.assertDelivered(counts, mode, ORDERS);
        } finally {
            for (WorkerProcess w : running) {
                w.close();
            }
            for (WorkerProcess w : left) {
                w.close();
            }
        }
    }

    private static int revocationsBeforeItsStop(WorkerProcess worker) {
        String output = worker.output();
        int stop = output.indexOf("SIGTERM received");
        String beforeStop = stop < 0 ? output : output.substring(0, stop);
        int count = 0;
        for (int at = beforeStop.indexOf("partitions revoked: ["); at >= 0; at = beforeStop.indexOf("partitions revoked: [", at + 1)) {
            count++;
        }
        return count;
    }

    private static List<String> args(ChaosTopics topics, DeliveryMode mode, String workerId) {
        return topics.workerArgs(workerId, mode, "--step-latency", "20ms", "--max-in-flight", "64");
    }
}
