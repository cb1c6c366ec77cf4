package dev.orderpipeline.cli.report;

import static dev.orderpipeline.cli.report.OutcomeTrackerTest.malformed;
import static dev.orderpipeline.cli.report.OutcomeTrackerTest.outcome;
import static dev.orderpipeline.cli.report.OutcomeTrackerTest.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.cli.kafka.SendResult;
import dev.orderpipeline.cli.orders.Scenario;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RunReportTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void completeRun_showsCountsByStatusErrorClassProblemAndScenario() {
        OutcomeTracker tracker = new OutcomeTracker();
        tracker.expect(valid("o-1", Scenario.VALID), T0);
        tracker.expect(valid("o-2", Scenario.DECLINE), T0);
        tracker.expect(malformed("o-3"), T0);
        tracker.onOutcome(outcome("o-1", OrderStatus.SUCCEEDED, null), T0.plusMillis(12));
        tracker.onOutcome(outcome("o-2", OrderStatus.FAILED, ErrorClass.PAYMENT_DECLINED), T0.plusMillis(30));
        tracker.onDeadLetter("o-3", "MALFORMED_JSON", T0.plusMillis(20));

        List<String> lines = RunReport.lines(tracker.summary(), "order-results", "orders.DLT",
                Duration.ofMillis(1500), Duration.ofSeconds(60));

        assertEquals("answers   2 of 2 outcomes on order-results, 1 of 1 dead letters on orders.DLT, within 1.50 s",
                lines.getFirst());
        assertContainsInOrder(lines,
                "outcomes by status (first outcome per order)",
                "  succeeded                   1",
                "  failed                      1",
                "  rejected                    0",
                "outcomes by error class",
                "  payment_declined            1",
                "dead letters by dlt.problem",
                "  MALFORMED_JSON              1",
                "by scenario                sent  answered  as expected",
                "  valid                       1         1            1",
                "  decline                     1         1            1",
                "  malformed                   1         1            1",
                "latency, send (createdAt) to outcome read (2 orders)",
                "duplicates  none",
                "missing     none");
    }

    @Test
    void missingOrders_listTheFirst20_andCountTheRest() {
        OutcomeTracker tracker = new OutcomeTracker();
        for (int i = 1; i <= 25; i++) {
            tracker.expect(valid("o-" + i, Scenario.VALID), T0);
        }

        List<String> lines = RunReport.lines(tracker.summary(), "r", "d", Duration.ofSeconds(5), Duration.ofSeconds(5));

        int header = lines.indexOf("missing     25 orders got no answer within 5s:");
        assertTrue(header > 0, String.join("\n", lines));
        assertEquals("  o-1                            valid, no outcome", lines.get(header + 1));
        assertEquals("  o-20                           valid, no outcome", lines.get(header + 20));
        assertEquals("  ... and 5 more", lines.get(header + 21));
        assertEquals(header + 22, lines.size());
    }

    @Test
    void duplicatesAndStrayDeadLetters_areFlagged() {
        OutcomeTracker tracker = new OutcomeTracker();
        tracker.expect(valid("o-1", Scenario.VALID), T0);
        tracker.onOutcome(outcome("o-1", OrderStatus.SUCCEEDED, null), T0);
        tracker.onOutcome(outcome("o-1", OrderStatus.SUCCEEDED, null), T0);
        tracker.onDeadLetter("o-1", "RULE_VIOLATION", T0);
        tracker.onOutcome(outcome("other", OrderStatus.SUCCEEDED, null), T0);

        List<String> lines = RunReport.lines(tracker.summary(), "r", "d", Duration.ZERO, Duration.ofSeconds(5));

        assertTrue(lines.contains("duplicates  1 orders answered more than once (1 extra answers): o-1"), String.join("\n", lines));
        assertTrue(lines.contains("dead-lettered although valid  1"), String.join("\n", lines));
        assertTrue(lines.contains("ignored  1 answers for orders this run did not send"), String.join("\n", lines));
    }

    @Test
    void sendSummary_namesSourceScenariosAndFailures() {
        SendResult result = new SendResult(10, 4, 3, 1, Optional.of("TimeoutException: expired"), Duration.ofMillis(2500),
                Map.of(Scenario.VALID, 3L, Scenario.MALFORMED, 1L));

        List<String> lines = SendReport.lines(result, "10 generated orders (--seed 1 --key-space ks)", "orders");

        assertEquals(List.of(
                "sent      4 of 10 records to orders in 2.50 s: 3 acked, 1 failed",
                "  source     10 generated orders (--seed 1 --key-space ks)",
                "  scenarios  valid 3, malformed 1",
                "  first failure  TimeoutException: expired",
                "  stopped at the first failure: 6 records not sent"), lines);
    }

    private static void assertContainsInOrder(List<String> lines, String... expected) {
        int from = 0;
        for (String line : expected) {
            int at = lines.subList(from, lines.size()).indexOf(line);
            assertTrue(at >= 0, "missing, or out of order: '" + line + "' in\n" + String.join("\n", lines));
            from += at + 1;
        }
    }
}
