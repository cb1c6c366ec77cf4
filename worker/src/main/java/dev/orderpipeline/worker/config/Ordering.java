package dev.orderpipeline.worker.config;

/** Which records of a partition may be worked on at the same time. */
public enum Ordering {
    /**
     * Records with different keys run at once; records with the same key run one after the
     * other, in offset order. The default: an order's events stay in order (key = order id),
     * while a partition still has many orders in flight.
     */
    KEY,
    /** One record at a time per partition: the classic consumer model, for comparison. */
    PARTITION,
    /** No ordering at all: every record starts as soon as there is room. */
    UNORDERED
}
