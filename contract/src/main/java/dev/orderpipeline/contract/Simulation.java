package dev.orderpipeline.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Deterministic triggers carried by an order for the simulated steps: which step should fail,
 * and how. A field left out means "behave normally". Orders from real systems carry no
 * simulation at all.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Simulation(StepFault payment, StepFault vendor, StepFault courier) {

    public static final Simulation NONE = new Simulation(null, null, null);

    public static Simulation payment(StepFault fault) {
        return new Simulation(fault, null, null);
    }

    public static Simulation vendor(StepFault fault) {
        return new Simulation(null, fault, null);
    }

    public static Simulation courier(StepFault fault) {
        return new Simulation(null, null, fault);
    }
}
