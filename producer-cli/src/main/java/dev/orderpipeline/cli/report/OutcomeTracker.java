package dev.orderpipeline.cli.report;

import dev.orderpipeline.cli.kafka.ResultListener;
import dev.orderpipeline.cli.orders.Expect;
import dev.orderpipeline.cli.orders.OutgoingOrder;
import dev.orderpipeline.cli.orders.Scenario;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Matches what comes back to what was sent: an outcome to its order by {@code orderId}, a dead
 * letter to its record by key. Answers for other ids are ignored (the topics are shared).
 *
 * <p>Three threads call in: the sending thread ({@link #expect}, {@link #allSent}), the
 * producer's I/O thread ({@link #sendFailed}) and the consumer's poll thread (the
 * {@link ResultListener} methods). Every field below is guarded by {@code lock}.
 */
public final class OutcomeTracker implements ResultListener {

    /** How waiting for the answers ended. */
    public sealed interface Completion {
        /** Every order that reached Kafka has its answer. */
        record AllAnswered() implements Completion {
        }

        /** The timeout passed first; {@link #summary()} lists what is missing. */
        record TimedOut() implements Completion {
        }

        /** The consumer reading the answers stopped. */
        record ConsumerFailed(Exception cause) implements Completion {
        }
    }

    /** How many answers are in, of how many owed so far. */
    public record Counts(long answered, long owed) {
    }

    /** One sent record and what has come back for it; small, as a run may send millions. */
    private static final class Entry {
        final String key;
        final Scenario scenario;
        final Instant createdAt;
        boolean sendFailed;
        boolean answered;
        int outcomes;
        int deadLetters;

        Entry(OutgoingOrder order, Instant createdAt) {
            this.key = order.key();
            this.scenario = order.scenario();
            this.createdAt = createdAt;
        }

        Expect expect() {
            return scenario.expect();
        }
    }

    /** Counts per scenario. */
    private static final class Tally {
        long sent;
        long answered;
        long asExpected;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<OrderStatus, Long> byStatus = new EnumMap<>(OrderStatus.class);
    private final Map<ErrorClass, Long> byErrorClass = new EnumMap<>(ErrorClass.class);
    private final Map<String, Long> byProblem = new TreeMap<>();
    private final Map<Scenario, Tally> byScenario = new EnumMap<>(Scenario.class);
    private final Set<String> duplicates = new LinkedHashSet<>();
    private final LatencyReport latency = new LatencyReport();
    private long owed;
    private long pending;
    private boolean allSent;
    private Exception consumerFailure;
    private long duplicateAnswers;
    private long deadLetteredValid;
    private long unreadableOutcomes;
    private long ignored;

    /** Call before handing the record to the producer, so that its answer cannot come first. */
    public void expect(OutgoingOrder order, Instant createdAt) {
        lock.lock();
        try {
            if (entries.putIfAbsent(order.key(), new Entry(order, createdAt)) == null) {
                owed++;
                pending++;
                tally(order.scenario()).sent++;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The record never reached Kafka: no answer is owed. */
    public void sendFailed(String key) {
        lock.lock();
        try {
            Entry entry = entries.get(key);
            if (entry != null && !entry.sendFailed) {
                entry.sendFailed = true;
                owed--;
                tally(entry.scenario).sent--;
                if (!entry.answered) {
                    pending--;
                    changed.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** No more {@link #expect} calls follow. */
    public void allSent() {
        lock.lock();
        try {
            allSent = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Cheap enough to call for every progress line. */
    public Counts counts() {
        lock.lock();
        try {
            return new Counts(owed - pending, owed);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every expected answer is in, the consumer fails, or {@code timeout} passes.
     * Returns at once if all is answered already, including when {@code timeout} is zero.
     */
    public Completion awaitAnswers(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (true) {
                if (allSent && pending == 0) {
                    return new Completion.AllAnswered();
                }
                if (consumerFailure != null) {
                    return new Completion.ConsumerFailed(consumerFailure);
                }
                if (nanos <= 0) {
                    return new Completion.TimedOut();
                }
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onOutcome(OrderOutcome outcome, Instant readAt) {
        lock.lock();
        try {
            Entry entry = entries.get(outcome.orderId());
            if (entry == null) {
                ignored++;
                return;
            }
            entry.outcomes++;
            if (entry.outcomes > 1) {
                duplicate(entry);
                return;
            }
            byStatus.merge(outcome.status(), 1L, Long::sum);
            if (outcome.errorClass() != null) {
                byErrorClass.merge(outcome.errorClass(), 1L, Long::sum);
            }
            if (entry.expect() == Expect.OUTCOME) {
                latency.record(Duration.between(entry.createdAt, readAt));
                answer(entry, entry.scenario.isExpected(outcome));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onUnreadableOutcome(String key, String reason, Instant readAt) {
        lock.lock();
        try {
            if (key != null && entries.containsKey(key)) {
                unreadableOutcomes++;
            } else {
                ignored++;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onDeadLetter(String key, String problem, Instant readAt) {
        lock.lock();
        try {
            Entry entry = key == null ? null : entries.get(key);
            if (entry == null) {
                ignored++;
                return;
            }
            entry.deadLetters++;
            if (entry.deadLetters > 1) {
                duplicate(entry);
                return;
            }
            byProblem.merge(problem == null ? "(no dlt.problem header)" : problem, 1L, Long::sum);
            if (entry.expect() == Expect.DEAD_LETTER) {
                answer(entry, /* asExpected= */ true);
            } else {
                deadLetteredValid++;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onConsumerFailure(Exception error) {
        lock.lock();
        try {
            consumerFailure = error;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A consistent snapshot; the tracker may keep changing afterwards. */
    public RunSummary summary() {
        lock.lock();
        try {
            long[] expected = new long[Expect.values().length];
            long[] answered = new long[Expect.values().length];
            List<RunSummary.Missing> missing = new ArrayList<>();
            for (Entry entry : entries.values()) {
                if (entry.sendFailed) {
                    continue;
                }
                Expect expect = entry.expect();
                expected[expect.ordinal()]++;
                if (entry.answered) {
                    answered[expect.ordinal()]++;
                } else {
                    missing.add(new RunSummary.Missing(entry.key, entry.scenario, expect));
                }
            }
            Map<Scenario, RunSummary.ScenarioTally> scenarios = new EnumMap<>(Scenario.class);
            byScenario.forEach((scenario, t) ->
                    scenarios.put(scenario, new RunSummary.ScenarioTally(t.sent, t.answered, t.asExpected)));
            return new RunSummary(
                    expected[Expect.OUTCOME.ordinal()], answered[Expect.OUTCOME.ordinal()],
                    expected[Expect.DEAD_LETTER.ordinal()], answered[Expect.DEAD_LETTER.ordinal()],
                    byStatus, byErrorClass, byProblem, scenarios, missing, List.copyOf(duplicates),
                    duplicateAnswers, deadLetteredValid, unreadableOutcomes, ignored, latency.copy());
        } finally {
            lock.unlock();
        }
    }

    private Tally tally(Scenario scenario) {
        return byScenario.computeIfAbsent(scenario, s -> new Tally());
    }

    private void answer(Entry entry, boolean asExpected) {
        if (entry.answered) {
            return;
        }
        entry.answered = true;
        Tally tally = tally(entry.scenario);
        tally.answered++;
        if (asExpected) {
            tally.asExpected++;
        }
        if (!entry.sendFailed) {
            pending--;
            changed.signalAll();
        }
    }

    private void duplicate(Entry entry) {
        duplicateAnswers++;
        duplicates.add(entry.key);
    }
}
