package dev.orderpipeline.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How an order ended. */
public enum OrderStatus {
    /** Paid, the vendor notified and a courier assigned. */
    @JsonProperty("succeeded") SUCCEEDED,
    /** A step failed or the deadline passed; {@link OrderOutcome#errorClass()} says why. */
    @JsonProperty("failed") FAILED,
    /** The order itself is invalid and was not processed; its record is also dead-lettered. */
    @JsonProperty("rejected") REJECTED
}
