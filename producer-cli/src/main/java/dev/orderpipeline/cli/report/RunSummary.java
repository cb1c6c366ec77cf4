package dev.orderpipeline.cli.report;

import dev.orderpipeline.cli.orders.Expect;
import dev.orderpipeline.cli.orders.Scenario;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderStatus;
import java.util.List;
import java.util.Map;

/**
 * What came back for the orders of one run: a snapshot taken from {@link OutcomeTracker}.
 * Counts by status, error class and problem are over the first answer per order; repeats are
 * counted as duplicates.
 *
 * @param expectedOutcomes    orders acked by Kafka that owe an outcome
 * @param answeredOutcomes    of those, how many got one
 * @param expectedDeadLetters malformed records acked by Kafka that owe a dead letter
 * @param answeredDeadLetters of those, how many were dead-lettered
 * @param byStatus            first outcome per order (malformed ones included, when the worker
 *                            also publishes a rejection for them)
 * @param byErrorClass        the same outcomes, by error class; successes are not listed
 * @param deadLettersByProblem first dead letter per order, by {@code dlt.problem} header
 * @param byScenario          per scenario: sent, answered, answered as the scenario predicts
 * @param missing             orders without their answer, in send order
 * @param duplicates          orders with more than one outcome or more than one dead letter, in
 *                            the order the repeats arrived
 * @param duplicateAnswers    how many answers beyond the first arrived
 * @param deadLetteredValid   valid orders that were dead-lettered
 * @param unreadableOutcomes  records on the results topic for our ids that are not outcomes
 * @param ignored             answers for orders this run did not send
 * @param latency             createdAt to the outcome being read, for orders that owe an outcome
 */
public record RunSummary(
        long expectedOutcomes,
        long answeredOutcomes,
        long expectedDeadLetters,
        long answeredDeadLetters,
        Map<OrderStatus, Long> byStatus,
        Map<ErrorClass, Long> byErrorClass,
        Map<String, Long> deadLettersByProblem,
        Map<Scenario, ScenarioTally> byScenario,
        List<Missing> missing,
        List<String> duplicates,
        long duplicateAnswers,
        long deadLetteredValid,
        long unreadableOutcomes,
        long ignored,
        LatencyReport latency) {

    /** Per scenario: how many were sent, answered, and answered the way the scenario predicts. */
    public record ScenarioTally(long sent, long answered, long asExpected) {
    }

    /** An order whose answer did not arrive. */
    public record Missing(String key, Scenario scenario, Expect expect) {
    }

    public RunSummary {
        byStatus = Map.copyOf(byStatus);
        byErrorClass = Map.copyOf(byErrorClass);
        deadLettersByProblem = Map.copyOf(deadLettersByProblem);
        byScenario = Map.copyOf(byScenario);
        missing = List.copyOf(missing);
        duplicates = List.copyOf(duplicates);
    }

    /** Every order that reached Kafka got its answer. */
    public boolean complete() {
        return missing.isEmpty();
    }
}
