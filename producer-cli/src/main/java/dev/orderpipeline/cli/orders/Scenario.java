package dev.orderpipeline.cli.orders;

import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import java.util.Arrays;

/**
 * What a sent record is meant to provoke, and so which answer the pipeline owes it. Generated
 * orders are drawn from these; orders read from a file are classified by their {@code simulate}
 * field, so both sources are reported the same way.
 */
public enum Scenario {
    /** A normal order: it should succeed. */
    VALID("valid", Simulation.NONE, OrderStatus.SUCCEEDED, null),
    /** The simulated payment provider declines. */
    DECLINE("decline", Simulation.payment(StepFault.FAIL), OrderStatus.FAILED, ErrorClass.PAYMENT_DECLINED),
    /** The simulated vendor system is down. */
    VENDOR_OUTAGE("vendor-outage", Simulation.vendor(StepFault.FAIL), OrderStatus.FAILED, ErrorClass.VENDOR_UNAVAILABLE),
    /** The simulated courier step outlives the per-order deadline. */
    SLOW_COURIER("slow-courier", Simulation.courier(StepFault.SLOW), OrderStatus.FAILED, ErrorClass.TIMEOUT),
    /** The simulated payment step throws: a bug, classified as internal. */
    CRASH("crash", Simulation.payment(StepFault.CRASH), OrderStatus.FAILED, ErrorClass.INTERNAL),
    /**
     * The simulated vendor fails its first call only: the worker retries it, and the order
     * succeeds (its outcome shows {@code attempt} 2). Read from files; not generated.
     */
    FLAKY_VENDOR("flaky-vendor", Simulation.vendor(StepFault.FLAKY), OrderStatus.SUCCEEDED, null),
    /** Not an order at all: it belongs on the dead-letter topic. */
    MALFORMED("malformed", null, null, null),
    /** An order from a file with a combination of faults the CLI has no expectation for. */
    CUSTOM("custom", null, null, null);

    private final String label;
    private final Simulation simulation;
    private final OrderStatus expectedStatus;
    private final ErrorClass expectedErrorClass;

    Scenario(String label, Simulation simulation, OrderStatus expectedStatus, ErrorClass expectedErrorClass) {
        this.label = label;
        this.simulation = simulation;
        this.expectedStatus = expectedStatus;
        this.expectedErrorClass = expectedErrorClass;
    }

    /** The name shown in reports, for example {@code vendor-outage}. */
    public String label() {
        return label;
    }

    /** Where this scenario's answer appears. */
    public Expect expect() {
        return this == MALFORMED ? Expect.DEAD_LETTER : Expect.OUTCOME;
    }

    /**
     * Whether {@code outcome} is what this scenario should produce. Always {@code false} for
     * {@link #CUSTOM} (nothing is expected) and {@link #MALFORMED} (its answer is a dead letter).
     */
    public boolean isExpected(OrderOutcome outcome) {
        return expectedStatus != null
                && outcome.status() == expectedStatus
                && outcome.errorClass() == expectedErrorClass;
    }

    /** The simulation a generated order of this scenario carries. */
    Simulation simulation() {
        if (simulation == null) {
            throw new IllegalStateException(this + " is not generated from a simulation");
        }
        return simulation;
    }

    /** The scenario an order with this simulation belongs to; {@link #CUSTOM} if none matches. */
    public static Scenario of(Simulation simulation) {
        Simulation s = simulation == null ? Simulation.NONE : simulation;
        return Arrays.stream(values())
                .filter(scenario -> s.equals(scenario.simulation))
                .findFirst()
                .orElse(CUSTOM);
    }
}
