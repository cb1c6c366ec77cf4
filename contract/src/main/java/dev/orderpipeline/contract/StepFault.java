package dev.orderpipeline.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A fault that an order asks the worker's <em>simulated</em> step implementations to show, so
 * that tests and demos can produce every outcome deterministically. Real step adapters ignore
 * it.
 */
public enum StepFault {
    /**
     * The step's own business failure: the payment is declined, the vendor is unavailable,
     * no courier is free.
     */
    @JsonProperty("fail") FAIL,
    /** The step takes far longer than any sane deadline, so the order times out. */
    @JsonProperty("slow") SLOW,
    /** The step throws an unexpected exception: a bug, classified as {@code internal}. */
    @JsonProperty("crash") CRASH,
    /**
     * The step's first attempt fails with the step's <em>transient</em> failure (the payment
     * provider or the vendor unavailable, no courier free), later attempts behave normally: with
     * retries on, the order succeeds on its second attempt.
     */
    @JsonProperty("flaky") FLAKY
}
