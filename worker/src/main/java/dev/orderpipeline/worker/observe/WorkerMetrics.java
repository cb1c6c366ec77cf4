package dev.orderpipeline.worker.observe;

import dev.orderpipeline.contract.CompensationStatus;
import dev.orderpipeline.contract.DecodedOrder;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.StepName;
import dev.orderpipeline.contract.StepResult;
import dev.orderpipeline.contract.StepStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The worker's own meters, named in one place: what happened to orders and records, and how
 * loaded the worker is. Also the totals logged when the worker stops. Thread-safe: order threads
 * count outcomes, the poll thread counts skips and keeps commit lags.
 *
 * <p>Every outcome and dead-letter series is registered at zero up front, so a rate over the
 * first failure of a kind is not lost to a series that appears only when it happens.
 */
public final class WorkerMetrics {

    /** The values of {@code step_attempt_duration}'s {@code result} tag. */
    public static final List<String> ATTEMPT_RESULTS = List.of("succeeded", "failed", "timed_out", "cancelled");

    private static final OrderStatus[] STATUSES = OrderStatus.values();
    private static final ErrorClass[] ERROR_CLASSES = ErrorClass.values();
    private static final StepName[] STEPS = StepName.values();
    private static final StepStatus[] STEP_STATUSES = StepStatus.values();
    private static final DecodedOrder.Problem[] PROBLEMS = DecodedOrder.Problem.values();

