package dev.orderpipeline.worker.consume;

import dev.orderpipeline.worker.offsets.OwnedPartitions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop's rebalance listener: lets a revoked partition's running orders finish within
 * the revoke budget and commits them before the hand-over; drops a lost partition's results;
 * pauses assigned partitions until {@link Adoption} takes them up. Runs on the poll thread,
 * inside {@code poll()}.
 */
final class Rebalance implements ConsumerRebalanceListener {

    // The poll thread's lines: logged under the poll loop's name, which operators filter on.
    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

    /** How long a revocation waits for results already being published to be acknowledged. */
    static final Duration PUBLISH_GRACE = Duration.ofSeconds(30);

    private final OwnedPartitions owned;
    private final InFlight inFlight;
    private final BackPressure pressure;
    private final Adoption adoption;
    private final Commits commits;
    private final Heartbeat heartbeat;
    private final Clock clock;
    private final Duration revokeBudget;

    Rebalance(OwnedPartitions owned, InFlight inFlight, BackPressure pressure, Adoption adoption, Commits commits,
              Heartbeat heartbeat, Clock clock, Duration revokeBudget) {
        this.owned = owned;
        this.inFlight = inFlight;
        this.pressure = pressure;
        this.adoption = adoption;
        this.commits = commits;
        this.heartbeat = heartbeat;
        this.clock = clock;
        this.revokeBudget = revokeBudget;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        if (revoked.isEmpty()) {
            return;
        }
        // Let the revoked partitions' running orders finish, then commit them, so that the
        // next owner starts after them instead of doing them again. Waiting records were
        // never started: they stay uncommitted, and the next owner takes them.
        pressure.removeWaiting(revoked);
        Instant deadline = clock.instant().plus(revokeBudget);
        try {
            while (owned.running(revoked) > 0 && inFlight.fatal() == null && clock.instant().isBefore(deadline)) {
                Thread.sleep(5);
                inFlight.collect();
                // Waiting here, inside poll(), is bounded by the revoke budget: the loop is not stuck.
                heartbeat.polled();
                commits.commitIfDue();
            }
            if (owned.running(revoked) > 0) {
                log.warn("{} orders of revoked partitions {} still running after {} ms: cancelled; their new owner "
                        + "processes them", owned.running(revoked), revoked, revokeBudget.toMillis());
            }
            owned.revokeLeases(revoked, PUBLISH_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            commits.commitBeforeHandOver();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        owned.forget(revoked);
        pressure.forget(revoked);
        log.info("partitions revoked: {}", revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
        // Already someone else's: committing would fail, and their records will be redone.
        // No late result of theirs may be published, nor one already sent in the open transaction.
        pressure.removeWaiting(lost);
        try {
            owned.revokeLeases(lost, PUBLISH_GRACE);
            commits.partitionsLost();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        owned.forget(lost);
        pressure.forget(lost);
        log.warn("partitions lost: {}", lost);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
            return;
        }
        // Paused until their group commit is read, which in exactly-once mode may wait for the
        // previous owner's transaction: never here, inside poll().
        adoption.assigned(assigned);
        log.info("partitions assigned: {}", assigned);
        adoption.adopt();
    }
}
