package dev.orderpipeline.worker.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One partition's commit lag, the gauge {@code commit_lag_records{topic,partition}}: records
 * fetched by this worker whose offsets are not committed yet (last fetched offset + 1 minus the
 * committed offset). Kept by the poll thread from what it fetches and what the broker confirms
 * as committed; it grows while orders run or wait and falls back after each commit.
 *
 * <p>Thread: {@link #fetched}, {@link #committed} and {@link #close} on the poll thread only;
 * the gauge is read by scrapes on any thread.
 */
public final class CommitLag implements AutoCloseable {

    private final MeterRegistry registry;
    private final Gauge gauge;

    // Poll thread only. -1: nothing fetched / no commit known yet.
    private long nextFetch = -1;
    private long committed;

    // Written by the poll thread, read by scrapes.
    private volatile long lag;

    CommitLag(MeterRegistry registry, String topic, int partition, long committed) {
        this.registry = registry;
        this.committed = committed;
        this.gauge = Gauge.builder("commit.lag", this, CommitLag::value)
                .description("Records fetched by this worker and not committed yet, per partition")
                .baseUnit("records")
                .tag("topic", topic)
                .tag("partition", Integer.toString(partition))
                .strongReference(true)
                .register(registry);
    }

    /** Offset {@code offset} was fetched. */
    public void fetched(long offset) {
        if (committed < 0) {
            // The group has no commit for the partition yet: count from the first record seen.
            committed = offset;
        }
        nextFetch = Math.max(nextFetch, offset + 1);
        update();
    }

    /** The broker confirmed a commit of {@code offset} (the next record to read). */
    public void committed(long offset) {
        committed = offset;
        update();
    }

    private void update() {
        lag = nextFetch < 0 ? 0 : Math.max(0, nextFetch - committed);
    }

    private double value() {
        return lag;
    }

    /** The partition is no longer this worker's: its gauge goes away. */
    @Override
    public void close() {
        registry.remove(gauge);
    }
}
