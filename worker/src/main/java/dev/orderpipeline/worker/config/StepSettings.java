package dev.orderpipeline.worker.config;

import java.util.Objects;

/**
 * What runs an order's steps: the built-in simulated steps, or the real services over HTTP.
 *
 * @param simulation      latency and failure behaviour of the built-in simulated steps
 * @param services        the real step services for the HTTP adapters; {@code null} runs the
 *                        built-in simulated steps
 * @param courierPoolSize couriers shared by all orders of this worker
 */
public record StepSettings(SimulationSettings simulation, StepServices services, int courierPoolSize) {

    /** Simulated steps with their default latency, 64 couriers. */
    public static final StepSettings DEFAULTS = new StepSettings(SimulationSettings.DEFAULTS, null, 64);

    public StepSettings {
        Objects.requireNonNull(simulation, "simulation");
        Checks.requireAtLeast("--courier-pool-size (COURIER_POOL_SIZE)", courierPoolSize, 1);
    }

    /** Whether the steps call real services over HTTP rather than simulate them. */
    public boolean overHttp() {
        return services != null;
    }
}
