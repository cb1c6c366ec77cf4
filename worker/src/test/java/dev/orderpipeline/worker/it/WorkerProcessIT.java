package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.testsupport.WorkerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker as a separate process, stopped the way production stops it: SIGTERM with orders
 * in flight, and SIGKILL followed by a restart (at-least-once: duplicates allowed, loss not;
 * exactly-once: neither, for a read_committed consumer).
 */
@Timeout(300)
class WorkerProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(120);

    private static String[] args(PipelineTopics topics, String workerId, String stepLatency, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers", topics.bootstrapServers(),
                "--orders-topic", topics.orders, "--results-topic", topics.results,
                "--dead-letter-topic", topics.deadLetters, "--group-id", topics.groupId, "--worker-id", workerId,
                "--step-latency", stepLatency, "--step-jitter", "0ms",
                // A killed worker's partitions move after this, not after the 45 s default.
                "--kafka", "session.timeout.ms=6000", "--kafka", "heartbeat.interval.ms=1000"));
        args.addAll(List.of(more));
        if (!args.contains("--order-deadline")) {
            args.addAll(List.of("--order-deadline", "10s"));
        }
        if (!args.contains("--commit-interval")) {
            args.addAll(List.of("--commit-interval", "200ms"));
        }
        return args.toArray(String[]::new);
    }

    private static List<OrderPlaced> orders(String prefix, int count) {
        Random random = new Random(prefix.hashCode());
        List<OrderPlaced> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            orders.add(SampleOrders.order(prefix + "-" + i, Instant.now(), null, random));
        }
        return orders;
    }

    private static Set<String> ids(List<OrderPlaced> orders) {
        Set<String> ids = new HashSet<>();
        orders.forEach(o -> ids.add(o.orderId()));
        return ids;
    }

    @Test
    void sigtermWithOrdersInFlight_exitsZeroInTime_andEveryOrderHasExactlyOneOutcome() throws Exception {
        try (PipelineTopics topics = new PipelineTopics("sigterm");
             WorkerProcess first = WorkerProcess.start("sigterm-first",
                     args(topics, "sigterm-first", "1s", "--max-in-flight", "100", "--drain-budget", "30s"))) {
            List<OrderPlaced> orders = orders("term", 300);
            topics.sendAll(orders);
            // One-second steps and 100 in flight: when the first outcomes appear, ~100 orders are running.
            await("the worker is processing").atMost(WAIT).until(() -> !topics.outcomes().isEmpty());

            long signalled = System.nanoTime();
            first.terminate();
            Integer exit = first.awaitExit(Duration.ofSeconds(40));
            Duration took = Duration.ofNanos(System.nanoTime() - signalled);

            assertNotNull(exit, () -> "still running 40 s after SIGTERM:\n" + first.output());
            assertEquals(0, exit, () -> "exit code; output:\n" + first.output());
            assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, () -> "shutdown took " + took.toMillis() + " ms");
            String output = first.output();
            assertTrue(output.contains("step_threads_running=0"), () -> "no proof that no step thread was left:\n" + output);
            assertTrue(output.contains("SIGTERM received"), () -> output);
            java.util.regex.Matcher draining = java.util.regex.Pattern.compile("waiting up to \\d+ ms for (\\d+) in-flight orders")
                    .matcher(output);
            assertTrue(draining.find() && Integer.parseInt(draining.group(1)) > 0,
                    () -> "SIGTERM arrived with no order in flight:\n" + output);

            // A second worker takes what the first did not start; nothing is lost or doubled.
            try (WorkerProcess second = WorkerProcess.start("sigterm-second", args(topics, "sigterm-second", "10ms"))) {
                await("every order has an outcome").atMost(WAIT).until(() -> topics.allHaveOutcomes(ids(orders)));
                await("all committed").atMost(WAIT).until(topics::allCommitted);
                second.terminate();
                assertEquals(0, second.awaitExit(Duration.ofSeconds(40)), second::output);
            }
            assertEquals(orders.size(), topics.outcomes().size());
            assertEquals(Set.of(), topics.duplicates(), "orders with more than one outcome");
        }
    }

    @Test
    void killMinus9ThenRestart_everyOrderEndsWithAnOutcome() throws Exception {
        try (PipelineTopics topics = new PipelineTopics("kill9")) {
            List<OrderPlaced> orders = orders("kill", 2000);
            int duplicates;
            try (WorkerProcess doomed = WorkerProcess.start("kill9-first",
                    args(topics, "kill9-first", "50ms", "--max-in-flight", "32"))) {
                topics.sendAll(orders);
                await("some outcomes before the kill").atMost(WAIT).until(() -> topics.outcomes().size() >= 100);
                doomed.kill();
                assertTrue(topics.outcomes().size() < orders.size(), "the worker finished everything before the kill");
            }
            // The dead worker commits nothing more: what it committed and answered is now fixed.
            long committedAtKill = topics.committedVersusEnd().values().stream().mapToLong(v -> Math.max(0, v[0])).sum();
            int answeredAtKill = topics.readToEnd().size();
            assertTrue(committedAtKill > 0, "nothing committed before the kill");
            try (WorkerProcess restarted = WorkerProcess.start("kill9-restarted", args(topics, "kill9-restarted", "10ms"))) {
                await("every order has an outcome after the restart").atMost(WAIT)
                        .until(() -> topics.allHaveOutcomes(ids(orders)));
                await("all committed").atMost(WAIT).until(topics::allCommitted);
                restarted.terminate();
                assertEquals(0, restarted.awaitExit(Duration.ofSeconds(40)), restarted::output);
            }
            duplicates = topics.duplicates().size();
            // At-least-once: orders finished but not yet committed at the kill are done again.
            System.out.printf("kill -9: %d orders, %d answered and %d committed at the kill, %d answered twice%n",
                    orders.size(), answeredAtKill, committedAtKill, duplicates);
            assertEquals(ids(orders), topics.outcomes().keySet());
            // Only orders answered but not yet committed at the kill may be done again: a restart
            // that redid committed work would exceed this.
            assertTrue(duplicates <= answeredAtKill - committedAtKill, () -> duplicates + " answered twice, but only "
                    + (answeredAtKill - committedAtKill) + " were answered and not committed at the kill");
        }
    }

    @Test
    void exactlyOnce_killMinus9ThenRestart_everyOrderHasExactlyOneCommittedOutcome() throws Exception {
        try (PipelineTopics topics = new PipelineTopics("kill9-eos")) {
            List<OrderPlaced> orders = orders("eos-kill", 2000);
            // Transactions of 3 s: the kill lands inside an open one, with outcomes in it, not in
            // the short moment of a commit (whose end marker the broker writes even after a kill).
            try (WorkerProcess doomed = WorkerProcess.start("kill9-eos-first",
                    args(topics, "kill9-eos", "50ms", "--max-in-flight", "32", "--delivery", "exactly-once",
                            "--commit-interval", "3s"))) {
                topics.sendAll(orders);
                await("some committed outcomes before the kill").atMost(WAIT).until(() -> topics.outcomes().size() >= 100);
                doomed.kill();
                assertTrue(topics.outcomes().size() < orders.size(), "the worker finished everything before the kill");
            }
            // The same worker id, so the same transactional id: the restarted worker fences the
            // killed one and aborts the transaction it left open at once, instead of waiting for
            // the broker to time it out.
            try (WorkerProcess restarted = WorkerProcess.start("kill9-eos-restarted",
                    args(topics, "kill9-eos", "10ms", "--delivery", "exactly-once"))) {
                await("every order has a committed outcome after the restart").atMost(WAIT)
                        .until(() -> topics.allHaveOutcomes(ids(orders)));
                await("all committed").atMost(WAIT).until(topics::allCommitted);
                restarted.terminate();
                assertEquals(0, restarted.awaitExit(Duration.ofSeconds(40)), restarted::output);
            }
            UncommittedLog log = UncommittedLog.read(topics.results, PipelineTopics.PARTITIONS);
            // Exactly-once, as a read_committed consumer sees it; the killed worker's open
            // transaction is visible only to read_uncommitted readers, and only as aborted records.
            System.out.printf("kill -9, exactly-once: %d orders, %d with a committed outcome, %d with more than one; "
                            + "read_uncommitted: %d records, %d orders with more than one%n", orders.size(),
                    topics.outcomes().size(), topics.duplicates().size(), log.records(), log.keysWithMoreThanOne());
            assertEquals(ids(orders), topics.outcomes().keySet());
            assertEquals(Set.of(), topics.duplicates(), "orders with more than one committed outcome");
            // The kill hit an open transaction: its outcomes are on the log, aborted, and were
            // answered again in a committed one.
            assertTrue(log.records() > orders.size(), () -> "no aborted outcome: the kill hit no open transaction; " + log);
            assertTrue(log.keysWithMoreThanOne() > 0, () -> "no order answered in the aborted and a committed transaction; " + log);
        }
    }

    @Test
    void afterACrash_ordersFinishedAboveASlowOne_areNotProcessedAgain() throws Exception {
        try (PipelineTopics topics = new PipelineTopics("skip")) {
            // One order that holds its partition's commit back for 15 s, and many fast ones
            // behind it that finish long before.
            List<OrderPlaced> orders = new ArrayList<>();
            orders.add(SampleOrders.order("skip-slow", Instant.now(),
                    dev.orderpipeline.contract.Simulation.courier(dev.orderpipeline.contract.StepFault.SLOW), new Random(1)));
            orders.addAll(orders("skip-fast", 150));
            try (WorkerProcess doomed = WorkerProcess.start("skip-first",
                    args(topics, "skip-first", "10ms", "--order-deadline", "15s"))) {
                topics.sendAll(orders);
                Set<String> fast = ids(orders.subList(1, orders.size()));
                await("every fast order answered").atMost(WAIT).until(() -> topics.allHaveOutcomes(fast));
                await("the commit behind the slow order records the finished ones").atMost(WAIT)
                        .until(() -> topics.committed().values().stream().anyMatch(c -> !c.metadata().isEmpty())
                                && committedAroundTheSlowOrder(topics, orders.size()));
                assertTrue(!topics.outcomes().containsKey("skip-slow"), "the slow order finished before the kill");
                doomed.kill();
            }
            try (WorkerProcess restarted = WorkerProcess.start("skip-restarted", args(topics, "skip-restarted", "10ms"))) {
                await("the slow order answered by the new worker").atMost(WAIT)
                        .until(() -> topics.outcomes().containsKey("skip-slow"));
                await("all committed").atMost(WAIT).until(topics::allCommitted);
                restarted.terminate();
                assertEquals(0, restarted.awaitExit(Duration.ofSeconds(40)), restarted::output);
                String output = restarted.output();
                // The fast orders that share the slow order's partition finished above its offset:
                // the commit metadata names them, and the new owner skips exactly those.
                int partition = partitionOf("skip-slow");
                long behindTheSlowOne = orders.subList(1, orders.size()).stream()
                        .filter(o -> partitionOf(o.orderId()) == partition).count();
                java.util.regex.Matcher skipped = java.util.regex.Pattern
                        .compile("(\\d+) records skipped: finished by an earlier owner").matcher(output);
                assertTrue(skipped.find(), () -> "no skip line:\n" + output);
                assertEquals(behindTheSlowOne, Long.parseLong(skipped.group(1)), "records skipped by the new owner");
            }
            assertEquals(Set.of(), topics.duplicates(), "orders processed again after the crash");
            assertEquals(ids(orders), topics.outcomes().keySet());
        }
    }

    /** The orders partition the default partitioner gives {@code orderId}, the record key. */
    private static int partitionOf(String orderId) {
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                orderId.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % PipelineTopics.PARTITIONS;
    }

    /** Every partition committed to its end, except the slow order's, committed at the slow order. */
    private static boolean committedAroundTheSlowOrder(PipelineTopics topics, int total) throws Exception {
        long committed = topics.committedVersusEnd().values().stream().mapToLong(v -> Math.max(0, v[0])).sum();
        long ends = topics.committedVersusEnd().values().stream().mapToLong(v -> v[1]).sum();
        return ends == total && committed < total
                && topics.committedVersusEnd().values().stream().filter(v -> v[0] != v[1]).count() == 1;
    }
}
