package dev.orderpipeline.worker.consume;

import dev.orderpipeline.worker.commit.Committer;
import dev.orderpipeline.worker.offsets.OwnedPartitions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop's stop: stops fetching, lets the orders in flight finish within the drain
 * budget (cancelling the rest), makes the last commit and leaves the group. Runs on the poll
 * thread, after its loop: it still polls the consumer, so the group membership lasts.
 */
final class Drain {

    // The poll thread's lines: logged under the poll loop's name, which operators filter on.
    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

    /** How long the final commit may wait for a rebalance under way to finish. */
    private static final Duration REBALANCE_AT_STOP = Duration.ofSeconds(15);
    /** How long cancelled order threads may take to end. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(30);

    private final Consumer<byte[], byte[]> consumer;
    private final OwnedPartitions owned;
    private final InFlight inFlight;
    private final BackPressure pressure;
    private final Commits commits;
    private final Heartbeat heartbeat;
    private final Clock clock;
    private final Duration budget;

    Drain(Consumer<byte[], byte[]> consumer, OwnedPartitions owned, InFlight inFlight, BackPressure pressure,
          Commits commits, Heartbeat heartbeat, Clock clock, Duration budget) {
        this.consumer = consumer;
        this.owned = owned;
        this.inFlight = inFlight;
        this.pressure = pressure;
        this.commits = commits;
        this.heartbeat = heartbeat;
        this.clock = clock;
        this.budget = budget;
    }

    /** Stop fetching, let in-flight orders finish within the budget, commit. */
    PollLoop.Exit drain() throws InterruptedException {
        heartbeat.stopping();
        pressure.stop();
        Instant deadline = clock.instant().plus(budget);
        log.info("stopping: fetching paused, waiting up to {} ms for {} in-flight orders",
                budget.toMillis(), inFlight.count());
        while ((inFlight.count() > 0 || owned.anyRunning()) && inFlight.fatal() == null && clock.instant().isBefore(deadline)) {
            // Polling paused partitions returns nothing but keeps the group membership alive.
            consumer.poll(Duration.ofMillis(50));
            heartbeat.polled();
            inFlight.collect();
            commits.commitIfDue();
        }
        PollLoop.Exit result = PollLoop.Exit.CLEAN;
        if (inFlight.count() > 0 || owned.anyRunning()) {
            log.warn("drain budget of {} ms spent with {} orders still running; cancelling them, "
                    + "they will be processed again", budget.toMillis(), inFlight.count());
            // No result may be published once the decision is taken: it would be a duplicate.
            owned.revokeAllLeases(Rebalance.PUBLISH_GRACE);
            inFlight.cancelAll();
            result = PollLoop.Exit.DRAIN_BUDGET_EXCEEDED;
        }
        if (!inFlight.awaitEnd(CANCEL_WAIT)) {
            log.error("order threads still running 30 s after cancellation: a step ignores interruption");
        }
        if (inFlight.fatal() == null && finalCommit() == Committer.Result.ABORTED) {
            log.error("the last transaction was aborted; its orders will be redone by the next owner");
            result = PollLoop.Exit.FAILED;
        }
        return result;
    }

    /**
     * The last commit. A stop often comes with a rebalance (several workers rolled at once): the
     * group refuses a plain commit while one is under way, so the rebalance is let finish by
     * polling (fetching stays paused; revoked partitions are committed by the listener) and the
     * commit is tried again, for up to {@link #REBALANCE_AT_STOP}. Without this the worker exited 1
     * and its finished orders were answered again by the partitions' next owner.
     */
    private Committer.Result finalCommit() throws InterruptedException {
        Instant giveUp = clock.instant().plus(REBALANCE_AT_STOP);
        while (true) {
            try {
                return commits.commitNow();
            } catch (RebalanceInProgressException e) {
                if (!clock.instant().isBefore(giveUp)) {
                    throw e;
                }
                log.info("the final commit met a rebalance; letting it finish, then committing again");
                consumer.poll(Duration.ofMillis(100));
                heartbeat.polled();
            }
        }
    }

    /** Leaves the group and closes the consumer, whatever the loop's end. */
    void closeConsumer() {
        try {
            // A static member does not leave on close by default, and its partitions would wait
            // out its session. Leaving hands them over now: the drain committed what it finished.
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        } catch (RuntimeException e) {
            log.warn("closing the consumer failed: {}", e.toString());
        }
    }
}
