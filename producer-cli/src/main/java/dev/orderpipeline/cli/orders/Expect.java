package dev.orderpipeline.cli.orders;

/** Where the answer to a sent record is expected to appear. */
public enum Expect {
    /** An {@code OrderOutcome} on the results topic, matched by its {@code orderId}. */
    OUTCOME,
    /** The record itself on the dead-letter topic, matched by its record key. */
    DEAD_LETTER
}
