package dev.orderpipeline.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import dev.orderpipeline.testkafka.TestKafka;
import dev.orderpipeline.testsupport.WorkerProcess;
import java.time.Duration;
import java.time.Instant;
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
 * Steps slower than max.poll.interval.ms: the poll thread must keep polling while they run, so
 * the worker keeps its partitions and answers each order once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SlowStepChaosIT {

    private static final int MAX_POLL_INTERVAL_MS = 4_000;
    private static final Duration WAIT = Duration.ofMinutes(2);

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.orderpipeline.chaos.Modes#strictest")
    void stepsSlowerThanMaxPollInterval_keepMembership_answerOnce(DeliveryMode mode) throws Exception {
        Awaitility.pollInSameThread();
        long started = System.nanoTime();
        try (ChaosTopics topics = new ChaosTopics(TestKafka.bootstrapServers(), "slow", (short) 1, Map.of())) {
            Random random = new Random(11);
            List<OrderPlaced> orders = new ArrayList<>(ChaosTopics.orders("slow", 300, random));
            // Couriers that never answer: these end at the 20 s order deadline, five poll intervals.
            for (int i = 0; i < 3; i++) {
                orders.add(SampleOrders.order("stuck-" + i, Instant.now(), Simulation.courier(StepFault.SLOW), random));
            }
            try (WorkerProcess worker = WorkerProcess.start("slow", topics.workerArgs("slow", mode,
                    // Every step takes twice the poll interval.
                    "--step-latency", (2 * MAX_POLL_INTERVAL_MS) + "ms", "--step-jitter", "0ms",
                    "--order-deadline", "20s", "--max-in-flight", "400",
                    "--kafka", "max.poll.interval.ms=" + MAX_POLL_INTERVAL_MS))) {
                await("the worker holds partitions").atMost(WAIT).until(worker::holdsPartitions);
                topics.sendAll(orders);
                await("every order answered").atMost(WAIT).until(topics::allAnswered);
                assertTrue(worker.isAlive(), worker::tail);
                worker.terminate();
                assertEquals(0, worker.awaitExit(Duration.ofSeconds(60)), worker::tail);
                String log = worker.output();
                assertEquals(1, worker.count("partitions assigned: ["), () -> "assignments: " + worker.tail());
                // Its own shutdown revokes once; anything else means it left the group while steps ran.
                assertTrue(worker.count("partitions revoked: [") <= 1 && !log.contains("partitions lost"),
                        () -> "the worker lost its membership while steps ran: " + worker.tail());
                assertTrue(log.indexOf("partitions revoked: [") < 0 || log.indexOf("partitions revoked: [") > log.indexOf("SIGTERM received"),
                        () -> "revoked before SIGTERM: " + worker.tail());
            }
            Oracle.Counts counts = Oracle.verify("slow step", mode, topics, Duration.ofNanos(System.nanoTime() - started));
            Verdicts.assertDelivered(counts, mode, orders.size());
            // No rebalance, so no second answer in any mode.
            assertEquals(0, counts.duplicated(), () -> "orders answered twice: " + counts);
        }
    }
}
