package dev.orderpipeline.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How one step of an order ended. */
public enum StepStatus {
    /** The step finished its work. It may still need undoing if a sibling failed. */
    @JsonProperty("succeeded") SUCCEEDED,
    /** The step itself failed; its failure decided the order's error class. */
    @JsonProperty("failed") FAILED,
    /** The step was interrupted because a sibling failed or the deadline passed. */
    @JsonProperty("cancelled") CANCELLED
}
