package dev.orderpipeline.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How undoing one step of a failed order ended. */
public enum CompensationStatus {
    /** The step's effect is undone: the authorisation voided, the notification retracted, the courier back in the pool. */
    @JsonProperty("compensated") COMPENSATED,
    /**
     * The step's effect could not be undone: its {@link Compensation#errorClass()} says why, and
     * someone has to finish it (the same idempotency key makes a repeated undo harmless).
     */
    @JsonProperty("failed") FAILED
}