    private final MeterRegistry registry;
    private final Counter skippedAsFinishedEarlier;
    // Micrometer keeps a function counter's state object only weakly: held here, or the two
    // ledger readers are collected and payments_charged_total reads 0 forever.
    private final List<LongSupplier> ledgerReaders = new CopyOnWriteArrayList<>();
    // By status, then error class (slot 0: none).
    private final MeterSlots<Counter> processed = new MeterSlots<>(STATUSES.length * (ERROR_CLASSES.length + 1),
            i -> OrderMeters.processed(registry(), STATUSES[i / (ERROR_CLASSES.length + 1)],
                    i % (ERROR_CLASSES.length + 1) == 0 ? null : ERROR_CLASSES[i % (ERROR_CLASSES.length + 1) - 1]));
    private final MeterSlots<Counter> deadLetters = new MeterSlots<>(PROBLEMS.length,
            i -> OrderMeters.deadLetters(registry(), PROBLEMS[i]));
    private final MeterSlots<Timer> orderDurations = new MeterSlots<>(STATUSES.length,
            i -> OrderMeters.orderDuration(registry(), STATUSES[i]));
    // By step, then step status.
    private final MeterSlots<Timer> stepDurations = new MeterSlots<>(STEPS.length * STEP_STATUSES.length,
            i -> OrderMeters.stepDuration(registry(), STEPS[i / STEP_STATUSES.length],
                    STEP_STATUSES[i % STEP_STATUSES.length]));
    // By step, then attempt result.
    private final MeterSlots<Timer> stepAttempts = new MeterSlots<>(STEPS.length * ATTEMPT_RESULTS.size(),
            i -> OrderMeters.stepAttemptDuration(registry(), STEPS[i / ATTEMPT_RESULTS.size()],
                    ATTEMPT_RESULTS.get(i % ATTEMPT_RESULTS.size())));
    private final Counter transactionsCommitted;
    private final Counter transactionsAborted;
    private final Counter commitMetadataTruncated;
    // Not exported: transactions{result=aborted} already counts these aborts. Kept apart so that a
    // test can tell an abort at a hand-over from one at an interval commit. Poll thread writes.
    private final LongAdder transactionsAbortedAtHandOver = new LongAdder();

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        processed(OrderStatus.SUCCEEDED, null);
        for (ErrorClass errorClass : ErrorClass.values()) {
            processed(errorClass == ErrorClass.INVALID_ORDER ? OrderStatus.REJECTED : OrderStatus.FAILED, errorClass);
        }
        for (DecodedOrder.Problem problem : DecodedOrder.Problem.values()) {
            deadLetters(problem);
        }
        this.skippedAsFinishedEarlier = Counter.builder("records.skipped")
                .description("Records not processed because an earlier owner of the partition finished them "
                        + "(per the commit metadata)")
                .tag("reason", "finished_earlier")
                .register(registry);
        this.transactionsCommitted = OrderMeters.transactions(registry, "committed");
        this.transactionsAborted = OrderMeters.transactions(registry, "aborted");
        this.commitMetadataTruncated = Counter.builder("commit.metadata.truncated")
                .description("Commits whose metadata had to leave finished offsets out (they will be processed "
                        + "again after a restart or rebalance); the dispatch window should keep this at 0")
                .register(registry);
        registerRecoveryMeters();
    }

    /** The retry and compensation series, at zero, for every step and every class that can happen. */
    private void registerRecoveryMeters() {
        for (StepName step : StepName.values()) {
            for (ErrorClass errorClass : ErrorClass.values()) {
                if (errorClass.retryable()) {
                    OrderMeters.retries(registry, step, errorClass);
                }
            }
            for (CompensationStatus status : CompensationStatus.values()) {
                OrderMeters.compensations(registry, step, status);
            }
        }
    }

    /** A transaction with results and their offsets committed. Poll thread. */
    public void transactionCommitted() {
        transactionsCommitted.increment();
    }

    /** A transaction aborted: its orders are redone from the committed offsets. Poll thread. */
    public void transactionAborted() {
        transactionsAborted.increment();
    }

    /** The commit before partitions were handed over aborted (also counted by {@link #transactionAborted}). Poll thread. */
    public void transactionAbortedAtHandOver() {
        transactionsAbortedAtHandOver.increment();
    }

    /** Transactions aborted by the commit before a hand-over, so far. */
    public long transactionsAbortedAtHandOver() {
        return transactionsAbortedAtHandOver.sum();
    }

    /** A commit's metadata left finished offsets out: a broken invariant. Poll thread. */
    public void commitMetadataTruncated() {
        commitMetadataTruncated.increment();
    }

    /** Commits whose metadata left finished offsets out, so far. */
    public long commitMetadataTruncations() {
        return (long) commitMetadataTruncated.count();
    }

    /** Transactions committed with results so far. */
    public long transactionsCommitted() {
        return (long) transactionsCommitted.count();
    }

    /** Transactions aborted so far. */
    public long transactionsAborted() {
        return (long) transactionsAborted.count();
    }

    /** The registry, for binders that register their own meters (the Kafka clients'). */
    public MeterRegistry registry() {
        return registry;
    }

    /** An outcome was published: counts it and records its duration and its steps' durations. */
    public void outcome(OrderOutcome outcome) {
        processed(outcome.status(), outcome.errorClass()).increment();
        if (outcome.receivedAt() != null && outcome.completedAt() != null) {
            orderDurations.get(outcome.status().ordinal())
                    .record(Duration.between(outcome.receivedAt(), outcome.completedAt()));
        }
        for (StepResult step : outcome.steps()) {
            stepDurations.get(step.step().ordinal() * STEP_STATUSES.length + step.status().ordinal())
                    .record(step.durationMicros(), TimeUnit.MICROSECONDS);
        }
    }

    /**
     * One call of {@code step} ended as {@code result}, one of {@link #ATTEMPT_RESULTS}, after
     * {@code duration}. Step threads.
     *
     * @throws IllegalArgumentException for a result not in {@link #ATTEMPT_RESULTS}
     */
    public void stepAttempt(StepName step, String result, Duration duration) {
        int index = ATTEMPT_RESULTS.indexOf(result);
        if (index < 0) {
            throw new IllegalArgumentException("attempt result " + result + " is not one of " + ATTEMPT_RESULTS);
        }
        stepAttempts.get(step.ordinal() * ATTEMPT_RESULTS.size() + index).record(duration);
    }

    /** A step failed with {@code errorClass} and is about to be called again. Step threads. */
    public void stepRetry(StepName step, ErrorClass errorClass) {
        OrderMeters.retries(registry, step, errorClass).increment();
    }

    /** A step of a failed order was undone ({@code compensated}) or could not be ({@code failed}). Order threads. */
    public void compensation(StepName step, CompensationStatus status) {
        OrderMeters.compensations(registry, step, status).increment();
    }

    /**
     * {@code payments_charged_total} and {@code payments_voided_total}, read from the payment
     * provider's ledger on scrape threads (the suppliers must be thread-safe). Only the simulated
     * provider has a ledger here; a real provider's is its own.
     */
    public void bindPaymentLedger(LongSupplier charged, LongSupplier voided) {
        ledgerReaders.add(charged);
        ledgerReaders.add(voided);
        FunctionCounter.builder("payments.charged", charged, c -> c.getAsLong())
                .description("Authorisations that took money, however often each order was retried or replayed "
                        + "(simulated payment provider)")
                .register(registry);
        FunctionCounter.builder("payments.voided", voided, v -> v.getAsLong())
                .description("Authorisations voided because a sibling step failed (simulated payment provider)")
                .register(registry);
    }

    /** A record went to the dead-letter topic. */
    public void deadLetter(DecodedOrder.Problem problem) {
        deadLetters(problem).increment();
    }

    /** A fetched record was skipped: an earlier owner of its partition had finished it. */
    public void skippedAsFinishedEarlier() {
        skippedAsFinishedEarlier.increment();
    }

    /** What the poll loop holds; read on scrape threads, so every method must be thread-safe. */
    public interface Load {
        /** Orders running now. */
        int inFlight();

        /** Orders fetched and waiting to start. */
        int waiting();

        /** The most orders that ever ran at once in this process: never above the limit. */
        int inFlightPeak();

        /** The most orders ever held at once, running plus waiting, right after a poll. */
        int heldPeak();
    }

    /** The load gauges; see {@link LoadGauges#bindLoad}. */
    public void bindLoad(Load load, int maxInFlight) {
        LoadGauges.bindLoad(registry, load, maxInFlight);
    }

    /** {@code step_threads_running}; see {@link LoadGauges#bindStepThreads}. */
    public void bindStepThreads(IntSupplier running) {
        LoadGauges.bindStepThreads(registry, running);
    }

    /** The courier pool gauges; see {@link LoadGauges#bindCourierPool}. */
    public void bindCourierPool(IntSupplier inUse, int size) {
        LoadGauges.bindCourierPool(registry, inUse, size);
    }

    /**
     * The commit lag gauge of a partition this worker was just given; {@code committed} is the
     * group's committed offset, or -1 if it has none. Poll thread only.
     */
    public CommitLag commitLag(String topic, int partition, long committed) {
        return new CommitLag(registry, topic, partition, committed);
    }

    /** Outcomes published, by {@code status[/error_class]}; kinds that never happened left out. */
    public Map<String, Long> outcomes() {
        return OrderMeters.outcomeTotals(registry);
    }

    /** Records dead-lettered, by problem; problems that never happened left out. */
    public Map<String, Long> deadLetters() {
        return OrderMeters.deadLetterTotals(registry);
    }

    /** Retries by {@code step/error_class}; kinds that never happened left out. */
    public Map<String, Long> retries() {
        return OrderMeters.retryTotals(registry);
    }

    /** Compensations by {@code step/status}; kinds that never happened left out. */
    public Map<String, Long> compensations() {
        return OrderMeters.compensationTotals(registry);
    }

    private Counter processed(OrderStatus status, ErrorClass errorClass) {
        return processed.get(status.ordinal() * (ERROR_CLASSES.length + 1) + (errorClass == null ? 0 : errorClass.ordinal() + 1));
    }

    private Counter deadLetters(DecodedOrder.Problem problem) {
        return deadLetters.get(problem.ordinal());
    }

    /** The totals, for the log line written when the worker stops. */
    @Override
    public String toString() {
        return "outcomes=" + outcomes() + " dead_letters=" + deadLetters() + " retries=" + retries()
                + " compensations=" + compensations();
    }
}
