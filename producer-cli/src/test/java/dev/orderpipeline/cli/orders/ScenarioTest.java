package dev.orderpipeline.cli.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Orders from a file are classified by their simulate field, and owe the answer of their scenario. */
class ScenarioTest {

    private static OrderOutcome outcome(OrderStatus status, ErrorClass errorClass) {
        Instant t = Instant.parse("2026-11-27T10:00:00Z");
        return new OrderOutcome(OrderOutcome.SCHEMA_VERSION, "o-1", status, errorClass, null, List.of(), 2, t, t, t, "w");
    }

    @Test
    void flakyVendor_isItsOwnScenario_andOwesASuccess() {
        Scenario scenario = Scenario.of(Simulation.vendor(StepFault.FLAKY));

        assertEquals(Scenario.FLAKY_VENDOR, scenario);
        assertTrue(scenario.isExpected(outcome(OrderStatus.SUCCEEDED, null)));
        assertFalse(scenario.isExpected(outcome(OrderStatus.FAILED, ErrorClass.VENDOR_UNAVAILABLE)),
                "a flaky vendor that was not retried is not what the scenario promises");
        assertEquals(0.0, ScenarioMix.ALL_VALID.share(Scenario.FLAKY_VENDOR), "not generated");
    }
}
