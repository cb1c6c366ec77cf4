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
 * {@code out.json(key, mapper.writeValueAsBytes(value))}. Thread-safe.
 */
final class OutcomeWriter {

    // Property names, encoded once.
    private static final JsonBytes.Key ATTEMPT = JsonBytes.key("attempt");
    private static final JsonBytes.Key ATTEMPTS = JsonBytes.key("attempts");
    private static final JsonBytes.Key COMPENSATIONS = JsonBytes.key("compensations");
    private static final JsonBytes.Key COMPLETED_AT = JsonBytes.key("completedAt");
    private static final JsonBytes.Key DETAIL = JsonBytes.key("detail");
    private static final JsonBytes.Key DURATION_MICROS = JsonBytes.key("durationMicros");
    private static final JsonBytes.Key ERROR_CLASS = JsonBytes.key("errorClass");
    private static final JsonBytes.Key ERROR_MESSAGE = JsonBytes.key("errorMessage");
    private static final JsonBytes.Key ORDER_CREATED_AT = JsonBytes.key("orderCreatedAt");
    private static final JsonBytes.Key ORDER_ID = JsonBytes.key("orderId");
    private static final JsonBytes.Key RECEIVED_AT = JsonBytes.key("receivedAt");
    private static final JsonBytes.Key SCHEMA_VERSION = JsonBytes.key("schemaVersion");
    private static final JsonBytes.Key STATUS = JsonBytes.key("status");
    private static final JsonBytes.Key STEP = JsonBytes.key("step");
    private static final JsonBytes.Key STEPS = JsonBytes.key("steps");
    private static final JsonBytes.Key WORKER_ID = JsonBytes.key("workerId");

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
                .number(SCHEMA_VERSION, outcome.schemaVersion())
                .string(ORDER_ID, outcome.orderId())
                .string(STATUS, statuses.get(outcome.status()))
                .string(ERROR_CLASS, errorClasses.get(outcome.errorClass()))
                .string(ERROR_MESSAGE, outcome.errorMessage())
                .startArray(STEPS);
        for (StepResult step : outcome.steps()) {
            out.startObject()
                    .string(STEP, stepNames.get(step.step()))
                    .string(STATUS, stepStatuses.get(step.status()))
                    .number(DURATION_MICROS, step.durationMicros())
                    .string(DETAIL, step.detail())
                    .number(ATTEMPTS, step.attempts())
                    .endObject();
        }
        out.endArray()
                .number(ATTEMPT, outcome.attempt())
                .string(ORDER_CREATED_AT, instant(outcome.orderCreatedAt()))
                .string(RECEIVED_AT, instant(outcome.receivedAt()))
                .string(COMPLETED_AT, instant(outcome.completedAt()))
                .string(WORKER_ID, outcome.workerId());
        if (!outcome.compensations().isEmpty()) {
            out.startArray(COMPENSATIONS);
            for (Compensation compensation : outcome.compensations()) {
                out.startObject()
                        .string(STEP, stepNames.get(compensation.step()))
                        .string(STATUS, compensationStatuses.get(compensation.status()))
                        .string(ERROR_CLASS, compensation.errorClass() == null ? null
                                : errorClasses.get(compensation.errorClass()))
                        .string(DETAIL, compensation.detail())
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
