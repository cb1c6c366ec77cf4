package dev.orderpipeline.worker.config;

import java.util.Objects;

/**
 * What runs an order's steps: the built-in simulated steps, or the real services over HTTP.
 *
 * @param simulation      latency and failure behaviour of the built-in simulated steps
 * @param services        the real step services for the HTTP adapters; {@code null} runs the
 *                        built-in simulated steps
 * @param courierPoolSize couriers shared by all orders of this worker
 * @param guarding        circuit breakers and bulkheads around the services' calls (HTTP steps only)
 */
public record StepSettings(SimulationSettings simulation, StepServices services, int courierPoolSize,
                           ServiceGuarding guarding) {

    /** Simulated steps with their default latency, 64 couriers, guarding at its defaults. */
    public static final StepSettings DEFAULTS = new StepSettings(SimulationSettings.DEFAULTS, null, 64,
            ServiceGuarding.DEFAULTS);

    public StepSettings {
        Objects.requireNonNull(simulation, "simulation");
        Objects.requireNonNull(guarding, "guarding");
        Checks.requireAtLeast("--courier-pool-size (COURIER_POOL_SIZE)", courierPoolSize, 1);
    }

    /** Whether the steps call real services over HTTP rather than simulate them. */
    public boolean overHttp() {
        return services != null;
    }
}
