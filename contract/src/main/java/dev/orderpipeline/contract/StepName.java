package dev.orderpipeline.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The three steps every order runs, at the same time. */
public enum StepName {
    @JsonProperty("payment") PAYMENT,
    @JsonProperty("vendor") VENDOR,
    @JsonProperty("courier") COURIER;

    // Computed once: labels are read several times for every order.
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The lower-case name used in JSON, logs and idempotency keys. */
    public String label() {
        return label;
    }
}
