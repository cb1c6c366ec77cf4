package dev.orderpipeline.worker.offsets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which offsets of each partition are taken and not finished yet, and so what is safe to
 * commit: the lowest unfinished offset, plus, in the commit's metadata, the offsets above it
 * that are finished ({@link CompletedOffsets}). Orders finish out of order; committing past an
 * unfinished one would lose it on a crash, and forgetting the finished ones above it would
 * process them twice.
 *
 * <p>An offset is <em>taken</em> when it is fetched, not when its order starts: a record
 * waiting behind another of its key is as unfinished as a running one.
 *
 * <p>So that the metadata always fits, a record may start only below its partition's
 * {@link #startLimit}: {@link CompletedOffsets#WINDOW} offsets above the lowest unfinished one.
 * If the finished offsets still do not fit, that is a broken invariant: logged at ERROR and
 * reported to {@code truncated}, since the offsets left out will be processed a second time.
 *
 * <p>Confined to the poll thread: not thread-safe, and needs not be.
 */
final class OffsetTracker {

    private static final Logger log = LoggerFactory.getLogger(OffsetTracker.class);

    private static final class PartitionState {
        final TreeSet<Long> pending = new TreeSet<>();
        /** One past the highest offset taken; -1 before the first. */
        long next = -1;
        /** One past the highest offset finished; -1 before the first. */
        long finishedUpTo = -1;
        long committedOffset = -1;
        String committedMetadata = "";
        /** Finished by an earlier owner above its commit, read from the commit's metadata. */
        final NavigableMap<Long, Long> finishedEarlier = new TreeMap<>();

        long committable() {
            if (!pending.isEmpty()) {
                return pending.first();
            }
            long offset = Math.max(next, committedOffset);
            // Not fetched yet, but finished by the earlier owner: safe to commit past.
            Map.Entry<Long, Long> range = finishedEarlier.floorEntry(offset);
            while (range != null && offset < range.getValue()) {
                offset = range.getValue();
                range = finishedEarlier.floorEntry(offset);
            }
            return offset;
        }
    }

    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private final Runnable truncated;

    OffsetTracker() {
        this(() -> { });
    }

    /** @param truncated told (on the poll thread) each time a commit's metadata had to leave finished offsets out */
    OffsetTracker(Runnable truncated) {
        this.truncated = truncated;
    }

    /**
     * This worker now owns {@code partition}, whose group commit is {@code committed} (or
     * {@code null} if it has none): remembers what the earlier owner finished above it.
     */
    void assigned(TopicPartition partition, OffsetAndMetadata committed) {
        PartitionState state = new PartitionState();
        if (committed != null) {
            state.committedOffset = committed.offset();
            state.committedMetadata = committed.metadata() == null ? "" : committed.metadata();
            state.finishedEarlier.putAll(CompletedOffsets.decode(committed.offset(), committed.metadata()));
        }
        partitions.put(partition, state);
    }

    /** Whether an earlier owner already finished {@code offset}: its result is on the broker. */
    boolean finishedEarlier(TopicPartition partition, long offset) {
        PartitionState state = partitions.get(partition);
        return state != null && CompletedOffsets.contains(state.finishedEarlier, offset);
    }

    /** {@code offset} of {@code partition} has been fetched and is not finished. */
    void taken(TopicPartition partition, long offset) {
        PartitionState state = partitions.computeIfAbsent(partition, p -> new PartitionState());
        state.pending.add(offset);
        state.next = Math.max(state.next, offset + 1);
    }

    /** {@code offset} of {@code partition} is finished: its result is on the broker. */
    void finished(TopicPartition partition, long offset) {
        PartitionState state = partitions.get(partition);
        if (state != null) {
            state.pending.remove(offset);
            state.finishedUpTo = Math.max(state.finishedUpTo, offset + 1);
        }
    }

    /**
     * The offset of {@code partition} at and above which no record may start yet: the window
     * above its lowest unfinished offset. {@link Long#MAX_VALUE} if nothing of it is unfinished
     * (or it is not owned).
     */
    long startLimit(TopicPartition partition) {
        PartitionState state = partitions.get(partition);
        if (state == null || state.pending.isEmpty()) {
            return Long.MAX_VALUE;
        }
        return state.pending.first() + CompletedOffsets.WINDOW;
    }

    /** Offsets taken and not finished, over all partitions. */
    int pending() {
        int pending = 0;
        for (PartitionState state : partitions.values()) {
            pending += state.pending.size();
        }
        return pending;
    }

    /** For each partition whose commit would change: the offset and metadata to commit. */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach((partition, state) -> {
            long offset = state.committable();
            if (offset < 0) {
                return;
            }
            String metadata = CompletedOffsets.encode(offset, finishedAbove(state, offset), dropped -> {
                log.error("invariant broken: {} finished offsets of {} above {} do not fit in the commit metadata; "
                        + "after a restart or rebalance they will be processed again", dropped, partition, offset);
                truncated.run();
            });
            if (offset > state.committedOffset
                    || (offset == state.committedOffset && !metadata.equals(state.committedMetadata))) {
                offsets.put(partition, new OffsetAndMetadata(offset, metadata));
            }
        });
        return offsets;
    }

    /** The broker confirmed these commits. */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, commit) -> {
            PartitionState state = partitions.get(partition);
            if (state != null && commit.offset() >= state.committedOffset) {
                state.committedOffset = commit.offset();
                state.committedMetadata = commit.metadata();
                // What lies below the commit will never be fetched again.
                state.finishedEarlier.values().removeIf(end -> end <= commit.offset());
            }
        });
    }

    /** Forgets partitions this worker no longer owns. */
    void forget(Iterable<TopicPartition> revoked) {
        for (TopicPartition partition : revoked) {
            partitions.remove(partition);
        }
    }

    private static List<long[]> finishedAbove(PartitionState state, long offset) {
        List<long[]> ranges = new ArrayList<>();
        long fetchedUpTo = Math.max(state.next, offset);
        // Below what was fetched, this worker knows: everything not pending is finished. Above
        // the window and the highest finished offset, what is not pending is an offset that
        // holds no record (a transaction marker, a compacted record): nothing to skip, and
        // leaving it out keeps the metadata within its worst case.
        long known = Math.min(fetchedUpTo, Math.max(offset + CompletedOffsets.WINDOW, state.finishedUpTo));
        CompletedOffsets.finishedBetween(offset + 1, known, state.pending, ranges);
        // Above it, only the earlier owner's record says what is finished; below it, its
        // record repeats what was skipped for it (the merge joins the two).
        for (Map.Entry<Long, Long> range : state.finishedEarlier.entrySet()) {
            long start = Math.max(range.getKey(), offset + 1);
            if (range.getValue() > start) {
                ranges.add(new long[] {start, range.getValue()});
            }
        }
        return merged(ranges, offset);
    }

    /** Sorted, with touching or overlapping ranges joined, and nothing at or below {@code base}. */
    private static List<long[]> merged(List<long[]> ranges, long base) {
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> merged = new ArrayList<>(ranges.size());
        for (long[] range : ranges) {
            long start = Math.max(range[0], base + 1);
            if (range[1] <= start) {
                continue;
            }
            if (!merged.isEmpty() && merged.getLast()[1] >= start) {
                merged.getLast()[1] = Math.max(merged.getLast()[1], range[1]);
            } else {
                merged.add(new long[] {start, range[1]});
            }
        }
        return merged;
    }
}
