package dev.orderpipeline.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Writes an {@link OrderOutcome} straight into bytes: the worker writes one per order, and both
 * data binding (reflection per property, a serializer lookup per value, the date-time
 * formatter) and Jackson's generator set-up cost several times the JSON itself. The bytes are
 * the mapper's: same properties in the same order, absent when null, enums by their wire names,
 * and {@code OutcomeWriterTest} holds it to that for every property of the records.
 *
 * <p>A new property of {@link OrderOutcome} or {@link StepResult} is one more line in
 * {@link #write(OrderOutcome, JsonBytes)}; a nested value of another type may go through
 * {@code out.json(name, mapper.writeValueAsBytes(value))}. Thread-safe.
 */
final class OutcomeWriter {

    // Wire names as the mapper writes them (@JsonProperty, @JsonValue), read once.
    private final Map<OrderStatus, String> statuses;
    private final Map<ErrorClass, String> errorClasses;
    private final Map<StepName, String> stepNames;
    private final Map<StepStatus, String> stepStatuses;
    private final Map<CompensationStatus, String> compensationStatuses;

    OutcomeWriter(ObjectMapper mapper) {
        this.statuses = wireNames(mapper, OrderStatus.class);
        this.errorClasses = wireNames(mapper, ErrorClass.class);
        this.stepNames = wireNames(mapper, StepName.class);
        this.stepStatuses = wireNames(mapper, StepStatus.class);
        this.compensationStatuses = wireNames(mapper, CompensationStatus.class);
    }

    byte[] write(OrderOutcome outcome) {
        JsonBytes out = new JsonBytes();
        write(outcome, out);
        return out.toByteArray();
    }

    private void write(OrderOutcome outcome, JsonBytes out) {
        out.startObject()
                .number("schemaVersion", outcome.schemaVersion())
                .string("orderId", outcome.orderId())
                .string("status", statuses.get(outcome.status()))
                .string("errorClass", errorClasses.get(outcome.errorClass()))
                .string("errorMessage", outcome.errorMessage())
                .startArray("steps");
        for (StepResult step : outcome.steps()) {
            out.startObject()
                    .string("step", stepNames.get(step.step()))
                    .string("status", stepStatuses.get(step.status()))
                    .number("durationMicros", step.durationMicros())
                    .string("detail", step.detail())
                    .number("attempts", step.attempts())
                    .endObject();
        }
        out.endArray()
                .number("attempt", outcome.attempt())
                .string("orderCreatedAt", instant(outcome.orderCreatedAt()))
                .string("receivedAt", instant(outcome.receivedAt()))
                .string("completedAt", instant(outcome.completedAt()))
                .string("workerId", outcome.workerId());
        if (!outcome.compensations().isEmpty()) {
            out.startArray("compensations");
            for (Compensation compensation : outcome.compensations()) {
                out.startObject()
                        .string("step", stepNames.get(compensation.step()))
                        .string("status", compensationStatuses.get(compensation.status()))
                        .string("errorClass", compensation.errorClass() == null ? null
                                : errorClasses.get(compensation.errorClass()))
                        .string("detail", compensation.detail())
                        .endObject();
            }
            out.endArray();
        }
        out.endObject();
    }

    private static String instant(Instant value) {
        return value == null ? null : Rfc3339.format(value);
    }

    private static <E extends Enum<E>> Map<E, String> wireNames(ObjectMapper mapper, Class<E> type) {
        Map<E, String> names = new EnumMap<>(type);
        for (E constant : type.getEnumConstants()) {
            names.put(constant, mapper.convertValue(constant, String.class));
        }
        return names;
    }
}
