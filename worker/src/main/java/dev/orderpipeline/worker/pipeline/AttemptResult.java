package dev.orderpipeline.worker.pipeline;

import java.util.Locale;

/** How one call of a step ended, as {@link PipelineEvents#attempted} reports it. */
public enum AttemptResult {
    /** The call returned. */
    SUCCEEDED,
    /** The call failed; it may be retried, by the retry policy. */
    FAILED,
    /** The call passed the per-attempt timeout or the order's deadline. */
    TIMED_OUT,
    /** A sibling step's failure, the deadline or a hard stop interrupted the call. */
    CANCELLED;

    // Computed once: every step attempt of every order reports one.
    private final String label = name().toLowerCase(Locale.ROOT);

    /** The lower-case name, as a metric tag value. */
    public String label() {
        return label;
    }
}
