package dev.orderpipeline.worker.guard;

/**
 * How many orders the poll thread may have running now, as the services' breakers allow: all
 * of them while every breaker is closed, none while one is open, a few probes while one is
 * half-open. The poll loop pauses fetching while the gate keeps it below its own limit, and
 * keeps polling, so the group membership never lapses. Read on the poll thread only.
 */
@FunctionalInterface
public interface StartGate {

    /** A gate that never holds orders back: simulated steps, or breakers off. */
    StartGate ALWAYS_OPEN = maxInFlight -> maxInFlight;

    /** How many orders may be running now, at most {@code maxInFlight}. */
    int allowance(int maxInFlight);
}
