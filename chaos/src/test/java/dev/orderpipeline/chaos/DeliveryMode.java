package dev.orderpipeline.chaos;

import dev.orderpipeline.cli.verify.Verification;
import java.util.List;

/** A delivery guarantee the worker runs with, and what the verifier holds it to. */
enum DeliveryMode {
    /** Outcomes and offsets are written separately: an order may be answered twice, never zero times. */
    AT_LEAST_ONCE(List.of(), Verification.Guarantee.AT_LEAST_ONCE, List.of("--allow-duplicates")),
    /** Outcomes and offsets commit in one transaction: every order is answered exactly once. */
    EXACTLY_ONCE(List.of("--delivery", "exactly-once"), Verification.Guarantee.EXACTLY_ONCE, List.of("--exactly-once"));

    private final List<String> workerArgs;
    private final Verification.Guarantee guarantee;
    private final List<String> verifyArgs;

    DeliveryMode(List<String> workerArgs, Verification.Guarantee guarantee, List<String> verifyArgs) {
        this.workerArgs = workerArgs;
        this.guarantee = guarantee;
        this.verifyArgs = verifyArgs;
    }

    /** Flags that put the worker in this mode (at-least-once is its default). */
    List<String> workerArgs() {
        return workerArgs;
    }

    Verification.Guarantee guarantee() {
        return guarantee;
    }

    /** Flags that make {@code order-cli verify} judge this mode. */
    List<String> verifyArgs() {
        return verifyArgs;
    }

    /** Duplicates break this mode's promise (they are only reported under at-least-once). */
    boolean forbidsDuplicates() {
        return guarantee == Verification.Guarantee.EXACTLY_ONCE;
    }

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
