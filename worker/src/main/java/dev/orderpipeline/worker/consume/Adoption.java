package dev.orderpipeline.worker.consume;

import dev.orderpipeline.worker.offsets.OwnedPartitions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes up newly assigned partitions once their group commit can be read. Until then they stay
 * paused and the other partitions go on: in exactly-once mode the commit may wait for the
 * previous owner's open transaction, which the poll thread must never wait for inside
 * {@code poll()}. Poll thread only: it pauses and seeks the consumer.
 */
final class Adoption {

    // The poll thread's lines: logged under the poll loop's name, which operators filter on.
    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

    /** Newly assigned partitions waiting longer than this for their group commit are logged. */
    private static final Duration ADOPT_SLOW = Duration.ofSeconds(1);

    private final Consumer<byte[], byte[]> consumer;
    private final OwnedPartitions owned;
    private final BackPressure pressure;
    private final Clock clock;

    // Poll thread only.
    /** When the partitions now waiting for their group commit were assigned. */
    private Instant assignedAt;
    private boolean slowLogged;

    Adoption(Consumer<byte[], byte[]> consumer, OwnedPartitions owned, BackPressure pressure, Clock clock) {
        this.consumer = consumer;
        this.owned = owned;
        this.pressure = pressure;
        this.clock = clock;
    }

    /** Partitions just assigned: paused until their group commit is read. Inside {@code poll()}. */
    void assigned(Collection<TopicPartition> assigned) {
        consumer.pause(assigned);
        if (owned.awaitingCommit().isEmpty()) {
            assignedAt = clock.instant();
        }
        owned.assigned(assigned);
    }

    /**
     * Takes up the assigned partitions whose group commit can be read now, and lets
     * {@link BackPressure#dispatchWaiting} resume them; see {@link OwnedPartitions#adoptAssigned}.
     */
    void adopt() {
        if (owned.awaitingCommit().isEmpty()) {
            return;
        }
        Set<TopicPartition> adopted = owned.adoptAssigned(consumer, clock.instant());
        Duration waited = Duration.between(assignedAt, clock.instant());
        if (adopted.isEmpty()) {
            if (!slowLogged && waited.compareTo(ADOPT_SLOW) > 0) {
                slowLogged = true;
                log.info("partitions {} wait for their committed offsets, held by an open transaction of their "
                        + "previous owner until the broker ends it; the other partitions go on", owned.awaitingCommit());
            }
            return;
        }
        if (slowLogged) {
            log.info("partitions {} taken up at their committed offsets after {} ms", adopted, waited.toMillis());
        }
        slowLogged = false;
        // Paused by us now: dispatchWaiting resumes them when there is room.
        pressure.adopted(adopted);
    }
}
