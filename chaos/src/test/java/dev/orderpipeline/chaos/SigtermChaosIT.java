package dev.orderpipeline.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.testkafka.TestKafka;
import dev.orderpipeline.testsupport.WorkerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SIGTERM while at least 500 orders are in flight: they finish, the worker exits 0, a successor
 * does the rest. A drained stop commits what it answered, so nothing is answered twice, in either
 * mode; under at-least-once the successor commits only when it stops, so the group's lag at the
 * end shows what its stop committed (the final commit, and the hand-over commit as it leaves).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SigtermChaosIT {

    private static final int ORDERS = 1_500;
    private static final int IN_FLIGHT = 500;
    private static final Duration WAIT = Duration.ofMinutes(2);

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.orderpipeline.chaos.Modes#all")
    void sigtermWith500InFlight_drainsThemAndExitsZero(DeliveryMode mode) throws Exception {
        Awaitility.pollInSameThread();
        long started = System.nanoTime();
        try (ChaosTopics topics = new ChaosTopics(TestKafka.bootstrapServers(), "sigterm", (short) 1, Map.of())) {
            List<OrderPlaced> orders = ChaosTopics.orders("term", ORDERS, new Random(7));
            topics.sendAll(orders);
            try (WorkerProcess first = WorkerProcess.start("sigterm-first", topics.workerArgs("sigterm-first", mode,
                    // Four-second steps and room for 600: the worker fills up and stays full for seconds.
                    "--step-latency", "4s", "--step-jitter", "0ms", "--max-in-flight", "600",
                    "--order-deadline", "30s", "--drain-budget", "60s"))) {
                await("at least " + IN_FLIGHT + " orders in flight").atMost(WAIT)
                        .until(() -> first.inFlight().orElse(0) >= IN_FLIGHT);
                first.terminate();
                Integer exit = first.awaitExit(Duration.ofSeconds(90));
                assertNotNull(exit, () -> "still running 90 s after SIGTERM: " + first.tail());
                assertEquals(0, exit, first::tail);
                OptionalInt draining = first.inFlightAtDrain();
                System.out.printf("SIGTERM [%s]: %s orders in flight when draining began%n", mode.label(), draining);
                assertTrue(draining.orElse(0) >= IN_FLIGHT, () -> "in flight at SIGTERM: " + draining + "; " + first.tail());
                assertTrue(first.output().contains("step_threads_running=0"), first::tail);
            }
            // The drained orders were answered before the exit: they are there to read.
            await("the orders in flight at SIGTERM answered").atMost(WAIT)
                    .until(() -> topics.answered().size() >= IN_FLIGHT);
            try (WorkerProcess second = WorkerProcess.start("sigterm-second", successorArgs(topics, mode))) {
                topics.awaitAllAnswered("every order answered", WAIT);
                second.terminate();
                assertEquals(0, second.awaitExit(Duration.ofSeconds(60)), second::tail);
            }
            Oracle.Counts counts = Oracle.verify("SIGTERM 500+", mode, topics, Duration.ofNanos(System.nanoTime() - started));
            Verdicts.assertDelivered(counts, mode, ORDERS);
            assertEquals(0, counts.duplicated(), () -> "orders answered twice although each worker stopped with a drain"
                    + " and a final commit, verifier counts " + counts);
        }
    }

    /**
     * The successor's flags. Under at-least-once its periodic commits are put off past the end of
     * the scenario (10 min), so the offsets it leaves are those of the commit it makes at SIGTERM;
     * under exactly-once the commit interval is the transaction, and outcomes are only seen once
     * it commits, so it keeps the suite's interval.
     */
    private static List<String> successorArgs(ChaosTopics topics, DeliveryMode mode) {
        List<String> args = topics.workerArgs("sigterm-second", mode, "--step-latency", "10ms");
        if (mode == DeliveryMode.AT_LEAST_ONCE) {
            args.set(args.indexOf("--commit-interval") + 1, "10m");
        }
        return args;
    }
}
