package dev.orderpipeline.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.cli.orders.Expect;
import dev.orderpipeline.cli.orders.Malformation;
import dev.orderpipeline.cli.orders.OutgoingOrder;
import dev.orderpipeline.cli.orders.Scenario;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SampleOrders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OutcomeTrackerTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final OutcomeTracker tracker = new OutcomeTracker();

    @Test
    void outcomesAndDeadLetters_answerTheirOrders_andLatencyIsReadTimeMinusCreatedAt() throws Exception {
        tracker.expect(valid("o-1", Scenario.VALID), T0);
        tracker.expect(valid("o-2", Scenario.DECLINE), T0.plusMillis(1));
        tracker.expect(malformed("o-3"), T0.plusMillis(2));
        tracker.allSent();

        tracker.onOutcome(outcome("o-1", OrderStatus.SUCCEEDED, null), T0.plusMillis(25));
        tracker.onOutcome(outcome("o-2", OrderStatus.FAILED, ErrorClass.PAYMENT_DECLINED), T0.plusMillis(41));
        tracker.onDeadLetter("o-3", "MALFORMED_JSON", T0.plusMillis(30));

        assertInstanceOf(OutcomeTracker.Completion.AllAnswered.class, tracker.awaitAnswers(Duration.ZERO));
        RunSummary s = tracker.summary();
        assertEquals(2, s.answeredOutcomes());
        assertEquals(1, s.answeredDeadLetters());
        assertEquals(Map.of(OrderStatus.SUCCEEDED, 1L, OrderStatus.FAILED, 1L), s.byStatus());
        assertEquals(Map.of(ErrorClass.PAYMENT_DECLINED, 1L), s.byErrorClass());
        assertEquals(Map.of("MALFORMED_JSON", 1L), s.deadLettersByProblem());
        assertEquals(2, s.latency().count(), "dead letters are not in the latency");
        assertEquals(Duration.ofMillis(40), s.latency().max().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertEquals(List.of(), s.missing());
        assertTrue(s.complete());
    }

    @Test
    void answersForOtherOrders_areIgnored_andCounted() {
        tracker.expect(valid("o-1", Scenario.VALID), T0);

        tracker.onOutcome(outcome("someone-else", OrderStatus.SUCCEEDED, null), T0);
        tracker.onDeadLetter("someone-else", "WRONG_TYPE", T0);
        tracker.onDeadLetter(null, "WRONG_TYPE", T0);

        RunSummary s = tracker.summary();
        assertEquals(3, s.ignored());
        assertEquals(0, s.answeredOutcomes());
        assertEquals(Map.of(), s.byStatus());
    }

    @Test
    void secondOutcomeForAnOrder_isADuplicate_andNotCountedTwice() {
        tracker.expect(valid("o-1", Scenario.VALID), T0);
        tracker.expect(valid("o-2", Scenario.VALID), T0);

        tracker.onOutcome(outcome("o-1", OrderStatus.SUCCEEDED, null), T0.plusMillis(5));
        tracker.onOutcome(outcome("o-1", OrderStatus.SUCCEEDED, null), T0.plusMillis(6));
        tracker.onOutcome(outcome("o-1", OrderStatus.FAILED, ErrorClass.TIMEOUT), T0.plusMillis(7));

        RunSummary s = tracker.summary();
        assertEquals(List.of("o-1"), s.duplicates());
        assertEquals(2, s.duplicateAnswers());
        assertEquals(Map.of(OrderStatus.SUCCEEDED, 1L), s.byStatus());
        assertEquals(1, s.latency().count());
    }

    @Test
    void missingOrders_areListedInSendOrder_andWaitingForThemTimesOut() throws Exception {
        for (String id : List.of("o-3", "o-1", "o-2")) {
            tracker.expect(valid(id, Scenario.VALID), T0);
        }
        tracker.allSent();
        tracker.onOutcome(outcome("o-1", OrderStatus.SUCCEEDED, null), T0);

        assertEquals(new OutcomeTracker.Counts(1, 3), tracker.counts());
        assertInstanceOf(OutcomeTracker.Completion.TimedOut.class, tracker.awaitAnswers(Duration.ofMillis(50)));
        assertEquals(List.of(new RunSummary.Missing("o-3", Scenario.VALID, Expect.OUTCOME),
                new RunSummary.Missing("o-2", Scenario.VALID, Expect.OUTCOME)), tracker.summary().missing());
    }

    @Test
    void beforeAllIsSent_answersSoFarAreNotCompletion() throws Exception {
        tracker.expect(valid("o-1", Scenario.VALID), T0);
        tracker.onOutcome(outcome("o-1", OrderStatus.SUCCEEDED, null), T0);

        assertInstanceOf(OutcomeTracker.Completion.TimedOut.class, tracker.awaitAnswers(Duration.ZERO));
        tracker.allSent();
        assertInstanceOf(OutcomeTracker.Completion.AllAnswered.class, tracker.awaitAnswers(Duration.ZERO));
    }

    @Test
    void aRecordKafkaRefused_owesNoAnswer() throws Exception {
        tracker.expect(valid("o-1", Scenario.VALID), T0);
        tracker.expect(valid("o-2", Scenario.VALID), T0);
        tracker.sendFailed("o-2");
        tracker.allSent();
        tracker.onOutcome(outcome("o-1", OrderStatus.SUCCEEDED, null), T0);

        assertInstanceOf(OutcomeTracker.Completion.AllAnswered.class, tracker.awaitAnswers(Duration.ZERO));
        assertEquals(new OutcomeTracker.Counts(1, 1), tracker.counts());
        RunSummary s = tracker.summary();
        assertEquals(1, s.expectedOutcomes());
        assertEquals(List.of(), s.missing());
        assertEquals(1, s.byScenario().get(Scenario.VALID).sent());
    }

    @Test
    void answerFromThePollThread_wakesTheWaiter_beforeTheTimeout() throws Exception {
        tracker.expect(valid("o-1", Scenario.VALID), T0);
        tracker.allSent();
        Thread poll = Thread.ofPlatform().start(() -> tracker.onOutcome(outcome("o-1", OrderStatus.SUCCEEDED, null), T0));

        long start = System.nanoTime();
        OutcomeTracker.Completion completion = tracker.awaitAnswers(Duration.ofSeconds(30));

        assertInstanceOf(OutcomeTracker.Completion.AllAnswered.class, completion);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "waited for the timeout, not the answer");
        poll.join();
    }

    @Test
    void consumerFailure_endsTheWait_withItsCause() throws Exception {
        tracker.expect(valid("o-1", Scenario.VALID), T0);
        tracker.allSent();
        IllegalStateException cause = new IllegalStateException("boom");
        tracker.onConsumerFailure(cause);

        OutcomeTracker.Completion completion = tracker.awaitAnswers(Duration.ofSeconds(30));

        assertEquals(new OutcomeTracker.Completion.ConsumerFailed(cause), completion);
    }

    @Test
    void scenarioTally_comparesEachOutcomeWithWhatTheScenarioPredicts() {
        tracker.expect(valid("d-1", Scenario.DECLINE), T0);
        tracker.expect(valid("d-2", Scenario.DECLINE), T0);
        tracker.expect(valid("s-1", Scenario.SLOW_COURIER), T0);
        tracker.expect(malformed("m-1"), T0);

        tracker.onOutcome(outcome("d-1", OrderStatus.FAILED, ErrorClass.PAYMENT_DECLINED), T0);
        tracker.onOutcome(outcome("d-2", OrderStatus.SUCCEEDED, null), T0);
        tracker.onOutcome(outcome("m-1", OrderStatus.REJECTED, ErrorClass.INVALID_ORDER), T0);
        tracker.onDeadLetter("m-1", "WRONG_TYPE", T0);

        RunSummary s = tracker.summary();
        assertEquals(new RunSummary.ScenarioTally(2, 2, 1), s.byScenario().get(Scenario.DECLINE));
        assertEquals(new RunSummary.ScenarioTally(1, 0, 0), s.byScenario().get(Scenario.SLOW_COURIER));
        assertEquals(new RunSummary.ScenarioTally(1, 1, 1), s.byScenario().get(Scenario.MALFORMED));
        assertEquals(1, s.byStatus().get(OrderStatus.REJECTED), "the rejection of a malformed order is an outcome too");
        assertEquals(2, s.latency().count(), "only orders that owe an outcome are timed");
    }

    @Test
    void validOrderOnTheDeadLetterTopic_isFlagged_andStillOwesItsOutcome() {
        tracker.expect(valid("o-1", Scenario.VALID), T0);
        tracker.allSent();

        tracker.onDeadLetter("o-1", "RULE_VIOLATION", T0);

        RunSummary s = tracker.summary();
        assertEquals(1, s.deadLetteredValid());
        assertEquals(List.of(new RunSummary.Missing("o-1", Scenario.VALID, Expect.OUTCOME)), s.missing());
    }

    @Test
    void deadLetterWithoutProblemHeader_isCountedUnderItsOwnName() {
        tracker.expect(malformed("m-1"), T0);

        tracker.onDeadLetter("m-1", null, T0);

        assertEquals(Map.of("(no dlt.problem header)", 1L), tracker.summary().deadLettersByProblem());
    }

    static OutgoingOrder valid(String id, Scenario scenario) {
        return new OutgoingOrder.Stamped(SampleOrders.order(id, T0, null, new SplittableRandom(1)), scenario);
    }

    static OutgoingOrder malformed(String id) {
        return new OutgoingOrder.Malformed(SampleOrders.order(id, T0, null, new SplittableRandom(1)), Malformation.BROKEN_JSON);
    }

    static OrderOutcome outcome(String id, OrderStatus status, ErrorClass errorClass) {
        return new OrderOutcome(OrderOutcome.SCHEMA_VERSION, id, status, errorClass,
                errorClass == null ? null : errorClass.code(), List.of(), 1, T0, T0, T0, "test-worker");
    }
}
