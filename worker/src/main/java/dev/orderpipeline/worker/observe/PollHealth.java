package dev.orderpipeline.worker.observe;

import java.time.Instant;

/**
 * What the health endpoints need to know about the poll loop, published by the poll thread so
 * that nothing else has to touch the consumer.
 *
 * <p>Thread: every method but the getters is called by the poll thread only; the fields are
 * volatile so that HTTP threads read the latest values. Each field is written on its own, so a
 * reader may combine values from two consecutive polls: harmless for a health answer.
 */
public final class PollHealth {

    /** Where the loop is in its life. */
    public enum Phase {
        /** Created; the loop has not polled yet. */
        STARTING,
        /** Polling and taking records. */
        RUNNING,
        /** Asked to stop: fetching paused, in-flight orders finishing. */
        STOPPING,
        /** The loop has returned; the consumer is closed. */
        ENDED
    }

    private volatile Phase phase = Phase.STARTING;
    private volatile Instant lastPoll;
    private volatile int partitions;
    private volatile int connections = -1;
    private volatile int inFlight;
    private volatile int waiting;

    /** @param createdAt counts as the last sign of life until the first poll */
    public PollHealth(Instant createdAt) {
        this.lastPoll = createdAt;
    }

    /**
     * A poll returned (or a bounded wait inside one, such as a revocation waiting for its
     * orders, made progress).
     *
     * @param partitions  partitions assigned to this worker now
     * @param connections the consumer's open connections to brokers, or -1 if unknown
     */
    public void polled(Instant at, int partitions, int connections) {
        this.lastPoll = at;
        this.partitions = partitions;
        this.connections = connections;
        if (phase == Phase.STARTING) {
            phase = Phase.RUNNING;
        }
    }

    /** Orders running and waiting to start, as the poll thread last counted them. */
    public void load(int inFlight, int waiting) {
        this.inFlight = inFlight;
        this.waiting = waiting;
    }

    /** Stop requested: draining. */
    public void stopping() {
        phase = Phase.STOPPING;
    }

    /** The loop returned. */
    public void ended() {
        phase = Phase.ENDED;
    }

    Phase phase() {
        return phase;
    }

    Instant lastPoll() {
        return lastPoll;
    }

    int partitions() {
        return partitions;
    }

    int connections() {
        return connections;
    }

    int inFlight() {
        return inFlight;
    }

    int waiting() {
        return waiting;
    }
}
