package dev.orderpipeline.worker.observe;

import dev.orderpipeline.contract.CompensationStatus;
import dev.orderpipeline.contract.DecodedOrder;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.StepName;
import dev.orderpipeline.contract.StepStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The definitions of {@link WorkerMetrics}' order meters (name, description, tags, histogram
 * range) and the totals read back from them. Registering returns the registry's meter when it
 * exists already. Stateless: any thread.
 */
final class OrderMeters {

    static final String PROCESSED = "orders.processed";
    static final String DEAD_LETTERS = "dead.letters";
    static final String STEP_RETRIES = "step.retries";
    static final String COMPENSATIONS = "compensations";
    static final String NO_ERROR = "none";

    private OrderMeters() {
    }

    static Counter processed(MeterRegistry registry, OrderStatus status, ErrorClass errorClass) {
        return Counter.builder(PROCESSED)
                .description("Orders with a published outcome, by status and error class (none when succeeded)")
                .tag("status", label(status))
                .tag("error_class", errorClass == null ? NO_ERROR : errorClass.code())
                .register(registry);
    }

    static Counter retries(MeterRegistry registry, StepName step, ErrorClass errorClass) {
        return Counter.builder(STEP_RETRIES)
                .description("Step calls repeated after a transient failure, by step and the failure's class")
                .tag("step", step.label())
                .tag("error_class", errorClass.code())
                .register(registry);
    }

    static Counter compensations(MeterRegistry registry, StepName step, CompensationStatus status) {
        return Counter.builder(COMPENSATIONS)
                .description("Steps of failed orders undone (compensated) or not (failed: someone has to finish it)")
                .tag("step", step.label())
                .tag("status", label(status))
                .register(registry);
    }

    static Counter deadLetters(MeterRegistry registry, DecodedOrder.Problem problem) {
        return Counter.builder(DEAD_LETTERS)
                .description("Records sent to the dead-letter topic, by what was wrong with them")
                .tag("problem", problem.name())
                .register(registry);
    }

    static Timer orderDuration(MeterRegistry registry, OrderStatus status) {
        return Timer.builder("order.duration")
                .description("From taking the order off the topic to its decision, per outcome status")
                .tag("status", label(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    static Timer stepDuration(MeterRegistry registry, StepName step, StepStatus status) {
        return Timer.builder("order.step.duration")
                .description("Duration of one step of an order, by step and how the step ended")
                .tag("step", step.label())
                .tag("status", label(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    /**
     * One call of a step, so that retries show: {@code order_step_duration} measures a step
     * from its first call to its last, this measures each call, tagged with how it ended.
     */
    static Timer stepAttemptDuration(MeterRegistry registry, StepName step, String result) {
        return Timer.builder("step.attempt.duration")
                .description("Duration of one call of a step (a retried step makes several), by step and how the "
                        + "call ended: succeeded, failed, timed_out, cancelled")
                .tag("step", step.label())
                .tag("result", result)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    static Counter transactions(MeterRegistry registry, String result) {
        return Counter.builder("transactions")
                .description("Kafka transactions of results and offsets (--delivery exactly-once): committed with "
                        + "results in them, or aborted (their orders are redone)")
                .tag("result", result)
                .register(registry);
    }

    /** Outcomes published, by {@code status[/error_class]}; kinds that never happened left out. */
    static Map<String, Long> outcomeTotals(MeterRegistry registry) {
        Map<String, Long> totals = new TreeMap<>();
        for (Counter counter : registry.find(PROCESSED).counters()) {
            String errorClass = counter.getId().getTag("error_class");
            String key = counter.getId().getTag("status") + (NO_ERROR.equals(errorClass) ? "" : "/" + errorClass);
            add(totals, key, counter);
        }
        return totals;
    }

    /** Records dead-lettered, by problem; problems that never happened left out. */
    static Map<String, Long> deadLetterTotals(MeterRegistry registry) {
        Map<String, Long> totals = new TreeMap<>();
        for (Counter counter : registry.find(DEAD_LETTERS).counters()) {
            add(totals, counter.getId().getTag("problem"), counter);
        }
        return totals;
    }

    /** Retries by {@code step/error_class}; kinds that never happened left out. */
    static Map<String, Long> retryTotals(MeterRegistry registry) {
        Map<String, Long> totals = new TreeMap<>();
        for (Counter counter : registry.find(STEP_RETRIES).counters()) {
            add(totals, counter.getId().getTag("step") + "/" + counter.getId().getTag("error_class"), counter);
        }
        return totals;
    }

    /** Compensations by {@code step/status}; kinds that never happened left out. */
    static Map<String, Long> compensationTotals(MeterRegistry registry) {
        Map<String, Long> totals = new TreeMap<>();
        for (Counter counter : registry.find(COMPENSATIONS).counters()) {
            add(totals, counter.getId().getTag("step") + "/" + counter.getId().getTag("status"), counter);
        }
        return totals;
    }

    private static void add(Map<String, Long> totals, String key, Counter counter) {
        long count = (long) counter.count();
        if (count > 0) {
            totals.merge(key, count, Long::sum);
        }
    }
}
